from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Domain
from org.choices import RegionLevel
from org.models import Department, Region, Team


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词/编码/法条"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": "如：占道、330822、食品安全法第一百二十二条"}))
    domain = forms.ModelChoiceField(Domain.objects.order_by("code"), label=_("领域"), required=False)
    holder = forms.ModelChoiceField(Department.objects.filter(holdings__isnull=False).distinct().order_by("code"),
                                    label=_("实施主体"), required=False)
    town = forms.ModelChoiceField(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"),
                                  label=_("赋权镇街"), required=False)
    on = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CandidateAcceptForm(forms.Form):
    name = forms.CharField(label=_("事项名称(可修改)"), required=False, max_length=300)
    domain = forms.ModelChoiceField(Domain.objects.order_by("code"), label=_("领域"))
    holder = forms.ModelChoiceField(Department.objects.order_by("code"), label=_("实施主体"))
    holder_team = forms.ModelChoiceField(Team.objects.order_by("code"), label=_("承办队伍"), required=False)
    supervising_department = forms.ModelChoiceField(Department.objects.order_by("code"), label=_("业务主管部门"),
                                                    required=False)
    effective_date = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("审核意见"), required=False, max_length=300)


class CandidateRejectForm(forms.Form):
    reason = forms.CharField(label=_("驳回理由"), max_length=300)


class EntrustmentForm(forms.Form):
    """委托 (XF-020-021). Items are entered by code, as written in the 委托书."""

    principal = forms.ModelChoiceField(Department.objects.exclude(kind="entrusted").order_by("code"),
                                       label=_("委托机关"))
    agent = forms.ModelChoiceField(Department.objects.filter(kind="entrusted").order_by("code"),
                                   label=_("受委托组织"))
    item_codes = forms.CharField(label=_("委托事项编码（逗号或换行分隔）"), widget=forms.Textarea(attrs={"rows": 2}))
    powers = forms.CharField(label=_("委托权限"), max_length=300)
    instrument_no = forms.CharField(label=_("委托书文号"), max_length=100)
    valid_from = forms.DateField(label=_("起始"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("截止(不含)"), widget=forms.DateInput(attrs={"type": "date"}))
    published_on = forms.DateField(label=_("公布日期"), widget=forms.DateInput(attrs={"type": "date"}))
    public_url = forms.URLField(label=_("公布网址"), required=False, assume_scheme="https")

    def clean_item_codes(self):
        from catalogue.models import EnforcementItem

        codes = [c.strip() for c in self.cleaned_data["item_codes"].replace("，", ",").replace("\n", ",").split(",")
                 if c.strip()]
        items = list(EnforcementItem.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {i.code for i in items})
        if unknown:
            raise forms.ValidationError(_("没有这些事项编码：%(c)s") % {"c": "、".join(unknown)})
        if not items:
            raise forms.ValidationError(_("至少一项委托事项"))
        return items

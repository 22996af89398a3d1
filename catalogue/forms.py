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

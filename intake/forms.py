import json

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateRangeMixin
from intake.choices import Channel, EventStatus, Priority
from intake.models import EventCategory
from org.choices import RegionLevel
from org.models import Department, Region


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one field (Django's documented pattern): a plain FileField given the list the
    widget returns refuses it as "no file was submitted". Type and size are checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(EventCategory.objects.order_by("code"), label=_("类别"), required=False,
                                      empty_label=_("不确定（由系统判断）"))
    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    text = forms.CharField(label=_("描述"), widget=forms.Textarea(attrs={"rows": 4}))
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    priority = forms.ChoiceField(label=_("紧急程度"), choices=Priority.choices, initial=Priority.NORMAL)
    photos = MultipleFileField(label=_("照片"), required=False, widget=MultipleFileInput(attrs={"accept": "image/*",
                                                                                              "capture": "environment"}))
    # set by the page's script: the report's own reference (a resent report is not filed twice) and, for a
    # report kept on the phone while offline, when it was written down there
    client_ref = forms.RegexField(regex=r"^[0-9a-f-]{8,40}$", required=False, widget=forms.HiddenInput)
    observed_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("来源"), required=False)

    def __init__(self, *args, channels=(), **kwargs):
        """``channels``: those the reporter may file under (``dispatch.access.report_channels``); the
        choice is shown only when there are several."""
        super().__init__(*args, **kwargs)
        if len(channels) > 1:
            self.fields["channel"].choices = [(c, Channel(c).label) for c in channels]
            self.fields["channel"].initial = channels[0]
            self.fields["channel"].required = True
            self.order_fields(["channel"])  # where the report comes from, first
        else:
            self.fields.pop("channel", None)
        if list(channels) == [Channel.REFERRAL]:  # a department's referral: when it found the lead (ZJ-016)
            self.fields["found_on"] = forms.DateField(
                label=_("发现日期"), widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("本部门发现该线索的日期；移送时限自此起算"))
            self.order_fields(["found_on"])
        if Channel.CITIZEN in channels and "channel" in self.fields:
            # the command centre takes down a caller's report: who called and how to call back (for 群众)
            self.fields["reporter_name"] = forms.CharField(label=_("来电人称呼（群众来电填写）"), max_length=50,
                                                           required=False)
            self.fields["reporter_phone"] = forms.CharField(label=_("来电号码（用于回访，不公开）"), max_length=30,
                                                            required=False)
            self.fields["confidential"] = forms.BooleanField(
                label=_("来电人要求保密：姓名和电话只给指挥中心，不告诉办理单位"), required=False)


class PublicReportForm(ReportForm):
    client_ref = None  # the public page keeps nothing on the device
    observed_at = None
    channel = None
    # without a position, the town decides whether the town team or a county body is responsible
    town = forms.ModelChoiceField(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"),
                                  label=_("所在乡镇（街道）"), required=False,
                                  empty_label=_("按定位或地址确定"))
    field_order = ["category", "title", "text", "address", "town"]
    reporter_name = forms.CharField(label=_("称呼（可不填）"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("联系电话（可不填，用于回访，不公开）"), max_length=30, required=False)
    confidential = forms.BooleanField(label=_("为我保密：姓名和电话只给指挥中心，不告诉办理单位"), required=False)
    notify_reporter = forms.BooleanField(label=_("受理和办结时短信告诉我（须填写手机号码）"), required=False)


class EventFilterForm(DateRangeMixin, forms.Form):
    """The staff event list and its CSV export share these filters."""

    date_range = ("received_from", "received_to")

    q = forms.CharField(label=_("关键词/编号"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("open", _("在办（未办结）"))] + EventStatus.choices)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部"))] + Channel.choices)
    town = forms.ModelChoiceField(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"), label=_("镇街"),
                                  required=False, empty_label=_("全部"))
    category = forms.ModelChoiceField(EventCategory.objects.order_by("code"), label=_("类别"), required=False,
                                      empty_label=_("全部"))
    department = forms.ModelChoiceField(Department.objects.order_by("code"), label=_("责任主体"), required=False,
                                        empty_label=_("全部"))
    received_from = forms.DateField(label=_("受理日期自"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    located = forms.ChoiceField(label=_("定位"), required=False, choices=[
        ("", _("全部")), ("yes", _("有定位")), ("no", _("仅地址（未上图）"))])
    mine = forms.BooleanField(label=_("本单位的"), required=False)
    reported = forms.BooleanField(label=_("我上报的"), required=False)


class PhotoPublishForm(forms.Form):
    """公开照片 with 打码: the regions come from the drawing on the page (``static/js/redact.js``) as JSON."""

    redactions = forms.CharField(required=False, widget=forms.HiddenInput)
    checked = forms.BooleanField(
        required=False, label=_("我已查看照片：没有可辨认的人脸、车牌、门牌或证件，或已在上面打码"))

    def clean_redactions(self):
        raw = self.cleaned_data["redactions"].strip()
        if not raw:
            return []
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("打码区域的格式无法识别，请重新框选")) from None
        return value

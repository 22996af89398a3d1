import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateRangeMixin


class PeriodForm(DateRangeMixin, forms.Form):
    """A reporting period in whole local days, both ends included (考评)."""

    start = forms.DateField(label=_("自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    DEFAULT_DAYS = 90

    @classmethod
    def from_query(cls, query):
        """Bound to the query, with the default period (the last 90 days to today) filled in where a date
        is missing, so the page shows the dates it used."""
        data = query.copy()
        if not data.get("end"):
            data["end"] = timezone.localdate().isoformat()
        if not data.get("start"):
            try:
                end = dt.date.fromisoformat(data["end"])
            except ValueError:
                end = timezone.localdate()
            data["start"] = (end - dt.timedelta(days=cls.DEFAULT_DAYS - 1)).isoformat()
        return cls(data)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, the day after end 00:00) in local time."""
        tz = timezone.get_current_timezone()
        d = self.cleaned_data
        return (dt.datetime.combine(d["start"], dt.time.min, tzinfo=tz),
                dt.datetime.combine(d["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


class CampaignForm(forms.Form):
    """发起专项整治: what, why, who leads, who joins, when, and each town's 排查目标. A town left blank (or 0)
    is not part of the campaign."""

    name = forms.CharField(label=_("名称"), max_length=100)
    category = forms.ModelChoiceField(None, label=_("事件类别"), required=False,
                                      help_text=_("与热点预警、事件统计对应；可不选"))
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("为什么整治、整治什么、怎么做"))
    lead = forms.ModelChoiceField(None, label=_("牵头单位"))
    partners = forms.ModelMultipleChoiceField(None, label=_("配合部门"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, towns, **kwargs):
        from intake.models import EventCategory
        from org.models import Department

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = EventCategory.objects.order_by("code")
        bodies = Department.objects.filter(active=True).order_by("code")
        self.fields["lead"].queryset = bodies
        self.fields["partners"].queryset = bodies
        self.towns = list(towns)
        for town in self.towns:
            self.fields[f"target_{town.pk}"] = forms.IntegerField(label=town.name, required=False, min_value=0,
                                                                  max_value=100000)

    def target_fields(self):
        return [self[f"target_{t.pk}"] for t in self.towns]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期"))
        if not self.targets() and not any(f"target_{t.pk}" in self.errors for t in self.towns):
            self.add_error(None, _("至少为一个镇街填写排查目标"))
        return data

    def targets(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {t: data[f"target_{t.pk}"] for t in self.towns if data.get(f"target_{t.pk}")}


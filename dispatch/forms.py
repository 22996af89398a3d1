import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
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

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, the day after end 00:00) in local time."""
        tz = timezone.get_current_timezone()
        d = self.cleaned_data
        return (dt.datetime.combine(d["start"], dt.time.min, tzinfo=tz),
                dt.datetime.combine(d["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz))

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    """A reporting period in whole local days, both ends included (考评)."""

    start = forms.DateField(label=_("自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    DEFAULT_DAYS = 90

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=self.DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("end", _("结束日期不能早于开始日期"))
        data["start"], data["end"] = start, end
        return data

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, the day after end 00:00) in local time."""
        tz = timezone.get_current_timezone()
        d = self.cleaned_data
        return (dt.datetime.combine(d["start"], dt.time.min, tzinfo=tz),
                dt.datetime.combine(d["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz))

"""Working-day calendar (rulebook DAY-1..DAY-4).

- A *working day* is a day that is neither a weekend rest day nor a statutory holiday; weekend days
  that the State Council's notice turns into working days (调休) count as working days.
- Sources, in order: the year's official notice loaded as data (``HolidayNotice``/``CalendarDay``,
  loaded with ``openenforce calendar_load``), then the maintained ``chinesecalendar`` library.
- A year covered by neither is computed *provisionally* (weekends plus the fixed-date statutory
  holidays: 元旦 1.1, 劳动节 5.1-5.2, 国庆 10.1-10.3) and every deadline computed from it carries
  ``provisional=True`` until the notice is loaded; the lunar holidays are then missing.
- DAY-4: the start day is not counted; a period whose last day is a rest day or holiday ends on the
  next working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.utils.translation import gettext_noop

from core.records import said

FIXED_STATUTORY_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


class CalendarYear:
    __slots__ = ("year", "overrides", "source")

    def __init__(self, year: int, overrides: dict[dt.date, bool], source: str):
        self.year = year
        self.overrides = overrides  # date -> is_working_day
        self.source = source  # "notice" | "library" | "provisional"


class WorkingCalendar:
    """Loads each year's data once per instance; create one per computation (cheap)."""

    def __init__(self):
        self._years: dict[int, CalendarYear] = {}

    def _year(self, year: int) -> CalendarYear:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        from core.models import CalendarDay, HolidayNotice

        if HolidayNotice.objects.filter(year=year).exists():
            days = CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
            info = CalendarYear(year, {d: k == CalendarDay.Kind.WORKDAY for d, k in days}, "notice")
        else:
            try:
                chinese_calendar.is_workday(dt.date(year, 6, 1))
                info = CalendarYear(year, {}, "library")
            except NotImplementedError:
                info = CalendarYear(year, {}, "provisional")
        self._years[year] = info
        return info

    def is_working_day(self, day: dt.date) -> bool:
        info = self._year(day.year)
        if day in info.overrides:
            return info.overrides[day]
        if info.source == "library":
            return chinese_calendar.is_workday(day)
        if info.source == "provisional" and (day.month, day.day) in FIXED_STATUTORY_HOLIDAYS:
            return False
        return day.weekday() < 5

    def is_provisional(self, day: dt.date) -> bool:
        return self._year(day.year).source == "provisional"


@dataclass(frozen=True)
class Deadline:
    """A computed deadline with the rule that produced it (stored alongside, per rulebook §0.2)."""

    due: dt.date
    rule: str
    basis: str | dict  # how it was computed: text, or as core.records.said keeps it (said again to each reader)
    provisional: bool = False

    @property
    def basis_text(self) -> str:
        """The basis as the records say it (Chinese), for documents."""
        return self.basis["text"] if isinstance(self.basis, dict) else self.basis


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: dt.date, days: int, *, rule: str = "", calendar: WorkingCalendar | None = None) -> Deadline:
    """The date ``days`` working days after ``start`` (the start day is not counted, DAY-4)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    cal = calendar or WorkingCalendar()
    current = start
    provisional = False
    counted = 0
    while counted < days:
        current += dt.timedelta(days=1)
        provisional = provisional or cal.is_provisional(current)
        if cal.is_working_day(current):
            counted += 1
    return Deadline(current, rule, said(gettext_noop("%(start)s + %(n)s 个工作日"), start=start.isoformat(), n=days),
                    provisional)


def roll_to_working_day(day: dt.date, calendar: WorkingCalendar | None = None) -> tuple[dt.date, bool]:
    cal = calendar or WorkingCalendar()
    provisional = cal.is_provisional(day)
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
        provisional = provisional or cal.is_provisional(day)
    return day, provisional


def add_calendar_days(start: dt.date, days: int, *, rule: str = "", calendar: WorkingCalendar | None = None) -> Deadline:
    """``start`` + ``days`` calendar days; if that last day is a rest day or holiday the period ends on
    the first working day after it (民事诉讼法 第八十五条, DAY-4)."""
    due, provisional = roll_to_working_day(start + dt.timedelta(days=days), calendar)
    return Deadline(due, rule, said(gettext_noop("%(start)s + %(n)s 日"), start=start.isoformat(), n=days), provisional)


def add_months(start: dt.date, months: int, *, rule: str = "", calendar: WorkingCalendar | None = None) -> Deadline:
    """Month periods (e.g. 6-month litigation period): same day-of-month ``months`` later (the last day
    of that month when it is shorter), then the DAY-4 holiday rule."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = start.day
    while True:
        try:
            target = dt.date(year, month, day)
            break
        except ValueError:
            day -= 1
    due, provisional = roll_to_working_day(target, calendar)
    return Deadline(due, rule, said(gettext_noop("%(start)s + %(n)s 个月"), start=start.isoformat(), n=months),
                    provisional)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkingCalendar | None = None) -> int:
    """Number of working days in (start, end]."""
    cal = calendar or WorkingCalendar()
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if cal.is_working_day(current):
            count += 1
    return count


LOCAL_TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has no daylight saving


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 local time on ``day``: when a deadline expressed as a date runs out."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LOCAL_TZ)

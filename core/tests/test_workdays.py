"""DAY-1..DAY-4: working days around the 2026 Spring Festival and National Day."""

import datetime as dt

from core.services import holiday_notice_load
from core.workdays import (
    add_calendar_days,
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = dt.date


def test_spring_festival_2026_holidays_are_not_working_days(db):
    # 2026 Spring Festival: 2026-02-15 .. 2026-02-23 off (State Council notice).
    for day in range(15, 24):
        assert not is_working_day(D(2026, 2, day)), D(2026, 2, day)
    assert is_working_day(D(2026, 2, 13))
    assert is_working_day(D(2026, 2, 24))


def test_spring_festival_2026_adjusted_weekend_workdays(db):
    # 调休: Saturday 2026-02-14 and Saturday 2026-02-28 are working days.
    assert D(2026, 2, 14).weekday() == 5 and is_working_day(D(2026, 2, 14))
    assert D(2026, 2, 28).weekday() == 5 and is_working_day(D(2026, 2, 28))


def test_five_working_days_across_spring_festival(db):
    # Served Thursday 2026-02-12: 13 (Fri), 14 (Sat, 调休), 24, 25, 26 -> due 2026-02-26.
    deadline = add_working_days(D(2026, 2, 12), 5, rule="XF-064")
    assert deadline.due == D(2026, 2, 26)
    assert deadline.rule == "XF-064"
    assert deadline.provisional is False


def test_seven_working_days_across_national_day_2026(db):
    # 2026 National Day: 10-01 .. 10-07 off; Saturday 09-20 and 10-10 are working days.
    assert not is_working_day(D(2026, 10, 1)) and not is_working_day(D(2026, 10, 7))
    assert is_working_day(D(2026, 10, 10))
    # From Tuesday 2026-09-29: 30, 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13, 10-14.
    assert add_working_days(D(2026, 9, 29), 7).due == D(2026, 10, 14)


def test_calendar_period_ending_on_national_day_rolls_to_first_working_day(db):
    # DAY-4: 15 calendar days from 2026-09-16 end on 10-01, a holiday -> 10-08.
    assert add_calendar_days(D(2026, 9, 16), 15, rule="XF-067").due == D(2026, 10, 8)


def test_calendar_period_ending_on_weekend_rolls_to_monday(db):
    # 2026-11-14 is a Saturday.
    assert add_calendar_days(D(2026, 10, 30), 15).due == D(2026, 11, 16)


def test_calendar_period_ending_on_adjusted_workday_does_not_roll(db):
    # Saturday 2026-02-28 is a working day (调休), so a period ending then ends then.
    assert add_calendar_days(D(2026, 2, 13), 15).due == D(2026, 2, 28)


def test_month_end_periods(db):
    # Six months from 2026-08-31 -> 2027-02-28 (shorter month); a Sunday in a provisional year -> 03-01.
    deadline = add_months(D(2026, 8, 31), 6)
    assert deadline.due == D(2027, 3, 1)
    assert deadline.provisional is True


def test_year_without_official_data_is_provisional(db):
    deadline = add_working_days(D(2026, 12, 28), 5)
    # 29, 30, 31 Dec 2026 then 2027: 01-01 is a fixed statutory holiday, 01-04 and 01-05 are Mon/Tue.
    assert deadline.due == D(2027, 1, 5)
    assert deadline.provisional is True


def test_loaded_notice_overrides_library_and_provisional(db, django_user_model):
    actor = django_user_model.objects.create(username="g", role="guidance")
    holiday_notice_load(actor=actor, year=2027, title="测试通知", days=[
        (D(2027, 1, 1), "holiday", "元旦"), (D(2027, 1, 4), "holiday", "元旦(测试)"),
        (D(2027, 1, 9), "workday", "调休"),
    ])
    assert not is_working_day(D(2027, 1, 4))
    assert is_working_day(D(2027, 1, 9))  # a Saturday made a working day
    deadline = add_working_days(D(2026, 12, 31), 3)
    # 2027-01-01 and 01-04 off (notice), 01-02/03 weekend: 01-05, 01-06, 01-07.
    assert deadline.due == D(2027, 1, 7)
    assert deadline.provisional is False


def test_working_days_between_counts_exclusive_start(db):
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 26)) == 5

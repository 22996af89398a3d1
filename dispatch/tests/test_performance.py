"""考评: on-time rates per body, ranked by the Wilson lower bound, small samples not ranked."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.services import config_set
from dispatch.models import Instruction
from dispatch.selectors import body_performance, wilson_lower
from org.models import Department

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 12, 0))


def test_wilson_lower_bound_is_the_textbook_value():
    assert wilson_lower(190, 200) == pytest.approx(0.9104, abs=1e-4)
    assert wilson_lower(3, 3) == pytest.approx(0.4385, abs=1e-4)  # 100 % of three is weak evidence
    assert wilson_lower(0, 0) is None


def _instruction(department, *, issued_days_ago, signed_hours=None, answered_hours=None,
                 status=Instruction.Status.ISSUED, escalation=0):
    issued = NOW - dt.timedelta(days=issued_days_ago)
    return Instruction.objects.create(
        department=department, content="测试指令", issued_at=issued, sign_due=issued + dt.timedelta(hours=24),
        feedback_due=issued + dt.timedelta(days=5), status=status, escalation_level=escalation,
        signed_at=issued + dt.timedelta(hours=signed_hours) if signed_hours is not None else None,
        feedback_at=issued + dt.timedelta(hours=answered_hours) if answered_hours is not None else None)


def test_rates_count_only_what_has_fallen_due_and_small_samples_are_not_ranked(iw):
    config_set(actor=iw.admin, key="dispatch.performance_min_sample", value=4, valid_from=dt.date(2026, 1, 1),
               reason="测试")
    big, small, late = iw.zf, iw.scjg, iw.tianma_gov
    for _ in range(9):  # 9 of 10 answered on time
        _instruction(big, issued_days_ago=20, signed_hours=2, answered_hours=48, status=Instruction.Status.DONE)
    _instruction(big, issued_days_ago=20, signed_hours=30, answered_hours=200, status=Instruction.Status.DONE,
                 escalation=1)
    _instruction(big, issued_days_ago=20, signed_hours=1, status=Instruction.Status.RETURNED)  # not answerable
    _instruction(big, issued_days_ago=0.1, status=Instruction.Status.ISSUED)  # nothing due yet
    for _ in range(3):  # three of three: perfect but too few to rank
        _instruction(small, issued_days_ago=15, signed_hours=1, answered_hours=10, status=Instruction.Status.DONE)
    for answered in (10, 10, 200, None, None):  # two on time, one late, two overdue and unanswered
        _instruction(late, issued_days_ago=30, signed_hours=3, answered_hours=answered,
                     status=Instruction.Status.DONE if answered else Instruction.Status.SIGNED)
    _instruction(late, issued_days_ago=400, signed_hours=1, answered_hours=1, status=Instruction.Status.DONE)  # outside

    rows = body_performance(start=NOW - dt.timedelta(days=90), end=NOW, now=NOW)
    by = {b.department: b for b in rows}
    b = by[big]
    assert (b.issued, b.sign_due, b.signed_on_time) == (12, 11, 10)
    assert (b.answer_due, b.answered_on_time, b.returned, b.escalated) == (10, 9, 1, 1)
    assert b.answer_lower == pytest.approx(wilson_lower(9, 10))
    t = by[late]
    assert (t.issued, t.answer_due, t.answered_on_time) == (5, 5, 2)
    assert [x.department for x in rows] == [big, late, small]
    assert (by[big].rank, by[late].rank, by[small].rank) == (1, 2, None)
    # Restricted to one body (what a body's own staff see).
    assert [x.department for x in body_performance(start=NOW - dt.timedelta(days=90), end=NOW, now=NOW,
                                                   departments=[small])] == [small]
    # ... keeping the county-wide rank: the second body is told it is second, not "1 of 1".
    only = body_performance(start=NOW - dt.timedelta(days=90), end=NOW, now=NOW,
                            departments=Department.objects.filter(pk=late.pk))
    assert [(x.department, x.rank) for x in only] == [(late, 2)]


def test_the_page_ranks_for_the_command_centre_and_shows_a_body_only_its_own(iw, client):
    from dispatch.tests.test_flow import report

    report(iw)
    client.force_login(iw.operator)
    page = client.get("/command/performance/").content.decode()
    assert "指令办理考评" in page and "样本不足" in page and "天马" in page
    r = client.get("/command/performance/", {"start": "2026-03-01", "end": "2026-02-01"})
    assert r.status_code == 400 and "结束日期不能早于开始日期" in r.content.decode()
    client.force_login(iw.scjg_supervisor)
    page = client.get("/command/performance/").content.decode()
    assert "天马" not in page
    client.force_login(iw.citizen)
    assert client.get("/command/performance/").status_code == 404


def test_the_page_shows_the_default_period_it_used_and_names_a_bad_date(iw, client):
    client.force_login(iw.operator)
    today = timezone.localdate()
    page = client.get("/command/performance/").content.decode()
    assert f'value="{today.isoformat()}"' in page
    assert f'value="{(today - dt.timedelta(days=89)).isoformat()}"' in page
    page = client.get("/command/performance/", {"end": "2026-06-30"}).content.decode()
    assert 'value="2026-04-02"' in page  # 90 days ending on the given date
    r = client.get("/command/performance/", {"start": "yesterday"})
    assert r.status_code == 400 and "自：" in r.content.decode()


def test_the_table_exports_as_csv_with_the_same_figures(iw, client):
    import csv
    import io

    _instruction(iw.zf, issued_days_ago=3, signed_hours=1, answered_hours=20, status=Instruction.Status.DONE)
    client.force_login(iw.operator)
    page = client.get("/command/performance/").content.decode()
    assert "format=csv" in page
    r = client.get("/command/performance/", {"format": "csv", "start": "2000-01-01"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["排名", "单位", "下达"]
    zf = next(row for row in rows[1:] if row[1] == iw.zf.name)
    assert zf[2:7] == ["1", "1", "1", "1", "1"] and zf[0] == ""  # one instruction: listed, not ranked


def test_a_return_before_the_sign_for_time_is_not_a_late_signature(iw):
    """退单 in time answers the instruction (not ours): it is counted as a return, not as a signature missed;
    an instruction left unsigned past its time and returned afterwards is still a late signature."""
    from core import clock
    from dispatch import services
    from intake.services import event_submit

    t0 = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))

    def report(ref, minutes, text, east):
        with clock.frozen(t0 + dt.timedelta(minutes=minutes)):
            return event_submit(channel="hotline", source=iw.hotline, external_id=ref, text=text,
                                lng=iw.tianma_point[0] + east, lat=iw.tianma_point[1], category_code="0504").event

    in_time = report("P-1", 0, "天马街道人民路有人占道摆摊经营", 0)
    too_late = report("P-2", 1, "天马街道文峰路菜场门口店外经营", 0.02)
    assert too_late.status == "routed" and too_late.department == iw.tianma_gov
    sign_due = in_time.instructions.get().sign_due
    with clock.frozen(sign_due - dt.timedelta(hours=1)):
        services.event_return(actor=iw.tianma_officer, event=in_time, reason="该路段由县局管辖，非本街道职责")
    with clock.frozen(sign_due + dt.timedelta(hours=3)):
        services.event_return(actor=iw.tianma_officer, event=too_late, reason="该路段由县局管辖，非本街道职责")
    row = next(b for b in body_performance(start=t0 - dt.timedelta(days=1), end=t0 + dt.timedelta(days=1),
                                           now=t0 + dt.timedelta(days=5)) if b.department == iw.tianma_gov)
    assert (row.issued, row.returned, row.sign_due, row.signed_on_time) == (2, 2, 1, 0)


def test_the_median_time_to_answer_per_body(iw, client):
    """Peers §3.9 ("average time to fix"): the median hours from issue to feedback over the answered
    instructions — returns and unanswered ones left out — on the page and in the CSV."""
    for hours in (2, 10, 30, 200):
        _instruction(iw.zf, issued_days_ago=20, signed_hours=1, answered_hours=hours, status=Instruction.Status.DONE)
    _instruction(iw.zf, issued_days_ago=20, signed_hours=1, status=Instruction.Status.SIGNED)  # not answered
    _instruction(iw.zf, issued_days_ago=20, signed_hours=1, answered_hours=1000, status=Instruction.Status.RETURNED)
    _instruction(iw.scjg, issued_days_ago=20, signed_hours=1, status=Instruction.Status.SIGNED)
    by = {b.department: b for b in body_performance(start=NOW - dt.timedelta(days=90), end=NOW, now=NOW)}
    assert by[iw.zf].answer_hours_median == pytest.approx(20.0)  # (10 + 30) / 2
    assert by[iw.scjg].answer_hours_median is None
    client.force_login(iw.operator)
    query = {"start": (NOW - dt.timedelta(days=90)).date().isoformat(), "end": NOW.date().isoformat()}
    assert "20.0 小时" in client.get("/command/performance/", query).content.decode()
    csv = client.get("/command/performance/", dict(query, format="csv")).content.decode("utf-8-sig")
    assert "反馈用时中位数（小时）" in csv.splitlines()[0] and ",20.0," in csv


def test_XF_074_no_money_in_the_assessment_nor_on_its_page(iw, client):
    """XF-074: fines and confiscations may not be linked to the assessment of a body or its staff. The 考评 row has
    only counts, rates and times, and neither its page nor its CSV shows any amount collected."""
    import dataclasses

    from dispatch.selectors import BodyPerformance

    money = ("fine", "amount", "confiscat", "paid", "yuan", "money")
    assert not [f.name for f in dataclasses.fields(BodyPerformance) if any(m in f.name for m in money)]
    client.force_login(iw.operator)
    for params, shown in (({}, "考评"), ({"format": "csv"}, "按时反馈")):
        resp = client.get(reverse("dispatch:performance"), params)
        body = resp.content.decode()
        assert resp.status_code == 200 and shown in body
        assert "罚款" not in body and "没收" not in body and "元" not in body

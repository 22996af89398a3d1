"""Periods that belong to the party (陈述申辩期, 听证申请期, 缴款期, 复议/诉讼期) run out without anyone in
the administration being late: the sweep marks them elapsed and never escalates (督办) them; an unpaid
fine past its period turns the case 逾期未履行 (XF-072) and tells the agency to serve the 催告书."""

import datetime as dt
from decimal import Decimal

from cases import services as S
from cases.choices import CaseStatus, ServiceMethod
from cases.models import Case
from cases.tests.helpers import D, notice, propose, ready_for_notice, review_pass
from core.models import Deadline, Notification
from dispatch.services import deadlines_sweep, overdue_deadlines

TZ = dt.timezone(dt.timedelta(hours=8))


def noon(day):
    return dt.datetime.combine(day, dt.time(12), tzinfo=TZ)


def test_XF_044_045_062_representation_period_elapses_without_escalation(cw):
    case = ready_for_notice(cw)
    propose(cw, case)
    notice(cw, case)
    rep = Deadline.objects.get(object_id=str(case.pk), kind="case.representation")
    assert rep.party_period
    counts = deadlines_sweep(now=rep.due_at + dt.timedelta(days=3))
    rep.refresh_from_db()
    assert rep.state == Deadline.State.ELAPSED and counts["elapsed"] >= 1
    assert not Notification.objects.filter(level=Notification.Level.ESCALATE, text__contains="陈述申辩").exists()
    assert rep not in overdue_deadlines(now=rep.due_at + dt.timedelta(days=3))
    # and the decision is now allowed, the period having run (the sweep changed no rule)
    review_pass(cw, case)
    day = rep.due_at.astimezone(TZ).date() + dt.timedelta(days=1)
    S.case_decide(actor=cw.bureau_officer, case=case, decided_on=day, types=["fine"], fine=Decimal(60000))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_XF_072_unpaid_fine_past_its_period_makes_the_case_overdue_once(cw):
    case = ready_for_notice(cw)
    propose(cw, case)
    notice(cw, case)
    review_pass(cw, case)
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19))
    S.case_decide(actor=cw.bureau_officer, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                 receiver="法定代表人")
    case.refresh_from_db()
    due = case.payment_due
    assert S.payments_overdue_sweep(on=due) == 0  # the last day of the period is still in time
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SERVED
    assert S.payments_overdue_sweep(on=due + dt.timedelta(days=1)) == 1
    assert S.payments_overdue_sweep(on=due + dt.timedelta(days=2)) == 0  # idempotent
    case.refresh_from_db()
    assert case.status == CaseStatus.OVERDUE
    assert Notification.objects.filter(department=cw.zf, text__contains="催告书").count() == 1
    counts = deadlines_sweep(now=noon(due + dt.timedelta(days=1)))
    pay = Deadline.objects.get(object_id=str(case.pk), kind="case.payment")
    assert pay.state == Deadline.State.ELAPSED and pay.escalation_level == 0 and counts["elapsed"] >= 1
    assert not Notification.objects.filter(level=Notification.Level.ESCALATE, text__contains="缴纳罚款").exists()
    # the reconsideration period is also the party's: never a 督办 when it ends
    deadlines_sweep(now=noon(D(2026, 12, 1)))
    recon = Deadline.objects.get(object_id=str(case.pk), kind="case.reconsideration_period")
    assert recon.state == Deadline.State.ELAPSED and recon.escalation_level == 0


def test_XF_066_instalments_move_the_overdue_point(cw):
    case = ready_for_notice(cw)
    propose(cw, case)
    notice(cw, case)
    review_pass(cw, case)
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19))
    S.case_decide(actor=cw.bureau_officer, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                 receiver="法定代表人")
    S.deferral_approve(actor=cw.bureau_officer, case=case, reason="经营困难", on=D(2026, 3, 30),
                       schedule=[(D(2026, 4, 30), Decimal(30000)), (D(2026, 5, 29), Decimal(30000))])
    assert S.payments_overdue_sweep(on=D(2026, 5, 1)) == 0
    assert S.payments_overdue_sweep(on=D(2026, 5, 30)) == 1

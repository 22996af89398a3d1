"""Periods that belong to the party (陈述申辩期, 听证申请期, 缴款期, 复议/诉讼期) run out without anyone in
the administration being late: the sweep marks them elapsed and never escalates (督办) them; an unpaid
fine past its period turns the case 逾期未履行 (XF-072) and tells the agency to serve the 催告书."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from cases import services as S
from cases.choices import CaseStatus, ServiceMethod
from cases.models import Case
from cases.tests.helpers import D, close_case, notice, propose, ready_for_notice, ready_to_decide, review_pass
from core.exceptions import RuleViolation, ValidationFailed
from core.models import Deadline, Notification
from dispatch.selectors import overdue_deadlines
from dispatch.services import deadlines_sweep

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
    S.case_decide(actor=cw.zf_head, case=case, decided_on=day, types=["fine"], fine=Decimal(60000))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_XF_072_unpaid_fine_past_its_period_makes_the_case_overdue_once(cw):
    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
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
    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                 receiver="法定代表人")
    S.deferral_approve(actor=cw.zf_head, case=case, reason="经营困难", on=D(2026, 3, 30),
                       schedule=[(D(2026, 4, 30), Decimal(30000)), (D(2026, 5, 29), Decimal(30000))])
    assert S.payments_overdue_sweep(on=D(2026, 5, 1)) == 0
    assert S.payments_overdue_sweep(on=D(2026, 5, 30)) == 1


def _decided_and_served(cw, **decide):
    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000),
                  **decide)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                 receiver="法定代表人")
    return Case.objects.get(pk=case.pk)


def test_XF_028_order_correction_with_the_decision_and_a_follow_up_check(cw):
    from cases.models import Document

    case = _decided_and_served(cw, order_correction="立即停止无证经营，办理食品经营许可", correction_due=D(2026, 4, 30))
    order = Document.objects.get(case=case, doc_type="order")
    assert order.fields["deadline"] == "2026-04-30" and "停止无证经营" in order.fields["requirement"]
    row = Deadline.objects.get(object_id=str(case.pk), kind="case.correction_check")
    assert row.rule == "XF-028" and row.due_at.astimezone(TZ).date() == D(2026, 4, 30) and not row.party_period
    assert row.label == f"{case.number} 改正情况复查" and row.basis == "责令限期改正至2026-04-30，到期复查"
    with translation.override("en"):  # a thing due, said as the other deadlines are; not the step's imperative
        assert row.shown == f"{case.number}: check of the ordered correction"
        assert row.basis_shown == "correction ordered by 2026-04-30, checked when due"
    with pytest.raises(ValidationFailed):
        S.correction_check_record(actor=cw.bureau_officer, case=case, on=D(2026, 5, 6), corrected=True, note="")
    S.correction_check_record(actor=cw.bureau_officer, case=case, on=D(2026, 5, 6), corrected=False,
                              note="复查发现仍在经营，另案处理")
    row.refresh_from_db()
    assert row.state == Deadline.State.LATE  # checked after the day it was due
    with pytest.raises(RuleViolation):
        S.correction_check_record(actor=cw.bureau_officer, case=case, on=D(2026, 5, 7), corrected=True, note="再查")


def test_XY_ZJ_011_016_credit_event_only_once_final_even_when_closed_earlier(cw):
    case = _decided_and_served(cw)
    S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 4, 1))
    close_case(cw, case, D(2026, 4, 2))
    assert Case.objects.get(pk=case.pk).credit_pushed_on is None  # the remedy periods are still running
    assert S.credit_sweep(on=D(2026, 9, 24)) == 0  # the lawsuit period (6 months from service) has not ended
    assert S.credit_sweep(on=D(2026, 9, 25)) == 1
    assert S.credit_sweep(on=D(2026, 9, 26)) == 0  # once
    assert Case.objects.get(pk=case.pk).credit_pushed_on == D(2026, 9, 25)


def test_XY_ZJ_011_016_no_credit_event_for_simple_procedure(cw):
    from cases.choices import PartyKind
    from cases.tests.helpers import at

    spot = S.spot_decide(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_kind=PartyKind.PERSON,
                         party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾", place="人民路",
                         at=at(D(2026, 3, 9)), officers=[cw.o1, cw.o2], types=["fine"], fine=Decimal(50))
    S.payment_record(actor=cw.bureau_officer, case=spot, amount=Decimal(50), paid_on=D(2026, 3, 10))
    S.case_close(actor=cw.bureau_officer, case=spot, on=D(2026, 3, 11), reason="已履行")
    assert S.credit_sweep(on=D(2027, 1, 1)) == 0 and Case.objects.get(pk=spot.pk).credit_pushed_on is None


def test_XF_044_045_062_a_waiver_needs_the_partys_written_statement(cw, client):
    """The waiver must be express and written: the signed statement is kept, hashed, listed and served."""
    import hashlib

    from django.urls import reverse

    case = ready_for_notice(cw)
    propose(cw, case)
    notice(cw, case)
    for statement, field in ((b"", "statement"), (b"I waive", "statement")):
        with pytest.raises(RuleViolation) as exc:
            S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=statement)
        assert field in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2099, 1, 1), statement=b"%PDF-1.4 x")
    assert "on" in exc.value.errors
    case.refresh_from_db()
    assert case.waived_on is None and not case.waiver_statement

    pdf = b"%PDF-1.4 signed by the party"
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=pdf, filename="放弃声明.pdf")
    case.refresh_from_db()
    assert case.waived_on == D(2026, 3, 19) and case.waiver_statement_sha256 == hashlib.sha256(pdf).hexdigest()
    with pytest.raises(RuleViolation):
        S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=pdf)
    url = reverse("cases:waiver_statement", args=[case.pk])
    client.force_login(cw.bureau_officer)
    assert url in client.get(reverse("cases:case", args=[case.pk])).content.decode()
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert b"".join(resp.streaming_content) == pdf
    client.force_login(cw.huibu_officer)
    assert client.get(url).status_code == 404


def test_the_waiver_step_form_refuses_without_the_statement(cw, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    case = ready_for_notice(cw)
    propose(cw, case)
    notice(cw, case)
    client.force_login(cw.bureau_officer)
    url = reverse("cases:step", args=[case.pk, "waiver"])
    r = client.post(url, {"on": "2026-03-19", "confirm": "on"})
    assert r.status_code == 422
    r = client.post(url, {"on": "2026-03-19", "confirm": "on",
                          "statement": SimpleUploadedFile("note.txt", b"plain text", content_type="text/plain")})
    assert r.status_code == 422 and "PDF" in r.content.decode()
    case.refresh_from_db()
    assert case.waived_on is None
    r = client.post(url, {"on": "2026-03-19", "confirm": "on",
                          "statement": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.waived_on == D(2026, 3, 19) and case.waiver_statement_sha256

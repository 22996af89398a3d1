"""After a suspected crime is transferred (YS-310 第八、九、十一、十二条; XF-027): the police's answer is recorded;
a refusal may be put to them again within 3 days, or the case comes back to the agency at REVIEW for an
administrative penalty; a filed case's items and materials are handed over within 3 days and only then may the
case be closed. The 办案期限 stands still while the police hold the case. Until 2026-12-07 a transferred case
could only be closed — nothing recorded what the police decided, and a returned case had no way back."""

import pytest
from django.urls import reverse

from cases import services as S
from cases.choices import CaseStatus
from cases.models import Case, CrimeTransfer
from cases.steps import held_steps, steps_for
from cases.tests.helpers import D, at, file_case, head_of, open_case
from core import clock
from core.exceptions import RuleViolation, ValidationFailed
from core.models import Deadline

pytestmark = pytest.mark.django_db


def _transferred(cw):
    """Filed 2026-03-06 (decision due 06-04); transferred to the police 03-12."""
    case = open_case(cw)
    file_case(cw, case)
    S.crime_report(actor=cw.bureau_officer, case=case, report_at=at(D(2026, 3, 10)))
    S.crime_decide(actor=head_of(cw.zf), case=case, approved=True, at=at(D(2026, 3, 11)))
    S.crime_transfer(actor=cw.bureau_officer, case=case, at=at(D(2026, 3, 12), 9), receipt_no="常公受〔2026〕1号", police="常山县公安局",
                     items="涉案食品120箱（已扣押）")
    case.refresh_from_db()
    return case


def _rows(case, kind):
    return list(Deadline.objects.filter(object_id=str(case.pk), kind=kind).order_by("pk").values_list("state", "due_at__date"))


def _keys(case, user, on):
    return {s.key for s in steps_for(case, user, on)}


def test_the_transfer_goes_with_its_letter(cw):
    """YS-310 第六条: the 涉嫌犯罪案件移送书 — to whom, the case, the head's approval, what goes with it (the report,
    the list of items, the verified evidence) and the police's receipt; an internal document, never checked from
    outside. Without a receiving organ or a receipt nothing is written."""
    from cases.choices import DocType

    case = open_case(cw)
    file_case(cw, case)
    S.crime_report(actor=cw.bureau_officer, case=case, report_at=at(D(2026, 3, 10)))
    S.crime_decide(actor=head_of(cw.zf), case=case, approved=True, at=at(D(2026, 3, 11)))
    for police, receipt, field in ((" ", "回执1", "police"), ("常山县公安局", "", "receipt_no"), ("局" * 101, "回执1", "police")):
        with pytest.raises(ValidationFailed) as exc:
            S.crime_transfer(actor=cw.bureau_officer, case=case, at=at(D(2026, 3, 12)), receipt_no=receipt, police=police)
        assert field in exc.value.errors
    assert not case.documents.filter(doc_type=DocType.CRIME_TRANSFER).exists()
    assert CrimeTransfer.objects.get(case=case).transferred_at is None
    _transferred_now = S.crime_transfer(actor=cw.bureau_officer, case=case, at=at(D(2026, 3, 12), 9), receipt_no="常公受〔2026〕1号",
                                        police="常山县公安局", items="涉案食品120箱（已扣押）")
    doc = case.documents.get(doc_type=DocType.CRIME_TRANSFER)
    assert doc.number.startswith("常综执移字〔2026〕") and doc.printed_check_code == ""
    f = doc.fields
    assert (f["to"], f["party"], f["receipt"]) == ("常山县公安局", case.party_name, "常公受〔2026〕1号（2026-03-12 09:00）")
    assert f["approval"] == "2026-03-11 10:00 负责人批准移送"
    assert f["attachments"][:2] == ["案件调查报告", "涉案食品120箱（已扣押）".join(["涉案物品清单：", ""])]
    assert _transferred_now.status == CaseStatus.TRANSFERRED_JUDICIAL
    from cases.documents import _document_html

    printed = _document_html(doc)
    assert "涉嫌犯罪案件移送书" in printed and "案件调查报告；涉案物品清单：涉案食品120箱（已扣押）" in printed
    assert "核验码" not in printed  # sent to the police, not handed to a party


def test_a_refused_case_comes_back_for_a_penalty_and_the_police_days_do_not_count(cw):
    case = _transferred(cw)
    officer = cw.bureau_officer
    assert _rows(case, "case.decide") == [("cancelled", D(2026, 6, 4))]  # paused: no open row while the police hold it
    paused = S.decision_due(case, D(2026, 4, 1))
    assert (paused.due, paused.paused) == (D(2026, 6, 24), "judicial")  # 20 days not counted so far
    # nothing may be closed or returned before the police answered
    assert _keys(case, officer, D(2026, 3, 20)) & {"close", "close_request", "crime_return", "crime_handover"} == set()
    assert "police_answer" in _keys(case, officer, D(2026, 3, 20))
    with pytest.raises(RuleViolation) as exc:
        S.crime_return(actor=officer, case=case, on=D(2026, 3, 20), basis="公安机关未答复")
    assert exc.value.rule == "XF-027"
    with pytest.raises(ValidationFailed) as exc:  # the notice's number is on the record
        S.crime_police_answer(actor=officer, case=case, on=D(2026, 3, 16), filed=False, notice_no=" ")
    assert "notice_no" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:  # not before the transfer
        S.crime_police_answer(actor=officer, case=case, on=D(2026, 3, 11), filed=False, notice_no="常公不立〔2026〕3号")
    assert "on" in exc.value.errors
    S.crime_police_answer(actor=officer, case=case, on=D(2026, 3, 16), filed=False, notice_no="常公不立〔2026〕3号")
    assert "police_answer" not in _keys(case, officer, D(2026, 3, 17))
    assert {"crime_reconsider", "crime_return"} <= _keys(case, officer, D(2026, 3, 17))
    assert _rows(case, "case.crime_reconsider") == [("open", D(2026, 3, 19))]  # the window, on the case's clocks
    held = dict((s.key, why) for s, why in held_steps(case, officer, D(2026, 3, 20)))  # 3 days ran out on 03-19
    assert held["crime_reconsider"] == [("YS-310", "提请复议须在收到不予立案通知书之日起3日内（至2026-03-19）")]
    with pytest.raises(RuleViolation) as exc:
        S.case_close_request(actor=officer, case=case, on=D(2026, 3, 20), reason="已移送")
    assert exc.value.rule == "XF-027"
    case = S.crime_return(actor=officer, case=case, on=D(2026, 4, 1), basis="公安机关不予立案通知书（常公不立〔2026〕3号）")
    assert (case.status, case.outcome) == (CaseStatus.REVIEW, "")
    assert _rows(case, "case.crime_reconsider") == [("elapsed", D(2026, 3, 19))]  # an option unused: nobody late
    assert case.transitions.last().reason == "移送司法机关后退回，重新审查：公安机关不予立案通知书（常公不立〔2026〕3号）"
    due = S.decision_due(case, D(2026, 5, 1))
    assert (due.due, due.excluded_days, due.paused) == (D(2026, 6, 24), 20, "")  # 03-12 → 04-01 not counted
    assert _rows(case, "case.decide") == [("cancelled", D(2026, 6, 4)), ("open", D(2026, 6, 24))]
    assert "不计入20日" in Deadline.objects.get(object_id=str(case.pk), kind="case.decide", state="open").label
    # back at REVIEW the case goes on to a proposal; it is not offered for transfer again (that was done)
    keys = _keys(case, officer, D(2026, 4, 2))
    assert "propose" in keys and not keys & {"crime_report", "crime_transfer", "police_answer", "crime_return"}
    with pytest.raises(RuleViolation) as exc:
        S.crime_transfer(actor=officer, case=case, at=at(D(2026, 4, 2)), receipt_no="再次移送", police="常山县公安局")
    assert "已于2026-03-12移送" in exc.value.message


def test_a_reconsideration_waits_for_the_police_then_a_filed_case_is_handed_over_and_closed(cw):
    case = _transferred(cw)
    officer = cw.bureau_officer
    S.crime_police_answer(actor=officer, case=case, on=D(2026, 3, 16), filed=False, notice_no="常公不立〔2026〕3号")
    S.crime_reconsideration(actor=officer, case=case, on=D(2026, 3, 18))
    assert _rows(case, "case.crime_reconsider") == [("met", D(2026, 3, 19))]
    with pytest.raises(RuleViolation):  # once
        S.crime_reconsideration(actor=officer, case=case, on=D(2026, 3, 18))
    with pytest.raises(RuleViolation) as exc:  # not taken back while the police reconsider
        S.crime_return(actor=officer, case=case, on=D(2026, 3, 20), basis="不予立案")
    assert "等待公安机关的复议决定" in exc.value.message
    assert "police_answer" in _keys(case, officer, D(2026, 3, 20))  # their answer to the reconsideration
    ct = S.crime_police_answer(actor=officer, case=case, on=D(2026, 3, 23), filed=True, notice_no="常公立〔2026〕9号")
    assert (ct.police_answer, ct.police_answered_on, ct.reconsideration_answered_on) == ("filed", D(2026, 3, 16), D(2026, 3, 23))
    assert _rows(case, "case.crime_handover") == [("open", D(2026, 3, 26))]
    with pytest.raises(RuleViolation) as exc:  # materials first
        S.case_close_request(actor=officer, case=case, on=D(2026, 3, 24), reason="公安机关已立案")
    assert "须先移交涉案物品和有关材料" in exc.value.message
    assert "crime_return" in _keys(case, officer, D(2026, 3, 24))  # the judiciary may still send it back
    with pytest.raises(ValidationFailed) as exc:
        S.crime_handover(actor=officer, case=case, on=D(2026, 3, 25), items=" ")
    assert "items" in exc.value.errors
    S.crime_handover(actor=officer, case=case, on=D(2026, 3, 27), items="涉案食品120箱及检验报告、询问笔录")
    assert _rows(case, "case.crime_handover") == [("late", D(2026, 3, 26))]  # a day late, on the record
    assert "close_request" in _keys(case, officer, D(2026, 3, 27))
    approval = S.case_close_request(actor=officer, case=case, on=D(2026, 3, 27), reason="已移送公安机关立案侦查")
    assert approval.pk
    S.case_close(actor=head_of(cw.zf), case=case, on=D(2026, 3, 28))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert CrimeTransfer.objects.get(case=case).handed_over_items == "涉案食品120箱及检验报告、询问笔录"
    # closed with the police: the decision clock is not running, and nothing was late but the hand-over
    assert not Deadline.objects.filter(object_id=str(case.pk), kind="case.decide", state="open").exists()


def test_the_police_have_three_days_to_decide_and_the_agency_is_told_when_they_run_out(cw):
    """YS-310 第八条: the police review a transferred case within 3 days of receiving it; 第九条: they answer a request
    to reconsider within 3 days. Their time, not the agency's: never a 督办 of the agency — when it runs out the
    sweep marks it 期间届满 and tells the agency (to press them, or to ask the procuratorate to supervise); an
    answer in time closes it met."""
    from core.models import Notification
    from dispatch.services import deadlines_sweep

    case = _transferred(cw)  # received Thursday 03-12: 3 days end on a Sunday, so the Monday (DAY-4)
    assert _rows(case, "case.crime_police_review") == [("open", D(2026, 3, 16))]
    row = Deadline.objects.get(object_id=str(case.pk), kind="case.crime_police_review")
    assert row.party_period and row.rule == "YS-310" and row.label.endswith("公安机关审查决定是否立案")
    deadlines_sweep(now=at(D(2026, 3, 16)))  # not before it runs out: no reminder, it is not the agency's to keep
    assert not Notification.objects.filter(text__contains="公安机关审查").exists()
    deadlines_sweep(now=at(D(2026, 3, 17)))
    assert _rows(case, "case.crime_police_review") == [("elapsed", D(2026, 3, 16))]
    told = Notification.objects.get(department=cw.zf, text__contains="公安机关审查决定是否立案")
    assert told.text.startswith("期间届满：") and told.link == case.get_absolute_url()
    officer = cw.bureau_officer
    S.crime_police_answer(actor=officer, case=case, on=D(2026, 3, 17), filed=False, notice_no="常公不立〔2026〕3号")
    assert _rows(case, "case.crime_police_review") == [("elapsed", D(2026, 3, 16))]  # the answer does not reopen it
    S.crime_reconsideration(actor=officer, case=case, on=D(2026, 3, 18))
    assert _rows(case, "case.crime_police_review")[-1] == ("open", D(2026, 3, 23))  # 03-21 a Saturday
    S.crime_police_answer(actor=officer, case=case, on=D(2026, 3, 20), filed=True, notice_no="常公立〔2026〕9号")
    assert _rows(case, "case.crime_police_review")[-1] == ("met", D(2026, 3, 23))
    assert not Deadline.objects.filter(object_id=str(case.pk), kind="case.crime_police_review",
                                       escalation_level__gt=0).exists()


def test_through_the_pages(cw, client):
    case = _transferred(cw)
    client.force_login(cw.bureau_officer)
    with clock.frozen(at(D(2026, 3, 20))):
        page = client.get(case.get_absolute_url()).content.decode()
        assert "案件在司法机关期间不计入办案期限（XF-027）：已不计入8日，若今日退回，须于2026-06-12前作出决定" in page
        assert "常公受〔2026〕1号" in page  # the transfer record is on the page
        url = reverse("cases:step", args=[case.pk, "police_answer"])
        assert url in page
        resp = client.post(url, {"filed": "0", "on": "2026-03-16", "notice_no": "x" * 61})
        assert resp.status_code == 422
        assert client.post(url, {"filed": "0", "on": "2026-03-16", "notice_no": "常公不立〔2026〕3号"}).status_code == 302
        page = client.get(case.get_absolute_url()).content.decode()
        assert "不予立案" in page and "常公不立〔2026〕3号" in page
        assert "还不能“提请公安机关复议”" in page and "至2026-03-19" in page
        url = reverse("cases:step", args=[case.pk, "crime_return"])
        assert client.post(url, {"on": "2026-03-20", "basis": "公安机关不予立案"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEW

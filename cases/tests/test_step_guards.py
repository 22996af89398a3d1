"""The case page offers a step exactly when its service would take it: the two read one predicate or one set of
states. These tests take the services' side — what the page did not offer, the service refuses too — and the
flows that only the step list used to make possible or impossible (XF-036 review before filing, 重新审核)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cases import services as S
from cases.choices import CaseStatus, EvidenceKind
from cases.models import Case, CaseApproval, LegalReview
from cases.selectors import review_queue
from cases.steps import steps_for
from cases.tests.helpers import (
    D,
    file_case,
    head_of,
    notice,
    open_case,
    propose,
    ready_for_notice,
    ready_to_decide,
    review_pass,
)
from core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from core.models import Deadline

pytestmark = pytest.mark.django_db
CHECKS = ["执法主体合法", "执法人员具备资格", "事实清楚、证据确凿", "适用依据正确", "程序合法", "裁量适当", "文书规范"]


def _offered(case, user) -> set[str]:
    return {s.key for s in steps_for(Case.objects.get(pk=case.pk), user)}


def _late_clue(cw):
    """A clue discovered three years after the act: past the two-year limitation (XF-036)."""
    case = open_case(cw, act_date=D(2023, 1, 10), discovery=D(2026, 3, 5))
    for o in (cw.o1, cw.o2):
        S.case_assign(actor=cw.bureau_officer, case=case, officer=o, on=D(2026, 3, 6), no_conflict_declared=True)
    return case


def test_XF_036_a_law_providing_otherwise_goes_to_legal_review_before_the_head_files(cw, client):
    """Past the limitation the officers cite the law that provides otherwise; their request goes to the legal
    reviewers (queue, step, time limit) and the head can file only once the citation passed review. Before, the
    service asked for a passing review that no page could record on a clue, so such a case could not be filed."""
    head = head_of(cw.zf)
    case = _late_clue(cw)
    client.force_login(cw.bureau_officer)
    url = reverse("cases:step", args=[case.pk, "file"])
    refused = client.post(url, {"on": "2026-03-06", "basis": "有违法事实"})
    assert refused.status_code == 422 and "XF-036" in refused.content.decode()
    assert not case.approvals.exists()
    asked = client.post(url, {"on": "2026-03-06", "basis": "有违法事实",
                              "limitation_citation": "《税收征收管理法》第八十六条：五年内未被发现的，不再给予行政处罚"})
    assert asked.status_code == 302, asked.content.decode()[-1500:]
    approval = case.approvals.get(kind=CaseApproval.Kind.FILING)
    assert approval.details[S.LIMITATION_REVIEW] == "pending"
    page = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "待负责人决定：立案审批（2026-03-06）" in page and "待法制审核" in page  # why 立案 is not offered again
    clock = Deadline.objects.get(object_id=str(case.pk), kind="case.legal_review", state=Deadline.State.OPEN)
    assert clock.rule == "XF-058"

    # the reviewers see it, and only they have the step; the head cannot file before the review passes
    assert case in review_queue() and S.awaiting_review(case)
    assert "legal_review" in _offered(case, cw.legal_reviewer)
    assert "legal_review" not in _offered(case, cw.bureau_officer)
    client.force_login(cw.legal_reviewer)
    queue = client.get(reverse("cases:reviews")).content.decode()
    assert case.shown_label in queue and "立案前必审（追责时效）" in queue
    form = client.get(reverse("cases:step", args=[case.pk, "legal_review"])).content.decode()
    assert "《税收征收管理法》第八十六条" in form and "待法制审核" in form  # what the reviewers review
    client.cookies["django_language"] = "en"
    form = client.get(reverse("cases:step", args=[case.pk, "legal_review"])).content.decode()
    assert "Limitation period: a law providing otherwise is cited (XF-036)" in form and "Awaiting legal review" in form
    assert 'value="事实清楚、证据确凿"' in form and "Facts clear, evidence conclusive" in form  # recorded in Chinese
    client.cookies["django_language"] = "zh-hans"
    with pytest.raises(RuleViolation) as exc:
        S.case_file(actor=head, case=case, on=D(2026, 3, 7))
    assert exc.value.rule == "XF-036"

    # a return: the head refuses the request; a new citation goes back to the reviewers
    resp = client.post(reverse("cases:step", args=[case.pk, "legal_review"]),
                       {"on": "2026-03-07", "result": "return", "opinion": "请写明援引条文的全文和适用理由"})
    assert resp.status_code == 302, resp.content.decode()[-1500:]
    review = case.legal_reviews.get()
    assert review.triggers[0].startswith("援引“法律另有规定”的追责时效（XF-036）：《税收征收管理法》第八十六条")
    assert case not in review_queue() and "legal_review" not in _offered(case, cw.legal_reviewer)
    assert not Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").exists()
    with pytest.raises(RuleViolation):
        S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="同意", checklist={},
                              on=D(2026, 3, 7))
    S.case_file_refuse(actor=head, case=case, on=D(2026, 3, 8), opinion="待补正援引依据")
    S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 9), basis="有违法事实",
                        limitation_citation="《税收征收管理法》第八十六条全文……适用理由……")
    review.refresh_from_db()
    assert review.resubmitted_on == D(2026, 3, 9) and case in review_queue()

    # passed: the head files, and the case keeps the citation
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="援引正确", on=D(2026, 3, 10),
                          checklist={c: True for c in CHECKS})
    assert case not in review_queue() and not S.awaiting_review(case)
    client.force_login(head)
    form = client.get(reverse("cases:step", args=[case.pk, "file_approve"])).content.decode()
    assert "《税收征收管理法》第八十六条全文" in form and "法制审核 通过 2026-03-10" in form  # what the head decides on
    S.case_file(actor=head, case=case, on=D(2026, 3, 10))
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.limitation_override.startswith("《税收征收管理法》第八十六条")


def test_XF_036_a_refused_request_stops_the_review_clock(cw):
    case = _late_clue(cw)
    S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 6), basis="有违法事实",
                        limitation_citation="《税收征收管理法》第八十六条")
    S.case_file_refuse(actor=head_of(cw.zf), case=case, on=D(2026, 3, 7), opinion="不属于另有规定的情形")
    assert not S.awaiting_review(case) and case not in review_queue()
    assert Deadline.objects.get(object_id=str(case.pk), kind="case.legal_review").state == Deadline.State.CANCELLED


def test_XF_058_no_review_of_what_was_not_put_to_the_reviewers(cw):
    """A clue within its limitation, a case under investigation: nothing is before the reviewers."""
    clue = open_case(cw)
    case = file_case(cw, open_case(cw, n=2))
    for c in (clue, case):
        with pytest.raises(RuleViolation) as exc:
            S.legal_review_record(actor=cw.legal_reviewer, case=c, result="pass", opinion="同意", checklist={},
                                  on=D(2026, 3, 10))
        assert exc.value.rule == "XF-058" and "尚未提请法制审核" in exc.value.message


def test_XF_058_a_passed_review_may_be_looked_at_again_before_the_decision(cw, client):
    """重新审核 is its own, secondary step once a review passed; the latest review counts."""
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(60000))
    assert "legal_review" in _offered(case, cw.legal_reviewer)
    review_pass(cw, case, on=D(2026, 3, 17))
    offered = _offered(case, cw.legal_reviewer)
    assert "legal_review" not in offered and "legal_review_again" in offered
    client.force_login(cw.legal_reviewer)
    resp = client.post(reverse("cases:step", args=[case.pk, "legal_review_again"]),
                       {"on": "2026-03-18", "result": "return", "opinion": "裁量理由需补充"})
    assert resp.status_code == 302, resp.content.decode()[-1500:]
    assert S.last_review(case).result == LegalReview.Result.RETURN
    assert not {"legal_review", "legal_review_again"} & _offered(case, cw.legal_reviewer)


def test_XF_054_evidence_is_collected_while_the_case_is_investigated(cw):
    clue = open_case(cw)
    decided = ready_to_decide(cw, n=2)
    S.case_decide(actor=cw.zf_head, case=decided, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    for case in (clue, decided):
        with pytest.raises(RuleViolation) as exc:
            S.evidence_add(actor=cw.bureau_officer, case=case, kind=EvidenceKind.DOCUMENTARY, description="补充书证",
                           collected_on=D(2026, 3, 24), collectors=[cw.o1, cw.o2], method="调取")
        assert exc.value.rule == "XF-054"
        assert "evidence" not in _offered(case, cw.bureau_officer)
    assert decided.evidence.count() == 1 and not clue.evidence.exists()


def test_XF_046_evidence_is_verified_once_from_its_collection_to_today(cw):
    case = file_case(cw, open_case(cw))
    ev = S.evidence_add(actor=cw.bureau_officer, case=case, kind=EvidenceKind.DOCUMENTARY, description="营业执照复印件",
                        collected_on=D(2026, 3, 9), collectors=[cw.o1, cw.o2], method="调取")
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    for on in (D(2026, 3, 8), tomorrow):
        with pytest.raises(ValidationFailed) as exc:
            S.evidence_verify(actor=cw.bureau_officer, evidence=ev, on=on)
        assert "on" in exc.value.errors
    S.evidence_verify(actor=cw.bureau_officer, evidence=ev, on=D(2026, 3, 10))
    with pytest.raises(InvalidTransition):
        S.evidence_verify(actor=cw.bureau_officer, evidence=ev, on=D(2026, 3, 11))
    ev.refresh_from_db()
    assert ev.verified_on == D(2026, 3, 10)


def test_XF_057_collective_discussion_on_the_investigated_facts_of_a_complex_case(cw):
    clue = open_case(cw)
    plain = ready_for_notice(cw, n=2)
    propose(cw, plain, fine=Decimal(60000))
    for case, said in ((clue, "调查终结后、作出决定前"), (plain, "情节复杂或者重大违法")):
        with pytest.raises(RuleViolation) as exc:
            S.collective_discussion_record(actor=cw.bureau_officer, case=case, held_on=D(2026, 3, 18),
                                           attendees=["甲", "乙", "丙"], opinions="同意", conclusion="同意")
        assert exc.value.rule == "XF-057" and said in exc.value.message
        assert not case.discussions.exists()
    complex_case = ready_for_notice(cw, n=3)
    propose(cw, complex_case, fine=Decimal(60000), is_complex=True)
    assert "collective" in _offered(complex_case, cw.bureau_officer)
    S.collective_discussion_record(actor=cw.bureau_officer, case=complex_case, held_on=D(2026, 3, 18),
                                   attendees=["甲", "乙", "丙"], opinions="同意", conclusion="同意")
    assert complex_case.discussions.count() == 1


def test_XF_044_045_062_statement_and_waiver_only_between_notice_and_decision(cw):
    case = ready_to_decide(cw)  # waived on 2026-03-19
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    with pytest.raises(RuleViolation) as exc:
        S.representations_record(actor=cw.bureau_officer, case=case, text="我不服", received_on=D(2026, 3, 24),
                                 review_opinion="不予采纳")
    assert exc.value.rule == "XF-044-045-062" and "作出决定前" in exc.value.message
    case.refresh_from_db()
    assert case.representations == "" and case.representations_received_on is None


def test_XF_073_a_remedy_is_registered_by_the_body_against_a_decision_or_a_measure_in_force(cw):
    clue = open_case(cw)
    with pytest.raises(RuleViolation) as exc:  # nothing decided, nothing seized: nothing to reconsider
        S.remedy_file(actor=cw.bureau_officer, case=clue, kind="reconsideration", body="常山县人民政府",
                      filed_on=D(2026, 3, 20))
    assert exc.value.rule == "XF-073" and "remedy_file" not in _offered(clue, cw.bureau_officer)
    case = ready_to_decide(cw, n=2)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    with pytest.raises(NotPermitted):  # another body's officer
        S.remedy_file(actor=cw.huibu_officer, case=case, kind="litigation", body="常山县人民法院", filed_on=D(2026, 3, 25))
    for data, field in (({"kind": "appeal"}, "kind"), ({"body": " "}, "body"), ({"filed_on": D(2026, 3, 22)}, "filed_on"),
                        ({"filed_on": dt.date.today() + dt.timedelta(days=2)}, "filed_on"),
                        ({"copy_received_on": D(2026, 3, 24)}, "copy_received_on")):
        with pytest.raises(ValidationFailed) as exc:
            S.remedy_file(actor=cw.bureau_officer, case=case, **{"kind": "litigation", "body": "常山县人民法院",
                                                                 "filed_on": D(2026, 3, 25), **data})
        assert field in exc.value.errors
    assert not case.remedies.exists()
    assert "remedy_file" in _offered(case, cw.bureau_officer)
    S.remedy_file(actor=cw.bureau_officer, case=case, kind="litigation", body="常山县人民法院", filed_on=D(2026, 3, 25))
    assert case.remedies.count() == 1



def test_XF_058_a_proposal_made_anew_after_a_passing_review_is_reviewed_again(cw):
    """The review is of the decision proposed: a new proposal (here after the party's statement, a different
    fine) puts the case back to the reviewers, and the earlier pass no longer lets the head decide."""
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(60000))
    review_pass(cw, case, on=D(2026, 3, 17))
    notice(cw, case, on=D(2026, 3, 18))
    propose(cw, case, on=D(2026, 3, 19), fine=Decimal(70000))  # 重新拟定处罚, to be told again
    case.refresh_from_db()
    assert case in review_queue() and S.awaiting_review(case)
    assert "legal_review" in _offered(case, cw.legal_reviewer) and "legal_review_again" not in _offered(case, cw.legal_reviewer)
    assert Deadline.objects.filter(object_id=str(case.pk), kind="case.legal_review", state="open").exists()
    notice(cw, case, on=D(2026, 3, 20))
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 20), statement=b"%PDF-1.4 waiver")
    with pytest.raises(RuleViolation) as exc:
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(70000))
    assert exc.value.rule == "XF-058" and "处理意见于2026-03-19重新拟定，须重新法制审核（上次审核2026-03-17）" in exc.value.message
    review_pass(cw, case, on=D(2026, 3, 21))
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(70000))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED
    decision = case.documents.get(doc_type="decision")
    assert decision.fields["legal_review"] == "2026-03-21 通过"  # the review it rests on, not the superseded one


def test_XF_036_the_limitation_review_is_not_the_decisions_review(cw):
    """The review that passed the filing's limitation citation does not review the decision proposed later."""
    from cases.tests.helpers import investigate, to_review

    case = _late_clue(cw)
    S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 6), basis="有违法事实",
                        limitation_citation="《税收征收管理法》第八十六条")
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="援引正确", on=D(2026, 3, 6),
                          checklist={c: True for c in CHECKS})
    S.case_file(actor=head_of(cw.zf), case=case, on=D(2026, 3, 6))
    investigate(cw, case)
    to_review(cw, case)
    propose(cw, case, fine=Decimal(60000))
    case.refresh_from_db()
    assert case in review_queue() and S._review_gap(case).startswith("处理意见于2026-03-17重新拟定，须重新法制审核")


def test_QZ_046_053_054_a_reminder_or_court_application_only_in_their_order(cw, client):
    """A 催告书 on a case with no fine overdue was a TypeError — a 500 — before it reached the state check."""
    case = ready_for_notice(cw)
    with pytest.raises(RuleViolation) as exc:
        S.reminder_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 20))
    assert exc.value.rule == "QZ-046-053-054" and "逾期未缴后" in exc.value.message
    with pytest.raises(RuleViolation) as exc:
        S.court_apply(actor=cw.bureau_officer, case=case, applied_on=D(2026, 3, 20))
    assert exc.value.rule == "QZ-046-053-054"
    assert not case.documents.filter(doc_type="reminder").exists()


def test_XF_043_recusal_of_an_officer_of_the_case_recorded_by_its_handlers(cw):
    clue = open_case(cw)
    assert "recusal_apply" not in _offered(clue, cw.bureau_officer)  # nobody handles the clue yet: nobody to recuse
    S.case_assign(actor=cw.bureau_officer, case=clue, officer=cw.o1, on=D(2026, 3, 6), no_conflict_declared=True)
    with pytest.raises(NotPermitted):  # not this body's officer
        S.recusal_apply(actor=cw.huibu_officer, case=clue, officer=cw.o1, applicant="party", reason="亲属关系",
                        on=D(2026, 3, 7))
    with pytest.raises(ValidationFailed) as exc:  # not an officer of the case
        S.recusal_apply(actor=cw.bureau_officer, case=clue, officer=cw.o3, applicant="party", reason="亲属关系",
                        on=D(2026, 3, 7))
    assert "officer" in exc.value.errors
    assert "recusal_apply" in _offered(clue, cw.bureau_officer)  # officers are assigned from the clue on
    r = S.recusal_apply(actor=cw.bureau_officer, case=clue, officer=cw.o1, applicant="party", reason="亲属关系",
                        on=D(2026, 3, 7))
    with pytest.raises(ValidationFailed):  # one pending application per officer
        S.recusal_apply(actor=cw.bureau_officer, case=clue, officer=cw.o1, applicant="self", reason="同学关系",
                        on=D(2026, 3, 7))
    assert "recusal_apply" not in _offered(clue, cw.bureau_officer)  # its only officer awaits the head's decision
    with pytest.raises(ValidationFailed) as exc:
        S.recusal_apply(actor=cw.bureau_officer, case=clue, officer=cw.o1, applicant="他本人", reason="同学关系",
                        on=D(2026, 3, 7))
    assert "officer" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        S.recusal_decide(actor=head_of(cw.zf), recusal=r, granted=True, on=D(2026, 3, 6))
    assert "on" in exc.value.errors
    S.recusal_decide(actor=head_of(cw.zf), recusal=r, granted=True, on=D(2026, 3, 8))
    assert clue.case_officers.get(officer=cw.o1).released_on == D(2026, 3, 8)
    decided = ready_to_decide(cw, n=2)
    S.case_decide(actor=cw.zf_head, case=decided, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    with pytest.raises(RuleViolation) as exc:
        S.recusal_apply(actor=cw.bureau_officer, case=decided, officer=cw.o1, applicant="party", reason="亲属关系",
                        on=D(2026, 3, 24))
    assert exc.value.rule == "XF-043"


def test_filing_is_not_offered_while_the_service_would_refuse_it_and_the_page_says_why(cw, client):
    """申请立案 needs two qualified investigators who declared no conflict (XF-042, XF-043), the item in the body's
    catalogue (ZJ-006-008) and no other body's filing of the act (XF-022-025): until then the case page says what
    is missing in place of the request (``filing_blockers``), and the step's own page says it too (409)."""
    clue = open_case(cw)
    client.force_login(cw.bureau_officer)
    step = reverse("cases:step", args=[clue.pk, "file"])
    page = client.get(clue.get_absolute_url()).content.decode()
    assert step not in page and "还不能“申请立案（报负责人审批）”" in page
    assert "立案须有两名以上持有有效执法证的执法人员（XF-042）" in page
    S.case_assign(actor=cw.bureau_officer, case=clue, officer=cw.o1, on=D(2026, 3, 6), no_conflict_declared=True)
    S.case_assign(actor=cw.bureau_officer, case=clue, officer=cw.o2, on=D(2026, 3, 6), no_conflict_declared=True)
    expiry = cw.o2.certificate_expiry
    type(cw.o2).objects.filter(pk=cw.o2.pk).update(certificate_expiry=D(2026, 3, 5))  # 叶二's 执法证 ran out
    assert S.filing_blockers(clue, D(2026, 3, 6)) == [("XF-042", "叶二的执法证在2026-03-06无效，不能立案")]
    resp = client.get(step)
    assert resp.status_code == 409 and "今天还不能“申请立案（报负责人审批）”：叶二的执法证在" in resp.content.decode()
    with pytest.raises(RuleViolation) as exc:  # the service refuses for the reason the page gives
        S.case_file_request(actor=cw.bureau_officer, case=clue, on=D(2026, 3, 6), basis="x")
    assert exc.value.rule == "XF-042" and "叶二的执法证在2026-03-06无效" in exc.value.message
    type(cw.o2).objects.filter(pk=cw.o2.pk).update(certificate_expiry=expiry)
    assert S.filing_blockers(clue, D(2026, 3, 6)) == []
    page = client.get(clue.get_absolute_url()).content.decode()
    assert step in page and "还不能" not in page
    assert client.get(step).status_code == 200


def _spot(cw, *, cash: bool):
    from cases.choices import PartyKind
    from cases.tests.helpers import at

    return S.spot_decide(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_kind=PartyKind.PERSON,
                         party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾", place="人民路",
                         at=at(D(2026, 3, 9)), officers=[cw.o1, cw.o2], types=["fine"], fine=Decimal(50 if cash else 150),
                         collected_on_spot=cash, receipt_no="浙财票0001" if cash else "")


def test_XF_070_071_only_cash_collected_on_the_spot_is_handed_over(cw):
    """A fine paid at the bank was accepted as handed over to the agency and banked again."""
    case = _spot(cw, cash=False)
    payment = S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(150), paid_on=D(2026, 3, 12))
    with pytest.raises(RuleViolation) as exc:
        S.cash_handover(actor=cw.bureau_officer, payment=payment, handed_over_on=D(2026, 3, 13))
    assert exc.value.rule == "XF-070-071"
    cash = _spot(cw, cash=True).payments.get()
    with pytest.raises(ValidationFailed) as exc:
        S.cash_handover(actor=cw.bureau_officer, payment=cash, handed_over_on=dt.date.today() + dt.timedelta(days=2))
    assert "handed_over_on" in exc.value.errors
    S.cash_handover(actor=cw.bureau_officer, payment=cash, handed_over_on=D(2026, 3, 10))
    payment.refresh_from_db()
    assert payment.handed_over_on is None and cash.__class__.objects.get(pk=cash.pk).handed_over_on == D(2026, 3, 10)


def test_XF_066_deferral_within_the_payment_period_also_for_an_on_the_spot_fine(cw):
    case = _spot(cw, cash=False)
    head = head_of(cw.zf)
    assert "deferral" in _offered(case, head)
    S.deferral_approve(actor=head, case=case, reason="经济困难", on=D(2026, 3, 10),
                       schedule=[(D(2026, 4, 10), Decimal(150))])
    S.mark_overdue(case=case, on=D(2026, 4, 11))
    case.refresh_from_db()
    assert case.status == CaseStatus.OVERDUE and "deferral" not in _offered(case, head)
    with pytest.raises(RuleViolation) as exc:
        S.deferral_approve(actor=head, case=case, reason="经济困难", on=D(2026, 4, 12), schedule=[(D(2026, 5, 10), Decimal(150))])
    assert exc.value.rule == "XF-066" and "缴纳期限内" in exc.value.message


def test_XF_073_a_remedy_outcome_is_recorded_once_by_the_body_with_a_real_result(cw):
    case = _spot(cw, cash=False)
    remedy = S.remedy_file(actor=cw.bureau_officer, case=case, kind="reconsideration", body="常山县人民政府",
                           filed_on=D(2026, 3, 12))
    with pytest.raises(NotPermitted):
        S.remedy_close(actor=cw.huibu_officer, remedy=remedy, result="upheld", closed_on=D(2026, 4, 1))
    for result, closed_on, field in (("pending", D(2026, 4, 1), "result"), ("won", D(2026, 4, 1), "result"),
                                     ("upheld", D(2026, 3, 11), "closed_on")):
        with pytest.raises(ValidationFailed) as exc:
            S.remedy_close(actor=cw.bureau_officer, remedy=remedy, result=result, closed_on=closed_on)
        assert field in exc.value.errors
    S.remedy_close(actor=cw.bureau_officer, remedy=remedy, result="upheld", closed_on=D(2026, 4, 1))
    with pytest.raises(InvalidTransition):  # once: a second outcome would rewrite the first
        S.remedy_close(actor=cw.bureau_officer, remedy=remedy, result="revoked", closed_on=D(2026, 4, 2))
    remedy.refresh_from_db()
    assert (remedy.result, remedy.closed_on) == ("upheld", D(2026, 4, 1))


def test_XF_036_each_filing_request_needs_the_review_of_its_own_citation(cw):
    """A pass answers the request it reviewed: after the head refused that request, a new one (citing something
    else) goes back to the reviewers, and the earlier pass does not let the head file."""
    head = head_of(cw.zf)
    case = _late_clue(cw)
    S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 6), basis="有违法事实",
                        limitation_citation="《税收征收管理法》第八十六条")
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="援引正确", on=D(2026, 3, 6),
                          checklist={c: True for c in CHECKS})
    S.case_file_refuse(actor=head, case=case, on=D(2026, 3, 7), opinion="当事人主体待核实")
    S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 8), basis="有违法事实",
                        limitation_citation="《行政处罚法》第三十六条第一款（危害后果）")
    assert case in review_queue() and S.limitation_review_pending(case) is not None
    with pytest.raises(RuleViolation) as exc:
        S.case_file(actor=head, case=case, on=D(2026, 3, 8))
    assert exc.value.rule == "XF-036"
    S.legal_review_record(actor=cw.legal_reviewer, case=case, result="pass", opinion="援引正确", on=D(2026, 3, 9),
                          checklist={c: True for c in CHECKS})
    S.case_file(actor=head, case=case, on=D(2026, 3, 9))
    assert Case.objects.get(pk=case.pk).limitation_override == "《行政处罚法》第三十六条第一款（危害后果）"


def test_officers_are_assigned_from_the_clue_to_the_investigation_only_and_in_the_case_order(cw):
    """指派承办人员: the service took an assignment in any state (a case transferred out, closed, archived) and on any
    date — found by the general walk on 2026-12-07 (assign accepted in transferred_out, not offered)."""
    clue = open_case(cw)
    with pytest.raises(ValidationFailed) as exc:  # before the clue was registered (2026-03-05)
        S.case_assign(actor=cw.bureau_officer, case=clue, officer=cw.o1, on=D(2026, 3, 1), no_conflict_declared=True)
    assert "on" in exc.value.errors
    S.case_transfer_out(actor=cw.bureau_officer, case=clue, to_department=cw.scjg, on=D(2026, 3, 6),
                        reason="属市场监管部门管辖")
    assert "assign" not in _offered(clue, cw.bureau_officer)
    with pytest.raises(RuleViolation) as exc:
        S.case_assign(actor=cw.bureau_officer, case=clue, officer=cw.o1, on=D(2026, 3, 6), no_conflict_declared=True)
    assert exc.value.rule == "XF-042" and not clue.case_officers.exists()

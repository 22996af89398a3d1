"""立案审批 (WS-FILE: the officers' opinion, then the head's approval and date; XF-054): the handling
officers ask, the deciding body's head approves or refuses; the filing date is the approval date."""

import pytest

from cases import services as S
from cases.choices import CaseStatus, DocType
from cases.models import Case, CaseApproval
from cases.selectors import awaiting_head
from cases.tests.helpers import FILED, D, head_of, open_case
from core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from core.models import AuditRecord, Deadline


def _assigned(cw, **kw):
    case = open_case(cw, **kw)
    for o in (cw.o1, cw.o2):
        S.case_assign(actor=cw.bureau_officer, case=case, officer=o, on=FILED, no_conflict_declared=True)
    return case


def test_the_officers_ask_and_only_the_head_files(cw):
    case = _assigned(cw)
    approval = S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="有违法事实，属本机关管辖")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLUE and case.filed_on is None and not case.number
    assert not Deadline.objects.filter(kind="case.decide", object_id=str(case.pk)).exists()  # no 90-day timer yet
    assert [c.pk for c, what in awaiting_head(cw.zf_head) if "立案审批" in what] == [case.pk]
    with pytest.raises(ValidationFailed):  # one request at a time
        S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="再次申请")
    with pytest.raises(ValidationFailed):  # not both at once: the head has the request
        S.case_not_file_request(actor=cw.bureau_officer, case=case, on=FILED, reason="不予立案")
    audit = AuditRecord.objects.count()
    with pytest.raises(NotPermitted) as exc:  # the officer does not approve his own request
        S.case_file(actor=cw.bureau_officer, case=case, on=FILED)
    assert "XF-054" in exc.value.message and AuditRecord.objects.count() == audit
    with pytest.raises(ValidationFailed) as exc:  # approved before it was asked for
        S.case_file(actor=cw.zf_head, case=case, on=D(2026, 3, 5))
    assert "on" in exc.value.errors
    S.case_file(actor=cw.zf_head, case=case, on=D(2026, 3, 9), opinion="同意立案")
    case.refresh_from_db()
    approval.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.filed_on == D(2026, 3, 9)
    assert case.filing_approved_by == cw.zf_head
    assert (approval.status, approval.decided_by, approval.decided_on) == (
        CaseApproval.Status.APPROVED, cw.zf_head, D(2026, 3, 9))
    doc = case.documents.get(doc_type=DocType.FILING)
    assert doc.fields["head_approval"] == "同意立案（zf_head，2026-03-09）"
    assert doc.fields["unit_opinion"] == "有违法事实，属本机关管辖（bureau_officer，2026-03-06）"
    assert doc.fields["basis"] == "有违法事实，属本机关管辖"
    assert Deadline.objects.filter(kind="case.decide", object_id=str(case.pk)).exists()
    assert awaiting_head(cw.zf_head) == []


def test_another_bodys_head_cannot_approve(cw):
    case = _assigned(cw)
    S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="符合立案条件")
    with pytest.raises(NotPermitted):
        S.case_file(actor=head_of(cw.scjg), case=case, on=FILED)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLUE


def test_a_refusal_needs_reasons_and_leaves_the_case_to_the_officers(cw):
    case = _assigned(cw)
    S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="符合立案条件")
    with pytest.raises(ValidationFailed) as exc:
        S.case_file_refuse(actor=cw.zf_head, case=case, on=FILED, opinion=" ")
    assert "opinion" in exc.value.errors
    refused = S.case_file_refuse(actor=cw.zf_head, case=case, on=FILED, opinion="证据不足，补充核查后再报")
    assert refused.status == CaseApproval.Status.REFUSED
    assert AuditRecord.objects.filter(action="cases.filing.refuse").count() == 1
    with pytest.raises(ValidationFailed):  # nothing left to approve
        S.case_file(actor=cw.zf_head, case=case, on=FILED)
    # the officers may ask again; the refused request stays on the case
    S.case_file_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 9), basis="已补充核查")
    S.case_file(actor=cw.zf_head, case=case, on=D(2026, 3, 9))
    assert list(case.approvals.values_list("status", flat=True)) == ["refused", "approved"]


def test_the_guards_are_checked_again_when_the_head_approves(cw):
    """A certificate that lapses between the request and the approval: the head cannot file (XF-042)."""
    case = _assigned(cw)
    S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="符合立案条件")
    cw.o2.certificate_expiry = D(2026, 3, 7)
    cw.o2.save()
    with pytest.raises(RuleViolation) as exc:
        S.case_file(actor=cw.zf_head, case=case, on=D(2026, 3, 9))
    assert exc.value.rule == "XF-042"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLUE
    assert case.approvals.get().status == CaseApproval.Status.PENDING


def _paid(cw):
    from decimal import Decimal

    from cases.choices import ServiceMethod
    from cases.tests.helpers import ready_to_decide

    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 4, 1))
    return Case.objects.get(pk=case.pk)


def test_a_filed_case_is_closed_by_the_heads_approval_of_the_officers_request(cw):
    """结案审批 (WS-CLOSE: "head approval"): the officers ask with the closure reason; the head approves."""
    case = _paid(cw)
    with pytest.raises(NotPermitted):  # the officer cannot close a filed general-procedure case himself
        S.case_close(actor=cw.bureau_officer, case=case, on=D(2026, 4, 2), reason="已履行")
    with pytest.raises(ValidationFailed):  # the head has nothing to approve yet
        S.case_close(actor=cw.zf_head, case=case, on=D(2026, 4, 2))
    with pytest.raises(ValidationFailed) as exc:
        S.case_close_request(actor=cw.bureau_officer, case=case, on=D(2026, 4, 2), reason=" ")
    assert "reason" in exc.value.errors
    S.case_close_request(actor=cw.bureau_officer, case=case, on=D(2026, 4, 2), reason="罚款已缴清，履行完毕")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.EXECUTED
    assert any("结案审批（WS-CLOSE）" in what for _c, what in awaiting_head(cw.zf_head))
    S.case_close_refuse(actor=cw.zf_head, case=case, on=D(2026, 4, 3), opinion="缴款凭证未入卷，补齐后再报")
    S.case_close_request(actor=cw.bureau_officer, case=case, on=D(2026, 4, 7), reason="罚款已缴清，凭证已入卷")
    S.case_close(actor=cw.zf_head, case=case, on=D(2026, 4, 8), opinion="同意结案")
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.close_reason) == (CaseStatus.CLOSED, D(2026, 4, 8), "罚款已缴清，凭证已入卷")
    doc = case.documents.get(doc_type=DocType.CLOSING)
    assert doc.fields["head_approval"] == "同意结案（zf_head，2026-04-08）"
    assert doc.fields["unit_opinion"] == "罚款已缴清，凭证已入卷（bureau_officer，2026-04-07）"
    assert list(case.approvals.filter(kind="closing").values_list("status", flat=True)) == ["refused", "approved"]


def test_an_unpaid_fine_is_not_even_asked_to_close(cw):
    from cases.choices import ServiceMethod
    from cases.tests.helpers import ready_to_decide

    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=60000)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    with pytest.raises(RuleViolation) as exc:
        S.case_close_request(actor=cw.bureau_officer, case=case, on=D(2026, 3, 30), reason="结案")
    assert exc.value.rule == "XF-067" and not case.approvals.filter(kind="closing").exists()


def test_simple_procedure_and_unfiled_cases_are_closed_by_the_officers(cw):
    from decimal import Decimal

    from cases.choices import PartyKind
    from cases.tests.helpers import at

    spot = S.spot_decide(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_kind=PartyKind.PERSON,
                         party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾", place="人民路",
                         at=at(D(2026, 3, 9)), officers=[cw.o1, cw.o2], types=["fine"], fine=Decimal(50))
    S.payment_record(actor=cw.bureau_officer, case=spot, amount=Decimal(50), paid_on=D(2026, 3, 10))
    with pytest.raises(ValidationFailed):  # nothing to ask for
        S.case_close_request(actor=cw.bureau_officer, case=spot, on=D(2026, 3, 11), reason="已履行")
    S.case_close(actor=cw.bureau_officer, case=spot, on=D(2026, 3, 11), reason="已履行")
    doc = Case.objects.get(pk=spot.pk).documents.get(doc_type=DocType.CLOSING)
    assert "简易程序" in doc.fields["head_approval"]
    clue = open_case(cw, n=5)
    S.case_not_file_request(actor=cw.bureau_officer, case=clue, on=FILED, reason="不属于违法行为")
    S.case_not_file(actor=cw.zf_head, case=clue, on=FILED)
    S.case_close(actor=cw.bureau_officer, case=clue, on=FILED, reason="不予立案")
    assert Case.objects.get(pk=clue.pk).status == CaseStatus.CLOSED


def test_not_filing_is_the_heads_too(cw):
    """WS-FILE 立案(不予立案)审批表: not filing is approved by the head as well, with the officers' reasons."""
    case = open_case(cw)
    with pytest.raises(ValidationFailed) as exc:
        S.case_not_file_request(actor=cw.bureau_officer, case=case, on=FILED, reason="")
    assert "reason" in exc.value.errors
    S.case_not_file_request(actor=cw.bureau_officer, case=case, on=FILED, reason="经核查，不存在违法事实")
    with pytest.raises(ValidationFailed):  # to file is not asked while not filing is before the head
        S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="符合立案条件")
    with pytest.raises(NotPermitted):
        S.case_not_file(actor=cw.bureau_officer, case=case, on=FILED)
    S.case_not_file(actor=cw.zf_head, case=case, on=FILED, opinion="同意")
    case.refresh_from_db()
    assert (case.status, case.not_filed_reason) == (CaseStatus.NOT_FILED, "经核查，不存在违法事实")
    doc = case.documents.get(doc_type=DocType.NOT_FILING)
    assert doc.fields["head_approval"] == "同意（zf_head，2026-03-06）"
    assert Deadline.objects.get(object_id=str(case.pk), kind="case.verify").state == "met"


def test_the_head_is_told_of_each_request_at_once_and_the_notice_settles_when_decided(cw):
    from dispatch.selectors import unread_notifications_for

    case = _assigned(cw)
    S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="有违法事实，属本机关管辖")
    notes = list(unread_notifications_for(cw.zf_head).filter(text__startswith=S.ASK_HEAD))
    assert [(n.user, n.link) for n in notes] == [(cw.zf_head, case.get_absolute_url())]
    assert "立案审批" in notes[0].text and "有违法事实" in notes[0].text
    # addressed to the head by name, not to the whole bureau
    assert not unread_notifications_for(cw.bureau_officer).filter(text__startswith=S.ASK_HEAD).exists()
    S.case_file(actor=cw.zf_head, case=case, on=FILED)
    assert not unread_notifications_for(cw.zf_head).filter(text__startswith=S.ASK_HEAD).exists()


def test_a_body_without_a_head_account_is_told_so_and_nothing_is_written(cw):
    """A request nobody can receive is refused with the reason, not left waiting unseen."""
    from org.models import User

    case = _assigned(cw)
    User.objects.filter(pk=cw.zf_head.pk).update(is_active=False)
    before = (CaseApproval.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="有违法事实，属本机关管辖")
    assert "尚无启用的机关负责人账号" in exc.value.errors["__all__"][0] and "立案审批" in exc.value.message
    assert (CaseApproval.objects.count(), AuditRecord.objects.count()) == before
    User.objects.filter(pk=cw.zf_head.pk).update(is_active=True)
    assert S.case_file_request(actor=cw.bureau_officer, case=case, on=FILED, basis="有违法事实").status == "pending"

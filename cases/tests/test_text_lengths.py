"""Free text longer than the column it is kept in is refused with the field named — never a database error
(PostgreSQL enforces the length, SQLite does not: until 2026-12-07 these texts were a server error on one and
stored whole on the other) and never cut short in the record (the 不予立案 and 不予公开 reasons were)."""

from decimal import Decimal

import pytest

from cases import services as S
from cases.choices import ActKind, CaseStatus, ServiceMethod
from cases.models import Act, Case, Hearing
from cases.tests.helpers import (
    D,
    at,
    file_case,
    head_of,
    not_file,
    notice,
    open_case,
    propose,
    ready_for_notice,
    ready_to_decide,
)
from core.exceptions import ValidationFailed
from core.models import AuditRecord

pytestmark = pytest.mark.django_db


def refused(call, field, limit):
    """``call``, one character over ``limit``, is refused on ``field``, and writes no audit record."""
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        call()
    assert exc.value.errors == {field: [f"不超过{limit}字（现为{limit + 1}字）"]}, exc.value.errors
    assert "太长" in exc.value.message
    assert AuditRecord.objects.count() == before


def _served(cw):
    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                 receiver="法定代表人")
    return Case.objects.get(pk=case.pk)


def test_not_filing_and_closing_reasons(cw):
    clue = open_case(cw)
    refused(lambda: S.case_not_file_request(actor=cw.bureau_officer, case=clue, on=D(2026, 3, 6), reason="理" * 301),
            "reason", 300)
    not_file(cw, clue, D(2026, 3, 6), reason="理" * 300)
    clue.refresh_from_db()
    assert clue.not_filed_reason == "理" * 300  # whole, not cut
    refused(lambda: S.case_close(actor=cw.bureau_officer, case=clue, on=D(2026, 3, 7), reason="结" * 201), "reason", 200)
    S.case_close(actor=cw.bureau_officer, case=clue, on=D(2026, 3, 7), reason="结" * 200)
    assert Case.objects.get(pk=clue.pk).close_reason == "结" * 200


def test_the_exclusion_reason_fits_beside_its_ground(cw):
    case = _served(cw)
    head = head_of(cw.zf)
    ground = "secrets"
    from cases.choices import PublicationExclusion

    room = 200 - len(str(PublicationExclusion(ground).label)) - 1
    refused(lambda: S.publication_exclude(actor=head, case=case, on=D(2026, 3, 25), ground=ground, reason="密" * (room + 1)),
            "reason", room)
    S.publication_exclude(actor=head, case=case, on=D(2026, 3, 25), ground=ground, reason="密" * room)
    text = Case.objects.get(pk=case.pk).publication_exclusion
    assert text.endswith("：" + "密" * room) and len(text) == 200


def test_withdrawal_deferral_and_payment(cw):
    case = _served(cw)
    S.publication_publish(actor=cw.bureau_officer, case=case, on=D(2026, 3, 26))
    refused(lambda: S.publication_withdraw(actor=cw.bureau_officer, case=case, on=D(2026, 6, 2), reason="撤" * 301),
            "reason", 300)
    refused(lambda: S.deferral_approve(actor=cw.zf_head, case=case, reason="难" * 301, on=D(2026, 3, 30),
                                       schedule=[(D(2026, 4, 30), Decimal(60000))]), "reason", 300)
    with pytest.raises(ValidationFailed) as exc:  # XF-066: the difficulty is said
        S.deferral_approve(actor=cw.zf_head, case=case, reason=" ", on=D(2026, 3, 30),
                           schedule=[(D(2026, 4, 30), Decimal(60000))])
    assert exc.value.errors == {"reason": ["不能为空"]} and not case.deferrals.exists()
    refused(lambda: S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 3, 30),
                                     method="通过当事人开户银行网上银行转账至财政非专户"), "method", 20)
    assert not case.payments.exists()


def test_refusal_notes_on_a_record_and_a_hearing(cw):
    case = open_case(cw)
    file_case(cw, case)
    refused(lambda: S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.INSPECTION, started_at=at(D(2026, 3, 9)),
                                 ended_at=at(D(2026, 3, 9), 11), place="仓库", officers=[cw.o1, cw.o2], id_shown=True,
                                 record="检查记录", party_signed=False, refusal_note="拒" * 201), "refusal_note", 200)
    assert not Act.objects.filter(case=case).exists()


def test_the_hearing_records_refusal_note(cw):
    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))  # a hearing right
    notice(cw, case, on=D(2026, 3, 18))
    S.hearing_request(actor=cw.bureau_officer, case=case, requested_on=D(2026, 3, 24))
    S.hearing_schedule(actor=cw.bureau_officer, case=case, notice_served_on=D(2026, 3, 26),
                       scheduled_for=at(D(2026, 4, 10)), place="听证室", presider=cw.o3)
    refused(lambda: S.hearing_hold(actor=cw.bureau_officer, case=case, held_on=D(2026, 4, 10), attended=True,
                                   record="听证记录", party_signed=False, refusal_note="拒" * 201), "refusal_note", 200)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.HEARING_SCHEDULED
    assert Hearing.objects.get(case=case).held_on is None


def test_the_forms_take_no_more_than_the_record_holds(cw, client):
    from django.urls import reverse

    clue = open_case(cw)
    not_file(cw, clue, D(2026, 3, 6))
    client.force_login(cw.bureau_officer)
    resp = client.post(reverse("cases:step", args=[clue.pk, "close"]), {"on": "2026-03-07", "reason": "结" * 201})
    assert resp.status_code == 422 and "确保该变量包含不超过 200 字符" in resp.content.decode()
    assert Case.objects.get(pk=clue.pk).status == CaseStatus.NOT_FILED

"""Text longer than the column it is kept in is refused with the field named, and nothing is written —
never a server error on PostgreSQL, never kept whole on SQLite, never cut short in the record (a rating's
comment and a 报到 note were, without a word, until 2026-12-07)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.models import AuditRecord
from dispatch import services
from dispatch.models import EventReturn, Whistle
from dispatch.tests.test_flow import report
from intake.models import Event, Verification

pytestmark = pytest.mark.django_db


def refused(call, field, limit, n):
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        call()
    assert exc.value.errors == {field: [f"不超过{limit}字（现为{n}字）"]}, exc.value.errors
    assert AuditRecord.objects.count() == before


def test_a_return_a_verification_and_a_rating(iw):
    e = report(iw)
    refused(lambda: services.event_return(actor=iw.tianma_officer, event=e, reason="非" * 501), "reason", 500, 501)
    assert not EventReturn.objects.exists() and Event.objects.get(pk=e.pk).return_count == 0
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    e.refresh_from_db()
    refused(lambda: services.event_verify(actor=iw.grid_tianma, event=e, passed=True, note="查" * 501), "note", 500, 501)
    assert not Verification.objects.exists() and Event.objects.get(pk=e.pk).status == "resolved"
    services.event_verify(actor=iw.grid_tianma, event=e, passed=True, note="现场已无摊点")
    e.refresh_from_db()
    refused(lambda: services.event_rate(event=e, score=4, comment="好" * 301), "comment", 300, 301)
    assert Event.objects.get(pk=e.pk).rating is None
    services.event_rate(event=e, score=4, comment="好" * 300)
    assert Event.objects.get(pk=e.pk).rating_comment == "好" * 300  # whole


def test_a_whistle_and_its_report(iw):
    blow = dict(actor=iw.tianma_officer, description="", town=iw.tianma,
                action_at=timezone.now() + dt.timedelta(days=1), calls=[(iw.zj, "提供图纸")])
    refused(lambda: services.whistle_blow(title="事" * 201, place="人民路", **blow), "title", 200, 201)
    refused(lambda: services.whistle_blow(title="联合拆除", place="地" * 201, **blow), "place", 200, 201)
    refused(lambda: services.whistle_blow(title="联合拆除", place="人民路", **{**blow, "calls": [(iw.zj, "任" * 301)]}),
            "task", 300, 301)
    assert not Whistle.objects.exists()
    w = services.whistle_blow(title="联合拆除", place="人民路", **blow)
    call = w.calls.get()
    refused(lambda: services.whistle_report(actor=iw.zj_officer, call=call, note="到" * 301), "note", 300, 301)
    call.refresh_from_db()
    assert call.reported_at is None
    services.whistle_report(actor=iw.zj_officer, call=call, note="到" * 300)
    call.refresh_from_db()
    assert call.report_note == "到" * 300

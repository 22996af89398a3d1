"""Reporters who ask for it get a text when their report is accepted, merged, closed or ended as invalid (短信告知)."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings

from core import clock
from core.models import AuditRecord
from dispatch import services as dispatch
from intake.messaging import MAX_ATTEMPTS, RETRY_AFTER, send_reporter_messages
from intake.models import Event, ReporterMessage

pytestmark = pytest.mark.django_db


def _report(client, iw, text="人民路有人占道摆摊经营", **extra):
    from intake.models import EventCategory

    form = {"text": text, "lng": iw.tianma_point[0], "lat": iw.tianma_point[1], "priority": "normal",
            "category": EventCategory.objects.get(code="0504").pk, "reporter_phone": "13912345678",
            "notify_reporter": "on", **extra}
    return client.post("/public/report/", form)


def test_accepted_merged_and_closed_reports_queue_a_text_only_when_asked(iw, client):
    assert _report(client, iw).status_code == 302
    first = Event.objects.get()
    msg = ReporterMessage.objects.get()
    assert msg.kind == "received" and msg.phone == "13912345678" and first.ticket in msg.text
    assert msg.text.startswith("【常山县综合行政执法】") and f"/public/track/{first.ticket}/" in msg.text
    assert _report(client, iw, text="人民路有人占道摆摊经营，堵住了路").status_code == 302  # a near-duplicate
    merged = ReporterMessage.objects.get(kind="merged")
    assert first.ticket in merged.text
    _report(client, iw, text="文峰路共享单车乱停放", notify_reporter="")  # not asked: nothing queued
    assert ReporterMessage.objects.count() == 2
    r = _report(client, iw, text="定阳路工地噪声", reporter_phone="")
    assert r.status_code == 200 and "须填写手机号码" in r.content.decode()
    ins = first.instructions.get()
    dispatch.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    dispatch.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，联系人13800000000")
    first.refresh_from_db()
    dispatch.event_verify(actor=iw.grid_tianma, event=first, passed=True, note="现场核查已恢复通行")
    closed = ReporterMessage.objects.get(kind="closed")
    assert "已劝离摊贩" in closed.text and "13800000000" not in closed.text and "15日内" in closed.text


def test_the_log_gateway_marks_sent_once_and_audits(iw, client, caplog):
    _report(client, iw)
    with caplog.at_level("INFO", logger="openenforce.sms"):
        assert send_reporter_messages() == {"sent": 1, "failed": 0}
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text  # logs never hold the number
    assert send_reporter_messages() == {"sent": 0, "failed": 0}
    msg = ReporterMessage.objects.get()
    assert msg.status == "sent" and msg.attempts == 1 and msg.sent_at is not None
    assert AuditRecord.objects.filter(action="intake.reporter_message.sent").count() == 1


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    fail = False

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.headers["Authorization"], body))
        self.send_response(503 if type(self).fail else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _Gateway.received, _Gateway.fail = [], False
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _Gateway
    server.shutdown()


def test_the_http_gateway_posts_json_retries_and_gives_up(iw, client, gateway):
    server, handler = gateway
    url = f"http://127.0.0.1:{server.server_port}/sms"
    _report(client, iw)
    msg = ReporterMessage.objects.get()
    with override_settings(OPENENFORCE_SMS_BACKEND="http", OPENENFORCE_SMS_URL=url, OPENENFORCE_SMS_TOKEN="t0ken"):
        handler.fail = True
        assert send_reporter_messages() == {"sent": 0, "failed": 1}
        msg.refresh_from_db()
        assert msg.status == "queued" and msg.attempts == 1 and "503" in msg.last_error
        handler.fail = False
        assert send_reporter_messages() == {"sent": 0, "failed": 0}  # not again at once: it waits RETRY_AFTER
        with clock.frozen(clock.now() + RETRY_AFTER + dt.timedelta(seconds=1)):
            assert send_reporter_messages() == {"sent": 1, "failed": 0}
    auth, body = handler.received[-1]
    assert auth == "Bearer t0ken" and body == {"phone": "13912345678", "text": msg.text, "ref": str(msg.pk)}
    msg.refresh_from_db()
    assert msg.status == "sent" and msg.attempts == 2
    # a gateway that never answers well: given up after MAX_ATTEMPTS, and said so
    _report(client, iw, text="文峰路共享单车乱停放")
    with override_settings(OPENENFORCE_SMS_BACKEND="http", OPENENFORCE_SMS_URL=url):
        handler.fail = True
        for i in range(MAX_ATTEMPTS + 2):
            with clock.frozen(clock.now() + i * (RETRY_AFTER + dt.timedelta(seconds=1))):
                send_reporter_messages()
    last = ReporterMessage.objects.latest("pk")
    assert last.status == "failed" and last.attempts == MAX_ATTEMPTS
    assert AuditRecord.objects.filter(action="intake.reporter_message.failed", after__final=True).count() == 1


def test_a_message_being_sent_is_not_claimed_by_another_worker(iw, client):
    """A second sweep that starts while the first is still talking to the gateway leaves the message alone."""
    from django.utils import timezone

    _report(client, iw)
    msg = ReporterMessage.objects.get()
    ReporterMessage.objects.filter(pk=msg.pk).update(attempts=1, attempted_at=timezone.now())  # claimed just now
    assert send_reporter_messages() == {"sent": 0, "failed": 0}
    assert ReporterMessage.objects.get().attempts == 1


def test_a_report_ended_as_invalid_tells_the_reporter_who_asked(iw, client):
    """作为无效事件结束 is an outcome the reporter hears of, like 办结: never a report that silently stops."""
    assert _report(client, iw, text="测试一下这个系统能不能用", category="").status_code == 302
    e = Event.objects.get()
    assert e.status == "triage"
    dispatch.event_invalidate(actor=iw.operator, event=e, reason="报告内容为系统测试，非真实问题")
    msg = ReporterMessage.objects.get(kind="invalid")
    assert msg.phone == "13912345678" and e.ticket in msg.text and "经核实不属于可受理的问题" in msg.text
    assert f"/public/track/{e.ticket}/" in msg.text

"""Text messages to reporters who asked for them (短信告知): queued by the intake services when a report
is accepted, merged into an earlier one or closed, and sent by the worker's sweep through the gateway
named in ``OPENENFORCE_SMS_BACKEND``:

- ``log`` (the default, and the demo's): the message is written to the ``openenforce.sms`` log (the number
  masked) and marked sent. Nothing leaves the machine.
- ``http``: ``POST OPENENFORCE_SMS_URL`` with JSON ``{"phone", "text", "ref"}`` and
  ``Authorization: Bearer OPENENFORCE_SMS_TOKEN``; any 2xx is sent, anything else (or no answer within
  10 s) is a failure that is retried ``RETRY_AFTER`` later, up to ``MAX_ATTEMPTS`` times. ``ref`` is the
  message id, so a gateway can drop a repeat. Adapting to a given provider (an SMS company, 浙里办's
  message centre) is a small HTTP relay in front of it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_noop

from core import clock
from core.audit import audit_log
from core.config import config_get
from core.models import Notification
from core.privacy import redact_public
from core.records import said
from core.validators import mask_phone
from intake.choices import Channel
from intake.models import Event, ReporterMessage

log = logging.getLogger("openenforce.sms")
MAX_ATTEMPTS = 5
SIGNATURE = "【常山县综合行政执法】"


def _track_url(event: Event) -> str:
    return f"{settings.OPENENFORCE_PUBLIC_URL.rstrip('/')}/public/track/{event.ticket}/"


def message_text(event: Event, kind: str) -> str:
    if kind == ReporterMessage.Kind.RECEIVED:
        body = f"您反映的问题已受理，受理编号{event.ticket}，进度可查：{_track_url(event)}"
    elif kind == ReporterMessage.Kind.MERGED:
        body = (f"您反映的问题已有人报告（{event.duplicate_of.ticket}），已合并办理，受理编号{event.ticket}，"
                f"进度可查：{_track_url(event.duplicate_of)}")
    elif kind == ReporterMessage.Kind.INVALID:
        body = f"您反映的问题（{event.ticket}）经核实不属于可受理的问题，不再处理。如有疑问，可通过{_track_url(event)}查看或致电12345。"
    else:
        outcome = redact_public(event.outcome, names=[event.reporter_name])[:80]
        days = config_get("intake.reopen_days")
        body = (f"您反映的问题（{event.ticket}）已办结：{outcome}。如未解决，可在办结后{days}日内通过"
                f"{_track_url(event)}申请重新处理，并请评价。")
    return (SIGNATURE + body)[:300]


REFERRER_NOTICES = {
    ReporterMessage.Kind.MERGED: gettext_noop("贵单位移送的线索 %(ticket)s 与 %(earlier)s 为同一问题，已合并办理"),
    ReporterMessage.Kind.INVALID: gettext_noop("贵单位移送的线索 %(ticket)s 经核实不属于可受理的问题，不再处理"),
    ReporterMessage.Kind.CLOSED: gettext_noop("贵单位移送的线索 %(ticket)s 已办结：%(outcome)s"),
}


def tell_referrer(event: Event, kind: str) -> list[Notification]:
    """部门移送 (ZJ-016): the department that referred ``event`` is told in its notices when the referral is merged
    into an earlier report, ended as no matter for anyone, or closed with its outcome — and so is a department
    whose referral was merged into ``event``, when ``event`` ends (its own referral waits on this one). What became
    of a case opened from it, the case tells (``cases.services``)."""
    if kind not in REFERRER_NOTICES:
        return []
    referrals = [event]
    if kind != ReporterMessage.Kind.MERGED:
        referrals += list(event.duplicates.filter(channel=Channel.REFERRAL).select_related("source", "reporter"))
    told, out = set(), []
    for referral in referrals:
        department_id = referral.referring_department_id
        if department_id is None or department_id in told:
            continue
        told.add(department_id)
        params = {"ticket": referral.ticket}
        if kind == ReporterMessage.Kind.MERGED:
            params["earlier"] = event.duplicate_of.ticket
        elif kind == ReporterMessage.Kind.CLOSED:
            params["outcome"] = event.outcome[:150]
        out.append(Notification.objects.create(department_id=department_id, link=event.get_absolute_url(),
                                               **said(REFERRER_NOTICES[kind], **params)))
    return out


def queue_reporter_message(event: Event, kind: str) -> ReporterMessage | None:
    """Queue one message if the reporter asked for messages and left a phone; a referring department is told
    in its notices (:func:`tell_referrer`). Runs inside the service's transaction: a rolled-back report sends
    nothing."""
    tell_referrer(event, kind)
    if not event.notify_reporter or not event.reporter_phone:
        return None
    return ReporterMessage.objects.create(event=event, kind=kind, phone=event.reporter_phone,
                                          text=message_text(event, kind))


def _send_http(message: ReporterMessage) -> None:
    body = json.dumps({"phone": message.phone, "text": message.text, "ref": str(message.pk)}).encode()
    request = urllib.request.Request(settings.OPENENFORCE_SMS_URL, data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {settings.OPENENFORCE_SMS_TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (URL from settings)
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


def _send(message: ReporterMessage) -> None:
    backend = settings.OPENENFORCE_SMS_BACKEND
    if backend == "log":
        log.info("SMS #%s to %s: %s", message.pk, mask_phone(message.phone), message.text)  # no full number in logs
    elif backend == "http":
        _send_http(message)
    else:
        raise OSError(f"unknown OPENENFORCE_SMS_BACKEND {backend!r}")


RETRY_AFTER = dt.timedelta(minutes=2)  # well beyond the gateway's 10 s timeout


def send_reporter_messages(limit: int = 100) -> dict:
    """One pass over the queue (the sweep calls it every minute). A message is claimed by a
    compare-and-set on its attempt count that also stamps the attempt; a message attempted less than
    ``RETRY_AFTER`` ago is not picked up again, so a second worker never sends a message another worker is
    still sending, and a failed one waits before its retry. Each outcome is audited."""
    counts = {"sent": 0, "failed": 0}
    now = clock.now()
    queued = ReporterMessage.objects.filter(status=ReporterMessage.Status.QUEUED).filter(
        Q(attempted_at__isnull=True) | Q(attempted_at__lt=now - RETRY_AFTER)).order_by("created_at")[:limit]
    for message in queued:
        claimed = ReporterMessage.objects.filter(pk=message.pk, status=ReporterMessage.Status.QUEUED,
                                                 attempts=message.attempts).update(attempts=F("attempts") + 1,
                                                                                   attempted_at=now)
        if not claimed:
            continue
        attempts = message.attempts + 1
        try:
            _send(message)
        except (OSError, urllib.error.URLError) as exc:
            final = attempts >= MAX_ATTEMPTS
            with transaction.atomic():
                ReporterMessage.objects.filter(pk=message.pk).update(
                    last_error=str(exc)[:300], status=ReporterMessage.Status.FAILED if final else
                    ReporterMessage.Status.QUEUED)
                audit_log(actor=None, action="intake.reporter_message.failed", obj=message,
                          after={"attempts": attempts, "error": str(exc)[:200], "final": final})
            counts["failed"] += 1
            continue
        with transaction.atomic():
            ReporterMessage.objects.filter(pk=message.pk).update(status=ReporterMessage.Status.SENT, sent_at=clock.now(),
                                                                 last_error="")
            audit_log(actor=None, action="intake.reporter_message.sent", obj=message,
                      after={"event": message.event.ticket, "kind": message.kind, "attempts": attempts})
        counts["sent"] += 1
    return counts

"""JSON intake for other systems (12345 hotline, drones, cameras/IoT, department systems).

Authentication: header ``X-Api-Key`` (one key per system). ``POST /api/intake/events`` is idempotent by
the sender's ``external_id``: a retry returns the same event (200) and creates nothing; a new event is
201. Bad input is 422 with ``errors`` mapping each field to its messages, and writes nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import APIKeyHeader

from core import clock
from core.api_schemas import refusals
from core.config import config_get
from core.exceptions import NotFound, ValidationFailed
from intake.choices import EventStatus
from intake.models import ApiClient, Event
from intake.schemas import BatchIn, BatchOut, EventIn, EventOut, UpdatesOut
from intake.selectors import updates_for
from intake.services import NewAttachment, api_client_for_key, event_submit


class ApiKey(APIKeyHeader):
    param_name = "X-Api-Key"

    def authenticate(self, request, key):
        return api_client_for_key(key)


router = Router(tags=["intake"], auth=ApiKey())


def event_out(event: Event, created: bool, decision=...) -> dict:
    if decision is ...:
        decision = event.decisions.order_by("-at", "-id").first()
    return {
        "ticket": event.ticket, "status": event.status, "status_label": str(event.get_status_display()),
        "created": created, "duplicate_of": event.duplicate_of.ticket if event.duplicate_of_id else None,
        "me_too_count": event.me_too_count, "town": event.town.name if event.town else None,
        "category": event.category.code if event.category else None,
        "department": event.department.name if event.department else None,
        "team": event.team.name if event.team else None,
        "explanation": decision.explanation.get("summary") if decision else None, "received_at": event.received_at,
        "external_id": event.external_id, "outcome": event.outcome, "resolved_at": event.resolved_at,
        "closed_at": event.closed_at, "town_source": event.town_source,
    }


def _attachments(payload: EventIn, prefix: str = "") -> list[NewAttachment]:
    out = []
    for i, att in enumerate(payload.attachments, start=1):
        try:
            data = base64.b64decode(att.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed(_("附件编码有误"),
                                   errors={f"{prefix}attachments[{i}]": [_("content_base64 不是有效的 Base64")]}) from None
        out.append(NewAttachment(att.name, data))
    return out


def _submit(client: ApiClient, payload: EventIn, *, external_id: str | None = None, prefix: str = ""):
    channel = payload.channel or client.channel
    try:
        return event_submit(
            channel=channel, source=client, external_id=external_id if external_id is not None else payload.external_id,
            text=payload.text, title=payload.title, lng=payload.lng, lat=payload.lat, address=payload.address,
            town_code=payload.town, occurred_at=payload.occurred_at, found_on=payload.found_on,
            category_code=payload.category,
            priority=payload.priority, reporter_name=payload.reporter_name, reporter_phone=payload.reporter_phone,
            confidential=payload.confidential, notify_reporter=payload.notify_reporter,
            attachments=_attachments(payload, prefix), media_url=payload.media_url)
    except ValidationFailed as exc:
        if prefix:
            exc.errors = {f"{prefix}{k}": v for k, v in exc.errors.items()}
        raise


@router.post("/events", response={200: EventOut, 201: EventOut, **refusals(400, 401, 422)})
def create_event(request, payload: EventIn):
    result = _submit(request.auth, payload)
    return Status(201 if result.created else 200, event_out(result.event, result.created))


@router.post("/events/batch", response={200: BatchOut, 201: BatchOut, **refusals(400, 401, 422)})
def create_batch(request, payload: BatchIn):
    """A drone flight's detections, all or nothing: any invalid detection → 422 naming its index."""
    results = []
    with transaction.atomic():
        for i, det in enumerate(payload.detections):
            ext = det.external_id or ""
            if payload.flight_id and ext:
                ext = f"{payload.flight_id}:{ext}"
            results.append(_submit(request.auth, det, external_id=ext, prefix=f"detections[{i}]."))
    created = sum(r.created for r in results)
    body = {"created": created, "existing": len(results) - created,
            "events": [event_out(r.event, r.created) for r in results]}
    return Status(201 if created else 200, body)


MAX_UPDATES = 500


@router.get("/updates", response={200: UpdatesOut, **refusals(401, 422)})
def updates(request, after: int = Query(0, ge=0, description="上次返回的 next_after；首次为 0"),
            limit: int = Query(100, ge=1, le=MAX_UPDATES, description=f"每次最多返回的变更数（1–{MAX_UPDATES}）")):
    """What happened to this system's reports since change ``after`` (回传: 受理, 分派, 退单, 办结 …), oldest
    first, each with the report as it is now (department, outcome). Poll with the last ``next_after``.
    Changes younger than ``intake.updates_settle_seconds`` (300) are held back: a change is numbered when it
    is written and seen when its transaction commits, so without the hold-back a reader could move past
    the number of a change still inside a long transaction (a drone batch of 500 takes 8–16 s)."""
    settle = dt.timedelta(seconds=config_get("intake.updates_settle_seconds"))
    rows = list(updates_for(request.auth, after=after, before=clock.now() - settle)[:limit])
    return {"updates": [{"id": t.pk, "ticket": t.event.ticket, "external_id": t.event.external_id, "old": t.old,
                         "new": t.new, "new_label": str(EventStatus(t.new).label), "reason": t.reason, "at": t.at,
                         "event": event_out(t.event, created=False, decision=next(iter(t.event.latest), None))}
                        for t in rows],
            "next_after": rows[-1].pk if rows else after}


@router.get("/events/{ticket}", response={200: EventOut, **refusals(401, 404)})
def get_event(request, ticket: str):
    event = Event.objects.filter(ticket=ticket, source=request.auth).first()
    if event is None:
        raise NotFound(_("未找到该事件"), errors={"ticket": [ticket]})
    return event_out(event, created=False)

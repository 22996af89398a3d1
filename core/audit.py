"""Append-only, hash-chained audit trail (XF-047, ZJ-034).

Every service write calls :func:`audit_log` inside its own transaction. Appenders serialise on the
single ``AuditChainHead`` row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite every write
transaction is ``IMMEDIATE`` and therefore already serialised), so the chain never forks.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from core.models import AuditChainHead, AuditRecord
from core.origin import current_origin
from core.records import record_language

GENESIS = "0" * 64


def _default(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return str(value)


def normalise(data):
    """JSON-safe copy of ``data`` whose canonical form survives a round trip through the database."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def compute_hash(record: AuditRecord) -> str:
    payload = {
        "seq": record.seq,
        "at": _default(record.at),
        "actor_id": record.actor_id,
        "actor_name": record.actor_name,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "before": record.before,
        "after": record.after,
        "origin": record.origin,
        "prev_hash": record.prev_hash,
    }
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of ``instance`` (FKs by id), for before/after."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = getattr(instance, field.attname)
    for field in instance._meta.many_to_many:
        if fields is not None and field.name not in fields:
            continue
        if instance.pk:
            data[field.name] = sorted(instance.__dict__.get("_prefetched_objects_cache", {}).get(
                field.name, getattr(instance, field.name).all()
            ).values_list("pk", flat=True))
    return normalise(data)


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_repr: str | None = None,
) -> AuditRecord:
    """Append one record. Must run inside the caller's transaction (``transaction.atomic``)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit_log must be called inside the service's transaction")
    with record_language():  # str(obj) and lazy labels in before/after read as the records do
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = obj.pk if object_id is None else object_id
            object_repr = object_repr if object_repr is not None else str(obj)
        actor_name = (getattr(actor, "username", None) or (f"{actor._meta.verbose_name}:{actor}" if hasattr(
            actor, "_meta") else str(actor)) if actor else "system")[:150]
        before, after = normalise(before), normalise(after)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    record = AuditRecord(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor_id=actor.pk if hasattr(actor, "username") else None,
        actor_name=actor_name,
        action=action,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        object_repr=(object_repr or "")[:300],
        before=before,
        after=after,
        origin=normalise(current_origin()),
        prev_hash=head.last_hash,
    )
    record.hash = compute_hash(record)
    record.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(last_seq=record.seq, last_hash=record.hash)
    return record


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_hash: str
    first_broken_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the whole chain; report the first record whose content, link or position is wrong."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    qs = AuditRecord.objects.order_by("seq")
    for record in qs.iterator(chunk_size=batch_size):
        if record.seq != expected_seq:
            return VerifyResult(False, checked, expected_prev, expected_seq,
                                f"record #{expected_seq} is missing (next present is #{record.seq})")
        if record.prev_hash != expected_prev:
            return VerifyResult(False, checked, expected_prev, record.seq,
                                f"record #{record.seq} does not link to record #{record.seq - 1}")
        if compute_hash(record) != record.hash:
            return VerifyResult(False, checked, expected_prev, record.seq,
                                f"record #{record.seq} was altered (hash mismatch)")
        expected_prev = record.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS
    if head_seq != checked or head_hash != expected_prev:
        return VerifyResult(False, checked, expected_prev, checked + 1 if head_seq > checked else checked,
                            f"chain ends at #{checked} but the head records #{head_seq}: "
                            "records were deleted from the end or the head was edited")
    return VerifyResult(True, checked, expected_prev)

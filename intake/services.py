"""Intake services: one way in for every channel; validation, idempotency, duplicates, transitions."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from core import clock
from core.audit import audit_log
from core.config import config_get
from core.exceptions import InvalidTransition, TooManyRequests, ValidationFailed
from core.models import AuditRecord, Deadline
from core.origin import current_origin
from core.records import recorded_display, said_as
from core.validators import validate_phone
from intake.choices import (
    OPEN_STATUSES,
    STATE_CLOCKS,
    TRANSITIONS,
    AttachmentStage,
    Channel,
    EventStatus,
    Priority,
    TownSource,
)
from intake.messaging import queue_reporter_message
from intake.models import ApiClient, Attachment, Event, EventCategory, EventTransition, ReporterMessage
from org import geo
from org.choices import RegionLevel, Role
from org.models import Region

MAGIC = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"RIFF", "image/webp", "webp"),
    (b"%PDF-", "application/pdf", "pdf"),
]
MAX_ATTACHMENTS = 6
CLOCK_SKEW = dt.timedelta(minutes=5)
# How far back a report's own dates (发生时间, 发现日期) may go before the sender is asked to check them (请核实):
# a guard against typing slips (2016 for 2026), shared by both dates. A continuing act is reported with the day it
# was seen; the limitation period itself (XF-036, 2 or 5 years from the act's end) is checked at filing, on the
# case's own act dates, not here.
OLDEST_REPORTED = dt.timedelta(days=365 * 2)


@dataclass
class NewAttachment:
    name: str
    data: bytes


@dataclass
class SubmitResult:
    event: Event
    created: bool
    duplicate_of: Event | None = None
    warnings: list[str] = field(default_factory=list)


def sniff_attachment(data: bytes) -> tuple[str, str] | None:
    for magic, ctype, ext in MAGIC:
        if data.startswith(magic):
            if ctype == "image/webp" and data[8:12] != b"WEBP":
                continue
            return ctype, ext
    if len(data) > 12 and data[4:8] == b"ftyp":
        return "video/mp4", "mp4"
    return None


def near(lng: float, lat: float, metres: float) -> Q:
    """Events inside the box around a point that holds every point within ``metres`` (an index-friendly
    first cut; ``distance_m`` decides)."""
    dlat = metres / 111000.0
    dlng = metres / (111000.0 * max(math.cos(math.radians(lat)), 0.1))
    return Q(lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng))


def distance_m(lng1, lat1, lng2, lat2) -> float:
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + 2] for i in range(len(text) - 1)}


_ADDRESS_PREFIX = re.compile(r"^(?:浙江省)?(?:衢州市)?(?:常山县)?(?:[\u4e00-\u9fff]{2,3}?(?:街道|镇|乡))?")
_ADDRESS_NOISE = re.compile(r"[\s,，.。、;；:：()（）\[\]【】<>《》\-—_/#]+")
ADDRESS_KEY_MIN = 4  # 村口, 路边: too vague to say two reports are at one place


def address_key(address: str) -> str:
    """The place an address names without what every address here shares: 浙江省衢州市常山县天马街道人民路58号
    and “人民路 58号” both give 人民路58号 (spaces, punctuation and the province/city/county/town prefix
    removed). Reports from a hotline carry an address but rarely a position; this is how they are compared."""
    text = _ADDRESS_NOISE.sub("", address or "")
    return _ADDRESS_PREFIX.sub("", text, count=1)


def text_similarity(a: str, b: str) -> float:
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


def validate_submission(*, channel, text, title, lng, lat, address, town_code, occurred_at, category_code,
                        priority, attachments, now, reporter_name: str = "",
                        reporter_phone: str = "", media_url: str = "",
                        found_on=None) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    clean: dict = {}

    def err(field_name, msg):
        errors.setdefault(field_name, []).append(msg)

    if channel not in Channel.values:
        err("channel", _("渠道“%(channel)s”无效") % {"channel": channel})
    text = (text or "").strip()
    max_chars = config_get("intake.text.max_chars")
    if not text:
        err("text", _("请填写事件描述"))
    elif len(text) > max_chars:
        err("text", _("事件描述不能超过%(max)s字（当前%(n)s字）") % {"max": max_chars, "n": len(text)})
    if title and len(title) > 100:
        err("title", _("标题不能超过100字"))
    clean["text"], clean["title"] = text, (title or "").strip()[:100]
    reporter_name = (reporter_name or "").strip()
    if len(reporter_name) > 50:
        err("reporter_name", _("报告人称呼不能超过50字"))
    clean["reporter_name"] = reporter_name
    try:
        clean["reporter_phone"] = validate_phone(reporter_phone)
    except DjangoValidationError as exc:
        err("reporter_phone", exc.messages[0])
        clean["reporter_phone"] = ""
    town, town_source = None, ""
    if lng is not None or lat is not None:
        try:
            lng, lat = float(lng), float(lat)
        except (TypeError, ValueError):
            err("location", _("经纬度须同时填写且为数字"))
            lng = lat = None
        if lng is not None:
            if not (-180 <= lng <= 180 and -90 <= lat <= 90):
                err("location", _("经纬度超出范围"))
            elif not geo.inside_county(lng, lat):
                err("location", _("位置(%(lng).5f, %(lat).5f)不在本县范围内") % {"lng": lng, "lat": lat})
            else:
                town = geo.locate_town(lng, lat)
                town_source = TownSource.POINT if town else ""
    clean["lng"], clean["lat"] = lng, lat
    if town_code:
        named = Region.objects.filter(level=RegionLevel.TOWNSHIP).filter(code=town_code).first() or \
            Region.objects.filter(level=RegionLevel.TOWNSHIP, name=town_code).first()
        if named is None:
            err("town", _("“%(town)s”不是本县的乡镇(街道)") % {"town": town_code})
        elif town is None:
            town, town_source = named, TownSource.GIVEN
    address = (address or "").strip()
    if lng is None and not address:
        err("location", _("请提供位置（经纬度）或地址"))
    if town is None and not town_code:  # no point in a town, no town given: the address may name one
        town = geo.town_named_in(address)
        town_source = TownSource.ADDRESS if town else ""
    if len(address) > 300:
        err("address", _("地址不能超过300字"))
    clean["address"], clean["town"], clean["town_source"] = address, town, town_source
    if occurred_at is not None:
        if isinstance(occurred_at, str):
            try:
                occurred_at = dt.datetime.fromisoformat(occurred_at.replace("Z", "+00:00"))
            except ValueError:
                err("occurred_at", _("发生时间格式应为 ISO 8601，如 2026-11-26T09:30:00+08:00"))
                occurred_at = None
        if occurred_at is not None:
            if timezone.is_naive(occurred_at):
                occurred_at = timezone.make_aware(occurred_at)
            if occurred_at > now + CLOCK_SKEW:
                err("occurred_at", _("发生时间不能晚于当前时间"))
            elif occurred_at < now - OLDEST_REPORTED:
                err("occurred_at", _("发生时间早于两年前，请核实"))
    clean["occurred_at"] = occurred_at
    clean["found_on"] = _found_on(found_on, channel=channel, occurred_at=occurred_at, now=now, err=err)
    category = None
    if category_code:
        category = EventCategory.objects.filter(code=category_code).first()
        if category is None:
            err("category", _("类别编码“%(code)s”不存在") % {"code": category_code})
    clean["category"] = category
    if priority not in Priority.values:
        err("priority", _("紧急程度“%(value)s”无效，应为 %(allowed)s") % {"value": priority,
                                                                      "allowed": "/".join(Priority.values)})
    clean["priority"] = priority
    clean["files"] = check_attachments(attachments, errors)
    clean["media_url"] = (media_url or "").strip()
    if clean["media_url"]:
        from django.core.validators import URLValidator

        try:
            if len(clean["media_url"]) > 500:
                raise DjangoValidationError("too long")
            URLValidator(schemes=["http", "https"])(clean["media_url"])
        except DjangoValidationError:
            err("media_url", _("应为不超过500个字符的 http(s) 链接"))
    return clean, errors


def _referral_due(found_on: dt.date | None) -> dt.date | None:
    """The day a lead found on ``found_on`` should be referred by (§4.9, as configured on that day)."""
    if found_on is None:
        return None
    from core.workdays import add_working_days

    days = config_get("referral.business_to_enforcement.max_working_days", on=found_on)
    return add_working_days(found_on, days, rule="referral.business_to_enforcement.max_working_days").due


def _found_on(value, *, channel, occurred_at, now, err) -> dt.date | None:
    """发现日期 of a department's referral (ZJ-016): a date, not after today, not before the violation happened;
    only a referral has one."""
    if value in (None, ""):
        return None
    if channel != Channel.REFERRAL:
        err("found_on", _("发现日期只用于部门移送的线索"))
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            err("found_on", _("发现日期格式应为 YYYY-MM-DD，如 2026-11-26"))
            return None
    today = timezone.localtime(now).date()
    if value > today:
        err("found_on", _("发现日期不能晚于今天"))
    elif occurred_at is not None and value < timezone.localtime(occurred_at).date():
        err("found_on", _("发现日期不能早于发生时间"))
    elif value < today - OLDEST_REPORTED:
        err("found_on", _("发现日期早于两年前，请核实"))
    else:
        return value
    return None


def check_attachments(attachments: list[NewAttachment], errors: dict[str, list[str]]) -> list:
    """Count, size and type (by content, not by name) of uploaded files; problems go into ``errors`` by
    field (``attachments[i]``). Returns the acceptable files with their sniffed type."""
    max_bytes = config_get("intake.attachment.max_bytes")
    if len(attachments) > MAX_ATTACHMENTS:
        errors.setdefault("attachments", []).append(_("附件最多%(n)s个") % {"n": MAX_ATTACHMENTS})
    files = []
    for i, att in enumerate(attachments, start=1):
        kind = sniff_attachment(att.data)
        if len(att.data) == 0:
            problem = _("“%(name)s”是空文件") % {"name": att.name}
        elif len(att.data) > max_bytes:
            problem = _("“%(name)s”超过%(mb)sMB") % {"name": att.name, "mb": max_bytes // (1024 * 1024)}
        elif kind is None:
            problem = _("“%(name)s”类型不支持（仅限 JPEG/PNG/WebP 图片、MP4 视频、PDF）") % {"name": att.name}
        else:
            files.append((att, kind))
            continue
        errors.setdefault(f"attachments[{i}]", []).append(problem)
    return files


def store_files(files: list, make) -> list[str]:
    """Save checked files (``check_attachments``) under their SHA-256, each as the ``StoredFile`` row ``make(**fields)``
    builds (an event's attachment, a campaign task's photo); returns the digests."""
    digests = []
    for att, (ctype, ext) in files:
        digest = hashlib.sha256(att.data).hexdigest()
        stored = make(sha256=digest, content_type=ctype, size=len(att.data), original_name=att.name[:200],
                      uploaded_at=clock.now())
        stored.file.save(f"{digest}.{ext}", ContentFile(att.data), save=False)
        stored.save()
        digests.append(digest)
    return digests


def store_attachments(event: Event, files: list, *, stage: str = AttachmentStage.REPORT, actor=None) -> list[str]:
    """An event's checked files, at a stage of its handling, by whoever added them."""
    added_by = actor if getattr(actor, "pk", None) else None
    return store_files(files, lambda **f: Attachment(event=event, stage=stage, added_by=added_by, **f))


def find_duplicate(*, category, lng, lat, text, town, at, address: str = "", exclude_pk=None) -> Event | None:
    """The open report this one repeats, or None: within the window, the same category and town, text similar
    enough, and at the same place — within the distance when both have a position, else (a hotline call
    with only an address) the same address (``address_key``), which needs a known category and town."""
    window = dt.timedelta(hours=config_get("intake.duplicate.window_hours"))
    distance = config_get("intake.duplicate.distance_m")
    threshold = config_get("intake.duplicate.text_similarity")
    qs = Event.objects.filter(duplicate_of__isnull=True, status__in=OPEN_STATUSES, received_at__gte=at - window)
    if category is not None:
        qs = qs.filter(category=category)
    if town is not None:
        qs = qs.filter(town=town)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if lng is not None:
        for candidate in qs.filter(near(lng, lat, distance), lng__isnull=False).order_by("received_at")[:50]:
            if distance_m(lng, lat, candidate.lng, candidate.lat) <= distance and \
                    text_similarity(text, candidate.title + candidate.text) >= threshold:
                return candidate
    key = address_key(address)
    if len(key) < ADDRESS_KEY_MIN or category is None or town is None:
        return None
    by_address = qs.exclude(address="")
    if lng is not None:
        by_address = by_address.filter(lng__isnull=True)  # two positions were compared by distance above
    for candidate in by_address.order_by("received_at")[:200]:
        if address_key(candidate.address) == key and text_similarity(text, candidate.title + candidate.text) >= threshold:
            return candidate
    return None


def record_transition(event: Event, old: str, new: str, *, actor=None, reason: str = "", actor_label: str = "",
                      message: str = "", params: dict | None = None):
    """One row of the event's record; ``message``/``params`` (from ``core.records.said_as``) let a reader in
    another language read the reason."""
    EventTransition.objects.create(event=event, old=old, new=new, actor=actor if getattr(actor, "pk", None) else None,
                                   actor_label=actor_label or (str(actor) if actor else gettext_noop("系统")), reason=reason[:500],
                                   message=message, params=params or {}, at=clock.now())


def event_transition(*, event: Event, new: str, actor=None, reason: str = "", actor_label: str = "",
                     message: str = "", params: dict | None = None, **fields) -> Event:
    """Compare-and-set a status change checked against TRANSITIONS; writes the transition row."""
    old = event.status
    if new not in TRANSITIONS.get(old, set()):
        raise InvalidTransition(_("事件状态“%(old)s”不能变为“%(new)s”") % {"old": event.get_status_display(),
                                                                       "new": EventStatus(new).label},
                                errors={"status": [_("%(old)s → %(new)s 不允许") % {"old": old, "new": new}]})
    moved = Event.objects.filter(pk=event.pk, status=old).update(status=new, updated_at=clock.now(), **fields)
    if not moved:
        raise InvalidTransition(_("事件已被他人处理，请刷新后重试"), errors={"status": [_("状态已变化")]})
    event.status = new
    for k, v in fields.items():
        setattr(event, k, v)
    if old != new and old in STATE_CLOCKS:  # the state's own clock stops: met, or late
        now = clock.now()
        for d in Deadline.objects.filter(kind=STATE_CLOCKS[old], object_type="intake.event", object_id=str(event.pk),
                                         state=Deadline.State.OPEN):
            Deadline.objects.filter(pk=d.pk, state=Deadline.State.OPEN).update(
                state=Deadline.State.MET if now <= d.due_at else Deadline.State.LATE, closed_at=now)
    record_transition(event, old, new, actor=actor, reason=reason, actor_label=actor_label, message=message,
                      params=params)
    if new == EventStatus.CLOSED:
        queue_reporter_message(event, ReporterMessage.Kind.CLOSED)
    return event


def _check_public_rate(now: dt.datetime, citizen=None) -> None:
    """The public page accepts at most ``intake.public.max_per_hour`` reports an hour from one address
    (counted in the audit trail, which records every submission's address), so that one caller cannot
    flood the command centre; a signed-in citizen (``citizen``) is counted by account instead, so
    neighbours behind one village's address do not share a limit. Systems with an API key, staff and grid
    workers are not limited."""
    limit = config_get("intake.public.max_per_hour")
    recent = AuditRecord.objects.filter(action="intake.event.submit", at__gte=now - dt.timedelta(hours=1))
    if citizen is not None:
        recent = recent.filter(actor_id=citizen.pk)
        message = _("提交过于频繁：每个账号每小时最多提交%(n)s件，请稍后再试或拨打12345")
    elif ip := current_origin().get("ip"):
        recent = recent.filter(origin__ip=ip, after__anonymous=True)
        message = _("提交过于频繁：同一网络每小时最多提交%(n)s件，请稍后再试或拨打12345")
    else:
        return
    if recent.count() >= limit:
        raise TooManyRequests(message % {"n": limit}, errors={"__all__": [_("每小时最多%(n)s件") % {"n": limit}]})


def _channel_refused(reporter, channel: str) -> str:
    """Why a signed-in person may not file their own report under ``channel``, or "" if they may: a grid
    worker's reports are 网格员 reports, an officer's 检查发现, and so on (``dispatch.access.report_channels``)."""
    from dispatch.access import report_channels

    allowed = report_channels(reporter)
    if channel in allowed:
        return ""
    role = reporter.get_role_display()
    if not allowed:
        return _("%(role)s不能上报事件") % {"role": role}
    return _("%(role)s不能按“%(channel)s”渠道上报（可选：%(allowed)s）") % {
        "role": role, "channel": Channel(channel).label,
        "allowed": pgettext("list", "、").join(str(Channel(c).label) for c in allowed)}


@transaction.atomic
def event_submit(
    *,
    channel: str,
    text: str,
    actor=None,
    source: ApiClient | None = None,
    external_id: str = "",
    title: str = "",
    lng=None,
    lat=None,
    address: str = "",
    town_code: str | None = None,
    occurred_at=None,
    category_code: str | None = None,
    priority: str = Priority.NORMAL,
    reporter_name: str = "",
    reporter_phone: str = "",
    confidential: bool = False,
    notify_reporter: bool = False,
    attachments: list[NewAttachment] | None = None,
    media_url: str = "",
    received_at: dt.datetime | None = None,
    synthetic: bool = False,
    route: bool = True,
    found_on: dt.date | str | None = None,
) -> SubmitResult:
    """Accept one report. A retried call with the same (source, external_id) returns the first event and
    creates nothing. Invalid input raises ValidationFailed (field → messages) and writes nothing.
    ``confidential``: the reporter asked that their name and phone be kept from the handling body (XF-050).
    ``found_on``: when a department found the lead it refers (部门移送, ZJ-016) — required of a supervisor filing
    one, optional for a department's system; it dates the department's own limit for referring."""
    external_id = (external_id or "").strip()
    reporter = actor if getattr(actor, "pk", None) else None
    # the sender's reference makes a retry idempotent: a system's (source) or a signed-in reporter's own
    same_ref = (Q(source=source) if source is not None else Q(source__isnull=True, reporter=reporter)) \
        & Q(external_id=external_id)
    idempotent = bool(external_id) and (source is not None or reporter is not None)
    if idempotent and (existing := Event.objects.filter(same_ref).first()) is not None:
        return SubmitResult(existing, created=False, duplicate_of=existing.duplicate_of)
    if len(external_id) > 100:
        raise ValidationFailed(_("来源系统编号过长"), errors={"external_id": [_("不能超过100个字符")]})
    now = clock.now()
    if channel == Channel.CITIZEN and source is None and (actor is None or getattr(actor, "role", None) == Role.CITIZEN):
        _check_public_rate(now, citizen=actor)
    clean, errors = validate_submission(channel=channel, text=text, title=title, lng=lng, lat=lat, address=address,
                                        town_code=town_code, occurred_at=occurred_at, category_code=category_code,
                                        priority=priority, attachments=attachments or [], now=now,
                                        reporter_name=reporter_name, reporter_phone=reporter_phone,
                                        media_url=media_url, found_on=found_on)
    if source is None and reporter is not None and channel in Channel.values:
        if (refused := _channel_refused(reporter, channel)):
            errors.setdefault("channel", []).append(refused)
    if channel == Channel.REFERRAL and source is None and reporter is not None and found_on in (None, "") \
            and "channel" not in errors:
        errors.setdefault("found_on", []).append(_("请填写发现日期：移送时限自发现之日起算（ZJ-016）"))
    if notify_reporter and not clean.get("reporter_phone") and "reporter_phone" not in errors:
        errors.setdefault("reporter_phone", []).append(_("选择短信告知办理结果的，须填写手机号码"))
    if errors:
        raise ValidationFailed(_("事件信息有误"), errors=errors)
    event = Event(
        channel=channel, source=source, external_id=external_id, reporter=reporter,
        reporter_name=clean["reporter_name"], reporter_phone=clean["reporter_phone"], confidential=bool(confidential),
        notify_reporter=bool(notify_reporter),
        title=clean["title"], text=clean["text"], media_url=clean["media_url"],
        lng=clean["lng"], lat=clean["lat"], address=clean["address"], town=clean["town"],
        town_source=clean["town_source"],
        occurred_at=clean["occurred_at"], received_at=received_at or now, category=clean["category"],
        priority=clean["priority"], status=EventStatus.TRIAGE, synthetic=synthetic, found_on=clean["found_on"],
        referral_due=_referral_due(clean["found_on"]),
    )
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        # Same external id committed by a concurrent retry: return that one (idempotent).
        existing = Event.objects.filter(same_ref).first() if idempotent else None
        if existing is None:
            raise
        return SubmitResult(existing, created=False, duplicate_of=existing.duplicate_of)
    record_transition(event, "", EventStatus.TRIAGE, actor=actor,
                      **said_as("reason", gettext_noop("受理（%(channel)s）"), labels=("channel",),
                                channel=recorded_display(event, "channel")))
    store_attachments(event, clean["files"], actor=actor)
    duplicate = find_duplicate(category=event.category, lng=event.lng, lat=event.lat, text=event.title + event.text,
                               town=event.town, at=event.received_at, address=event.address, exclude_pk=event.pk)
    audit_log(actor=actor or source, action="intake.event.submit", obj=event,
              after={"ticket": event.ticket, "channel": channel, "anonymous": actor is None and source is None,
                     "external_id": external_id, "town": event.town_id, "town_source": event.town_source,
                     "category": event.category_id, "confidential": event.confidential,
                     "found_on": event.found_on, "referral_due": event.referral_due,
                     "attachments": [a.sha256 for a in event.attachments.all()]})
    if duplicate is not None:
        event_transition(event=event, new=EventStatus.DUPLICATE, actor=actor, duplicate_of=duplicate,
                         **said_as("reason", gettext_noop("与 %(ticket)s 疑似重复，已关联（附议）"), ticket=duplicate.ticket))
        Event.objects.filter(pk=duplicate.pk).update(me_too_count=F("me_too_count") + 1)
        duplicate.refresh_from_db(fields=["me_too_count"])
        audit_log(actor=actor or source, action="intake.event.link_duplicate", obj=event,
                  after={"duplicate_of": duplicate.ticket, "me_too_count": duplicate.me_too_count})
        queue_reporter_message(event, ReporterMessage.Kind.MERGED)
        return SubmitResult(event, created=True, duplicate_of=duplicate)
    queue_reporter_message(event, ReporterMessage.Kind.RECEIVED)
    if route:
        from dispatch.services import route_event

        route_event(event=event, actor=None)
    return SubmitResult(event, created=True)


def api_client_create(*, actor, name: str, kind: str, department=None) -> tuple[ApiClient, str]:
    """Create a client and return (client, key). The key is shown once; only its hash is kept."""
    import secrets

    from org.access import require

    require(actor, "org.manage")
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors["name"] = [_("不能为空，且不超过100个字符")]
    elif ApiClient.objects.filter(name=name).exists():
        errors["name"] = [_("已有名为“%(name)s”的接入系统") % {"name": name}]
    if kind not in ApiClient.Kind.values:
        errors["kind"] = [_("应为 %(allowed)s") % {"allowed": "/".join(ApiClient.Kind.values)}]
    elif kind == ApiClient.Kind.DEPARTMENT and department is None:
        # its reports are that department's referrals (部门移送, ZJ-016): it is told what became of them
        errors["department"] = [_("部门系统须指定所属部门：其上报的是该部门的移送线索，办理结果反馈该部门")]
    if errors:
        raise ValidationFailed(_("接入系统信息有误"), errors=errors)
    key = "oe_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(name=name, kind=kind, key_prefix=key[:8], key_hash=ApiClient.hash_key(key),
                                          department=department)
        audit_log(actor=actor, action="intake.api_client.create", obj=client, after={
            "name": name, "kind": kind, "prefix": key[:8], "department": department.pk if department else None})
    return client, key


@transaction.atomic
def api_client_deactivate(*, actor, client: ApiClient) -> ApiClient:
    """停用: the system's key stops working at once (a leaked key, a system retired). Its reports stay."""
    from org.access import require

    require(actor, "org.manage")
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if not client.active:
        raise InvalidTransition(_("该接入系统已停用"), errors={"name": [_("“%(name)s”已停用") % {"name": client.name}]})
    ApiClient.objects.filter(pk=client.pk).update(active=False)
    audit_log(actor=actor, action="intake.api_client.deactivate", obj=client, before={"active": True},
              after={"active": False, "prefix": client.key_prefix})
    client.refresh_from_db()
    return client


def api_client_for_key(key: str | None) -> ApiClient | None:
    if not key:
        return None
    return ApiClient.objects.filter(key_hash=ApiClient.hash_key(key.strip()), active=True).first()


def event_export_record(*, actor, filters: dict, count: int) -> None:
    """Audit an export of the event list (导出): who took which rows out of the system."""
    with transaction.atomic():
        audit_log(actor=actor, action="intake.events.export", object_type="intake.event", object_id="export",
                  after={"filters": filters, "rows": count})

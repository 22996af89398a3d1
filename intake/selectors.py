"""Reads of events for staff lists and exports (visibility from ``dispatch.access``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.config import config_get
from dispatch.access import events_visible_to
from intake.choices import MERGEABLE, OPEN_STATUSES, EventStatus
from intake.models import Attachment, Event, EventTransition
from intake.services import ADDRESS_KEY_MIN, address_key, distance_m, near, text_similarity


def _day_start(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def event_search(*, user, q: str = "", status: str = "", channel: str = "", town=None, category=None,
                 department=None, received_from: dt.date | None = None, received_to: dt.date | None = None,
                 mine: bool = False, reported: bool = False, located: str = "") -> QuerySet[Event]:
    """The events ``user`` may see that match the filters, newest first. Dates are whole local days,
    both ends included. ``status`` "open" is every status not yet ended (在办); ``located`` "yes"/"no":
    with a position, or with only an address (not on the command centre's map); ``reported``: the user's own
    reports."""
    qs = events_visible_to(user)
    if q := q.strip():
        qs = qs.filter(Q(ticket__iexact=q) | Q(external_id=q) | Q(title__icontains=q) | Q(text__icontains=q)
                       | Q(address__icontains=q))
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if located in ("yes", "no"):
        qs = qs.filter(lng__isnull=located == "no")
    if channel:
        qs = qs.filter(channel=channel)
    if town is not None:
        qs = qs.filter(town=town)
    if category is not None:
        qs = qs.filter(category=category)
    if department is not None:
        qs = qs.filter(department=department)
    if mine and user.department_id:
        qs = qs.filter(department_id=user.department_id)
    if reported:
        qs = qs.filter(reporter=user)
    if received_from:
        qs = qs.filter(received_at__gte=_day_start(received_from))
    if received_to:
        qs = qs.filter(received_at__lt=_day_start(received_to + dt.timedelta(days=1)))
    return qs.order_by("-received_at", "-pk")


@dataclass
class MyReports:
    """What a reporter (a grid worker, an officer who found something) sees of their own reports on the home
    page: the latest few with their state, how many are still being handled, how many in all."""

    latest: list
    open_count: int
    total: int


def my_reports(*, user, limit: int = 8) -> MyReports:
    qs = Event.objects.filter(reporter=user)
    latest = list(qs.select_related("category", "department").order_by("-received_at", "-pk")[:limit])
    if len(latest) < limit:  # all of them are here: no need to count
        return MyReports(latest, sum(e.status in OPEN_STATUSES for e in latest), len(latest))
    return MyReports(latest, qs.filter(status__in=OPEN_STATUSES).count(), qs.count())


EXPORT_HEADER = [_("受理编号"), _("渠道"), _("类别"), _("标题"), _("描述"), _("地址"), _("镇街"), _("经度"), _("纬度"),
                 _("紧急程度"), _("状态"), _("责任主体"), _("承办队伍"), _("执法事项"), _("附议数"), _("退单次数"),
                 _("重复于"), _("受理时间"), _("处置时间"), _("办结时间"), _("评价"), _("处置结果")]


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def event_export_rows(qs: QuerySet[Event]):
    """One row per event for the CSV export, in ``EXPORT_HEADER`` order (made spreadsheet-safe by
    ``core.tabular.stream_csv``). The reporter is never exported; phone, ID and account numbers, the
    reporter's name and the names the text introduces are masked in the free text (XF-050), because an
    export leaves the system's access checks behind."""
    from core.privacy import redact_public

    qs = qs.select_related("category", "town", "department", "team", "item", "duplicate_of")
    for e in qs.iterator(chunk_size=2000):
        names = [e.reporter_name]
        row = [e.ticket, e.get_channel_display(), e.category.name if e.category else "", redact_public(e.title, names=names),
               redact_public(e.text, names=names), redact_public(e.address, names=names),
               e.town.name if e.town else "", e.lng if e.lng is not None else "", e.lat if e.lat is not None else "",
               e.get_priority_display(), e.get_status_display(), e.department.name if e.department else "",
               e.team.name if e.team else "", e.item.code if e.item else "", e.me_too_count, e.return_count,
               e.duplicate_of.ticket if e.duplicate_of else "", _local(e.received_at), _local(e.resolved_at),
               _local(e.closed_at), e.rating or "", redact_public(e.outcome, names=names)]
        yield row


@dataclass
class DuplicateCandidate:
    event: Event
    distance_m: int | None  # None: found by its address (one of the two has no position)
    similarity: float  # character-bigram Jaccard of title + text, as the automatic linking uses
    mergeable: bool  # this event can be merged into it now (``dispatch.services.event_merge``)
    address_similarity: float | None = None  # bigram Jaccard of the two ``address_key``s


def duplicate_candidates(event: Event, *, limit: int = 5) -> list[DuplicateCandidate]:
    """疑似重复 for a person to judge: reports within twice the automatic time window either side, of the same
    category when both have one, that are not themselves duplicates — near ``event`` (twice the automatic
    distance), nearest first; then, where one of the two has no position (a hotline call gives an address),
    reports of the same town whose address is alike (``address_key`` bigram Jaccard ≥ 0.5), most alike
    first. A closed one is shown (the problem was here before) but cannot be merged into: the new report
    would be handled by nobody. The automatic link needs the texts to share enough wording; reports of one
    problem in different words (a hotline call and a grid worker's photo report) are found here, and the
    command centre merges them with one click."""
    distance = 2 * config_get("intake.duplicate.distance_m")
    window = dt.timedelta(hours=2 * config_get("intake.duplicate.window_hours"))
    qs = (Event.objects.filter(duplicate_of__isnull=True,
                               received_at__range=(event.received_at - window, event.received_at + window))
          .filter(Q(status__in=OPEN_STATUSES) | Q(status=EventStatus.CLOSED))
          .exclude(pk=event.pk).select_related("category", "department"))
    if event.category_id:
        qs = qs.filter(Q(category=event.category_id) | Q(category__isnull=True))
    can_merge = event.status in MERGEABLE and not event.duplicates.exists()
    text = event.title + event.text
    found = []
    if event.lng is not None and event.lat is not None:
        for other in qs.filter(near(event.lng, event.lat, distance)).order_by("received_at")[:100]:
            metres = distance_m(event.lng, event.lat, other.lng, other.lat)
            if metres <= distance:
                found.append(DuplicateCandidate(other, round(metres), text_similarity(text, other.title + other.text),
                                                can_merge and other.status in OPEN_STATUSES))
    found.sort(key=lambda c: (c.distance_m, c.event.received_at))
    key = address_key(event.address)
    if event.town_id and len(key) >= ADDRESS_KEY_MIN:
        by_address = qs.filter(town=event.town_id).exclude(address="")
        if event.lng is not None:
            by_address = by_address.filter(lng__isnull=True)
        alike = []
        for other in by_address.order_by("received_at")[:200]:
            other_key = address_key(other.address)
            score = 1.0 if other_key == key else text_similarity(key, other_key)
            if score >= 0.5:
                alike.append(DuplicateCandidate(other, None, text_similarity(text, other.title + other.text),
                                                can_merge and other.status in OPEN_STATUSES, round(score, 2)))
        alike.sort(key=lambda c: (-c.address_similarity, c.event.received_at))
        found += alike
    return found[:limit]


def published_photos(event: Event | None = None) -> QuerySet[Attachment]:
    """Photos the command centre published (``dispatch.services.attachment_publish``), oldest first; of one
    event when given. Publishing sets the time and the token together and withdrawing clears both."""
    qs = Attachment.objects.filter(published_at__isnull=False)
    return (qs.filter(event=event) if event is not None else qs).order_by("pk")


def updates_for(client, *, after: int, before) -> QuerySet[EventTransition]:
    """A sending system's 回传 feed: status changes of the reports it sent, after change ``after`` and
    recorded before ``before``, in order, with each report's current state and latest routing decision
    (``event.latest``) loaded in a fixed number of queries."""
    from django.db.models import Prefetch

    from dispatch.models import RoutingDecision

    return (EventTransition.objects.filter(event__source=client, pk__gt=after, at__lt=before).order_by("pk")
            .select_related("event__town", "event__category", "event__department", "event__team",
                            "event__duplicate_of")
            .prefetch_related(Prefetch("event__decisions", to_attr="latest",
                                       queryset=RoutingDecision.objects.order_by("-at", "-id"))))

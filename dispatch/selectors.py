"""Read side of the command centre."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from core.models import Deadline
from dispatch.access import events_visible_to
from dispatch.models import Campaign, Dispute, Whistle
from intake.choices import OPEN_STATUSES, EventStatus


def command_snapshot(*, user, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    local_midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    events = events_visible_to(user)
    today = events.filter(received_at__gte=local_midnight)
    overdue = Deadline.objects.filter(state=Deadline.State.OPEN, due_at__lte=now).select_related("department")
    return {
        "now": now,
        "today_total": today.count(),
        "today_by_channel": list(today.values("channel").annotate(n=Count("id")).order_by("-n")),
        "today_closed": events.filter(closed_at__gte=local_midnight).count(),
        "open_total": events.filter(status__in=OPEN_STATUSES).count(),
        "triage": events.filter(status__in=[EventStatus.TRIAGE, EventStatus.RETURNED]).order_by("received_at")[:50],
        "triage_count": events.filter(status__in=[EventStatus.TRIAGE, EventStatus.RETURNED]).count(),
        "overdue": overdue.order_by("due_at")[:50],
        "overdue_count": overdue.count(),
        "disputes": Dispute.objects.filter(status=Dispute.Status.OPEN).select_related("event")[:20],
        "whistles": Whistle.objects.filter(status=Whistle.Status.OPEN).select_related("team", "town").annotate(
            calls_total=Count("calls"), calls_reported=Count("calls", filter=Q(calls__reported_at__isnull=False)))[:20],
        "campaigns": Campaign.objects.filter(status=Campaign.Status.ACTIVE).annotate(
            tasks_total=Count("tasks"))[:10],
        "hot": list(events.filter(received_at__gte=now - dt.timedelta(days=7), category__isnull=False)
                    .values("category__name").annotate(n=Count("id")).order_by("-n")[:8]),
    }


def open_event_points(*, user, limit: int = 2000) -> list[dict]:
    rows = events_visible_to(user).filter(status__in=OPEN_STATUSES, lng__isnull=False, duplicate_of__isnull=True) \
        .order_by("-received_at").values("pk", "ticket", "lng", "lat", "status", "title", "text", "me_too_count",
                                          "category__name")[:limit]
    return [{"id": r["pk"], "t": r["ticket"], "x": r["lng"], "y": r["lat"], "s": r["status"],
             "n": (r["title"] or r["text"])[:30], "c": r["category__name"] or "", "m": r["me_too_count"]} for r in rows]

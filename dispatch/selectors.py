"""Read side of the command centre."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.models import Deadline, Notification, NotificationRead
from dispatch.access import COMMAND_ROLES, departments_acted_for, events_visible_to
from dispatch.models import Campaign, Dispute, Instruction, Whistle, WhistleCall
from intake.choices import OPEN_STATUSES, VERIFY_CHANNELS, EventStatus
from org.choices import DepartmentKind, RegionLevel, Role


def current_instruction(event) -> Instruction | None:
    """The instruction in hand for an event (to sign for, or signed and not yet answered), newest first."""
    return event.instructions.filter(status__in=Instruction.OPEN).order_by("-issued_at").first()


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


def notifications_for(user) -> QuerySet[Notification]:
    """Reminders, 督办 and notices addressed to ``user`` or to a body they act for; county leaders also
    get what is addressed to the county government (level-2 督办)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    cond = Q(user=user) | Q(department__in=departments_acted_for(user))
    if user.role == Role.LEADER:
        cond |= Q(department__kind=DepartmentKind.GOVERNMENT, department__region__level=RegionLevel.COUNTY)
    return Notification.objects.filter(cond)


def unread_notifications_for(user) -> QuerySet[Notification]:
    """``notifications_for(user)`` that this user has not read (each user reads for themselves)."""
    return notifications_for(user).filter(read_at__isnull=True).exclude(
        Exists(NotificationRead.objects.filter(notification=OuterRef("pk"), user=user)))


def my_work(*, user, now: dt.datetime | None = None) -> dict:
    """我的待办: what waits for this user's action — instructions to sign and to answer, whistle calls to
    report to, reports to verify — plus their unread notifications. Overdue rows first, by deadline."""
    now = now or timezone.now()
    bodies = departments_acted_for(user)
    instructions = Instruction.objects.filter(department__in=bodies).select_related(
        "event", "department", "campaign_task__campaign")
    to_sign = instructions.filter(status=Instruction.Status.ISSUED).order_by("sign_due")
    to_answer = instructions.filter(status=Instruction.Status.SIGNED).order_by("feedback_due")
    calls = WhistleCall.objects.filter(department__in=bodies, reported_at__isnull=True,
                                       whistle__status=Whistle.Status.OPEN).select_related("whistle").order_by("report_due")
    is_command = user.is_superuser or user.role in COMMAND_ROLES
    if is_command or user.role == Role.GRID_WORKER:
        to_verify = events_visible_to(user).filter(status=EventStatus.RESOLVED, channel__in=VERIFY_CHANNELS) \
            .exclude(department__in=bodies).order_by("resolved_at")
        if not is_command:
            to_verify = to_verify.filter(town_id=user.town_id)
    else:
        to_verify = events_visible_to(user).none()
    unread = unread_notifications_for(user)
    return {
        "now": now,
        "to_sign": to_sign[:30], "to_sign_count": to_sign.count(),
        "to_answer": to_answer[:30], "to_answer_count": to_answer.count(),
        "calls": calls[:20], "calls_count": calls.count(),
        "to_verify": to_verify[:30], "to_verify_count": to_verify.count(),
        "notifications": unread.select_related("department")[:20], "unread_count": unread.count(),
    }

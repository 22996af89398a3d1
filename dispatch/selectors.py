"""Read side of the command centre."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from core.config import config_get
from core.models import Deadline, Notification, NotificationRead
from dispatch.access import COMMAND_ROLES, departments_acted_for, events_visible_to
from dispatch.models import Campaign, Dispute, Instruction, RoutingDecision, Whistle, WhistleCall
from intake.choices import OPEN_STATUSES, VERIFY_CHANNELS, EventStatus
from intake.models import Event
from org.choices import DepartmentKind, RegionLevel, Role
from org.models import Department


def reopen_until(event) -> dt.datetime | None:
    """Until when the reporter may say "not fixed" (``intake.reopen_days`` after closure); None when the
    report is not closed."""
    if event.status != EventStatus.CLOSED or event.closed_at is None:
        return None
    return event.closed_at + dt.timedelta(days=config_get("intake.reopen_days"))


def reopen_open(event, now: dt.datetime) -> bool:
    """May the reporter still say "not fixed"? (The service ``event_reopen`` enforces it; pages ask here.)"""
    until = reopen_until(event)
    return until is not None and now <= until


def overdue_deadlines(now: dt.datetime | None = None) -> QuerySet[Deadline]:
    """The administration's late work: open duty rows past due. A party's period running out (缴款期,
    复议/诉讼期…) makes nobody late, so party periods are never listed."""
    now = now or timezone.now()
    return Deadline.objects.filter(state=Deadline.State.OPEN, party_period=False, due_at__lte=now) \
        .select_related("department")


def current_instruction(event) -> Instruction | None:
    """The instruction in hand for an event (to sign for, or signed and not yet answered), newest first."""
    return event.instructions.filter(status__in=Instruction.OPEN).order_by("-issued_at").first()


def command_snapshot(*, user, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    local_midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    events = events_visible_to(user)
    today = events.filter(received_at__gte=local_midnight)
    overdue = overdue_deadlines(now)
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


MAP_PERIODS = (7, 30, 365)  # days of reports on the map besides "open now"


def event_points(*, user, days: int | None = None, category_id: int | None = None, limit: int = 20000) -> dict:
    """Points for the command-centre map: the open reports (``days`` None), or every report received in
    the last ``days`` days, closed ones included (where problems keep coming back). At most ``limit``
    points, newest first; ``total`` says how many matched."""
    qs = events_visible_to(user).filter(lng__isnull=False, duplicate_of__isnull=True)
    if days is None:
        qs = qs.filter(status__in=OPEN_STATUSES)
    else:
        qs = qs.filter(received_at__gte=timezone.now() - dt.timedelta(days=days))
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    total = qs.count()
    rows = qs.order_by("-received_at").values("pk", "ticket", "lng", "lat", "status", "title", "text", "me_too_count",
                                               "category__name")[:limit]
    points = [{"id": r["pk"], "t": r["ticket"], "x": r["lng"], "y": r["lat"], "s": r["status"],
               "n": (r["title"] or r["text"])[:30], "c": r["category__name"] or "", "m": r["me_too_count"]}
              for r in rows]
    return {"points": points, "total": total}


def notifications_for(user) -> QuerySet[Notification]:
    """Reminders, 督办 and notices addressed to ``user`` or to a body they act for; county leaders also
    get what is addressed to the county government (level-2 督办)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    cond = Q(user=user) | Q(department__in=departments_acted_for(user))
    if user.role == Role.LEADER:
        cond |= Q(department__kind=DepartmentKind.GOVERNMENT, department__region__level=RegionLevel.COUNTY)
    return Notification.objects.filter(cond)


def _read_by(user) -> Exists:
    return Exists(NotificationRead.objects.filter(notification=OuterRef("pk"), user=user))


def unread_notifications_for(user) -> QuerySet[Notification]:
    """``notifications_for(user)`` that this user has not read (each user reads for themselves)."""
    return notifications_for(user).filter(read_at__isnull=True).exclude(_read_by(user))


def notification_history(*, user, level: str = "", unread_only: bool = False) -> QuerySet[Notification]:
    """All of ``user``'s notifications, newest first, each annotated ``read_by_me``."""
    qs = notifications_for(user).select_related("department").annotate(read_by_me=_read_by(user))
    if level:
        qs = qs.filter(level=level)
    if unread_only:
        qs = qs.filter(read_at__isnull=True, read_by_me=False)
    return qs.order_by("-created_at", "-pk")


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


def wilson_lower(successes: int, total: int, z: float = 1.96) -> float | None:
    """Lower bound of the Wilson score interval (95 % by default) for a rate of successes/total: a body
    with 3 of 3 on time does not outrank one with 190 of 200."""
    if total <= 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return (centre - margin) / denominator


@dataclass
class BodyPerformance:
    """One body's handling of the instructions issued to it in a period (考评)."""

    department: Department
    issued: int
    sign_due: int  # instructions whose sign-for deadline has passed or that were signed
    signed_on_time: int
    answer_due: int  # ... whose feedback deadline has passed or that were answered (returns excluded)
    answered_on_time: int
    returned: int
    transferred: int
    escalated: int
    reopened: int
    rated: int
    rating_avg: float | None
    answer_lower: float | None = None
    rank: int | None = None


def body_performance(*, start: dt.datetime, end: dt.datetime, departments=None,
                     now: dt.datetime | None = None) -> list[BodyPerformance]:
    """On-time signing and answering per body for instructions issued in [start, end), with returns,
    transfers, 督办, reopened reports and the reporters' ratings. Ranked by the Wilson lower bound of
    the on-time answer rate; bodies with fewer than ``dispatch.performance_min_sample`` instructions due
    are shown but not ranked (peers §3.9: rankings skewed by tiny samples). ``departments`` limits the
    rows returned, not the ranking: a body sees its county-wide rank, not "1 of 1"."""
    now = now or timezone.now()
    instructions = Instruction.objects.filter(issued_at__gte=start, issued_at__lt=end)
    not_answerable = (Instruction.Status.RETURNED, Instruction.Status.TRANSFERRED, Instruction.Status.CANCELLED)
    sign_due = Q(signed_at__isnull=False) | Q(sign_due__lt=now)
    answer_due = (Q(feedback_at__isnull=False) | Q(feedback_due__lt=now)) & ~Q(status__in=not_answerable)
    rows = instructions.values("department").annotate(
        issued=Count("pk"),
        sign_due_n=Count("pk", filter=sign_due),
        signed_on_time=Count("pk", filter=Q(signed_at__isnull=False, signed_at__lte=F("sign_due"))),
        answer_due_n=Count("pk", filter=answer_due),
        answered_on_time=Count("pk", filter=answer_due & Q(feedback_at__isnull=False,
                                                             feedback_at__lte=F("feedback_due"))),
        returned=Count("pk", filter=Q(status=Instruction.Status.RETURNED)),
        transferred=Count("pk", filter=Q(status=Instruction.Status.TRANSFERRED)),
        escalated=Count("pk", filter=Q(escalation_level__gte=1)),
    )
    rows = list(rows)
    minimum = config_get("dispatch.performance_min_sample")
    codes = dict(Department.objects.filter(pk__in=[r["department"] for r in rows]).values_list("pk", "code"))
    ranked = sorted((r for r in rows if r["answer_due_n"] >= minimum),
                    key=lambda r: (-wilson_lower(r["answered_on_time"], r["answer_due_n"]), codes[r["department"]]))
    rank = {r["department"]: i for i, r in enumerate(ranked, 1)}
    if departments is not None:
        shown = {d.pk for d in departments}
        rows = [r for r in rows if r["department"] in shown]
    ids = [r["department"] for r in rows]
    reopened = dict(RoutingDecision.objects.filter(method=RoutingDecision.Method.REOPEN, at__gte=start, at__lt=end,
                                                   department__in=ids)
                    .values_list("department").annotate(n=Count("pk")).values_list("department", "n"))
    ratings = {r["department"]: r for r in Event.objects.filter(
        closed_at__gte=start, closed_at__lt=end, rating__isnull=False, department__in=ids).values(
        "department").annotate(n=Count("pk"), avg=Avg("rating"))}
    bodies = Department.objects.in_bulk(ids)
    out = [BodyPerformance(
        department=bodies[r["department"]], issued=r["issued"], sign_due=r["sign_due_n"],
        signed_on_time=r["signed_on_time"], answer_due=r["answer_due_n"], answered_on_time=r["answered_on_time"],
        returned=r["returned"], transferred=r["transferred"], escalated=r["escalated"],
        reopened=reopened.get(r["department"], 0), rated=ratings.get(r["department"], {}).get("n", 0),
        rating_avg=ratings.get(r["department"], {}).get("avg"), rank=rank.get(r["department"]),
        answer_lower=wilson_lower(r["answered_on_time"], r["answer_due_n"])) for r in rows]
    return (sorted((b for b in out if b.rank), key=lambda b: b.rank)
            + sorted((b for b in out if not b.rank), key=lambda b: (-b.issued, b.department.code)))

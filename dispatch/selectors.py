"""Read side of the command centre."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from statistics import median

from django.db.models import Avg, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Floor, Least
from django.urls import reverse
from django.utils import timezone

from core.config import config_get
from core.models import Deadline, Notification, NotificationRead
from dispatch.access import (
    departments_acted_for,
    departments_worked_for,
    does_field_work,
    events_visible_to,
    is_command,
    may_rule,
)
from dispatch.models import Campaign, Dispute, EventReturn, Instruction, RoutingDecision, Whistle, WhistleCall
from intake.choices import OPEN_STATUSES, STATE_CLOCKS, VERIFY_CHANNELS, EventStatus
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


def deadline_links(deadlines: list[Deadline]) -> dict[int, str]:
    """Where the work behind each deadline is done, by deadline pk: the event (or the campaigns page) for
    an instruction, the case page, the whistles page. One query for all the instructions in the batch."""
    ids = [int(d.object_id) for d in deadlines if d.object_type == "dispatch.instruction"]
    instructions = {i["pk"]: i for i in Instruction.objects.filter(pk__in=ids).values("pk", "event_id",
                                                                                      "campaign_task_id")}
    links = {}
    for d in deadlines:
        link = ""
        if d.object_type == "dispatch.instruction":
            ins = instructions.get(int(d.object_id))
            if ins and ins["event_id"]:
                link = reverse("intake:event", args=[ins["event_id"]])
            elif ins and ins["campaign_task_id"]:
                link = reverse("dispatch:campaigns")
        elif d.object_type == "cases.case":
            link = reverse("cases:case", args=[int(d.object_id)])
        elif d.object_type == "dispatch.whistlecall":
            link = reverse("dispatch:whistles")
        elif d.object_type == "intake.event":  # 核查
            link = reverse("intake:event", args=[int(d.object_id)])
        links[d.pk] = link
    return links


def current_instruction(event) -> Instruction | None:
    """The instruction in hand for an event (to sign for, or signed and not yet answered), newest first."""
    return event.instructions.filter(status__in=Instruction.OPEN).order_by("-issued_at").first()


def _linked(deadlines: list[Deadline]) -> list[Deadline]:
    """The deadlines, each with ``link``: the page where its work is done (``deadline_links``)."""
    links = deadline_links(deadlines)
    for d in deadlines:
        d.link = links[d.pk]
    return deadlines


# a returned report's latest return, for the triage queue: who sent it back and why
_last_return = EventReturn.objects.filter(event=OuterRef("pk")).order_by("-at", "-pk")


def with_clock_due(events: QuerySet) -> QuerySet:
    """Reports waiting for the command centre or the guidance office — 人工分拨, 裁定, 核查 — each with the time by
    which that is due (``clock_due``, the open row of its state's clock, ``intake.choices.STATE_CLOCKS``; None for a
    report that entered the state before those clocks existed, 2026-12-07)."""
    rows = Deadline.objects.filter(kind__in=list(STATE_CLOCKS.values()), object_type="intake.event",
                                   state=Deadline.State.OPEN, object_id=Cast(OuterRef("pk"), CharField()))
    return events.annotate(clock_due=Subquery(rows.values("due_at")[:1]))


def command_snapshot(*, user, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    local_midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    events = events_visible_to(user)
    today = events.filter(received_at__gte=local_midnight)
    overdue = overdue_deadlines(now)
    to_verify = events.filter(status=EventStatus.RESOLVED, channel__in=VERIFY_CHANNELS)
    return {
        "now": now,
        "today_total": today.count(),
        "today_by_channel": list(today.values("channel").annotate(n=Count("id")).order_by("-n")),
        "today_closed": events.filter(closed_at__gte=local_midnight).count(),
        "open_total": events.filter(status__in=OPEN_STATUSES).count(),
        # a returned report shows why the body sent it back, the first thing the operator reads
        "triage": with_clock_due(events.filter(status__in=[EventStatus.TRIAGE, EventStatus.RETURNED])).annotate(
            last_return_reason=Subquery(_last_return.values("reason")[:1]),
            last_return_body=Subquery(_last_return.values("department__short_name")[:1]),
        ).order_by("received_at")[:50],
        "triage_count": events.filter(status__in=[EventStatus.TRIAGE, EventStatus.RETURNED]).count(),
        # 核查: reports that grid workers, citizens and the hotline sent, fed back and not yet checked
        "to_verify": with_clock_due(to_verify).select_related("town", "department").order_by("resolved_at")[:50],
        "to_verify_count": to_verify.count(),
        "overdue": _linked(list(overdue.order_by("due_at")[:50])),
        "overdue_count": overdue.count(),
        "disputes": Dispute.objects.filter(status=Dispute.Status.OPEN).select_related("event")
        .prefetch_related("departments").order_by("opened_at")[:20],
        "whistles": Whistle.objects.filter(status=Whistle.Status.OPEN).select_related("team", "town").annotate(
            calls_total=Count("calls"), calls_reported=Count("calls", filter=Q(calls__reported_at__isnull=False)))[:20],
        "campaigns": Campaign.objects.filter(status=Campaign.Status.ACTIVE).annotate(
            tasks_total=Count("tasks"))[:10],
        "hotspots": hot_spots(user=user, now=now),
        "can_command": is_command(user),
        "hot": list(events.filter(received_at__gte=now - dt.timedelta(days=7), category__isnull=False)
                    .values("category__name").annotate(n=Count("id")).order_by("-n")[:8]),
    }


@dataclass
class HotSpot:
    """A category reported far more often in the last days than its own recent history predicts."""

    category_id: int
    category_name: str
    town_id: int | None  # None: county-wide (several towns together)
    town_name: str
    count: int  # reports in the window
    before: int  # reports in the baseline period before the window
    expected: float  # reports the baseline predicts for a window
    p_value: float  # P(X >= count) for X ~ Poisson(expected)
    window_start: dt.datetime
    campaign: Campaign | None = None  # an active campaign on this category (and town) already

    @property
    def per_week_before(self) -> float:
        return self.before * 7 / config_get("dispatch.hotspot_baseline_days")

    @property
    def events_query(self) -> str:
        """The event list's filters for these reports (``/intake/events/?…``)."""
        town = f"&town={self.town_id}" if self.town_id else ""
        return f"category={self.category_id}{town}&received_from={timezone.localtime(self.window_start):%Y-%m-%d}"


COUNTY_WIDE_TOWNS = 3  # towns with reports in the window before a county-wide row is considered


def hot_spots(*, user=None, now: dt.datetime | None = None, limit: int = 8) -> list[HotSpot]:
    """热点预警: (category, town) pairs — and categories county-wide, when the rise spans several towns —
    whose reports in the last ``dispatch.hotspot_window_days`` are improbably many for their own rate in
    the ``dispatch.hotspot_baseline_days`` before: at least ``dispatch.hotspot_min_reports`` reports and
    a Poisson upper tail below ``dispatch.hotspot_alpha``.

    The expected count is the baseline rate scaled to the window, with half a report of prior
    ((before + 0.5) × window / baseline), so a category never seen before needs the minimum and no more;
    and when every *other* category rose too (a new channel, a busy season), it is raised by that factor
    (never lowered): a category is unusual only if it rose more than the rest. Each report counts, me-too
    reports included: a burst of neighbours reporting one broken cover is what this is for. Sorted by the
    tail probability, most surprising first. ``user`` limits the reports to those the user may see; the
    sweep passes none and sees every report."""
    from scipy.special import pdtrc  # P(X > k) for X ~ Poisson(m)

    now = now or timezone.now()
    window_days = config_get("dispatch.hotspot_window_days")
    baseline_days = config_get("dispatch.hotspot_baseline_days")
    minimum, alpha = config_get("dispatch.hotspot_min_reports"), config_get("dispatch.hotspot_alpha")
    start = now - dt.timedelta(days=window_days)
    events = events_visible_to(user) if user is not None else Event.objects.all()
    rows = list(events.filter(
        category__isnull=False, received_at__gte=start - dt.timedelta(days=baseline_days), received_at__lt=now)
        .values("category", "category__name", "town", "town__name").annotate(
            recent=Count("pk", filter=Q(received_at__gte=start)), before=Count("pk", filter=Q(received_at__lt=start))))
    county: dict[int, dict] = {}
    for r in rows:
        c = county.setdefault(r["category"], {"name": r["category__name"], "recent": 0, "before": 0, "towns": 0})
        c["recent"] += r["recent"]
        c["before"] += r["before"]
        c["towns"] += bool(r["recent"])
    all_recent = sum(c["recent"] for c in county.values())
    all_before = sum(c["before"] for c in county.values())

    def scale(category) -> float:
        """Window over baseline, times how much the other categories rose (at least 1)."""
        others_recent = all_recent - county[category]["recent"]
        others_before = all_before - county[category]["before"]
        rise = (others_recent / window_days) / (others_before / baseline_days) if others_before else 1.0
        return window_days / baseline_days * max(1.0, rise)

    def judge(category, name, town, town_name, recent, before) -> HotSpot | None:
        if recent < minimum:
            return None
        expected = (before + 0.5) * scale(category)
        p = float(pdtrc(recent - 1, expected))
        return HotSpot(category, name, town, town_name, recent, before, expected, p, start) if p < alpha else None

    found = [h for r in rows if r["town"] is not None
             and (h := judge(r["category"], r["category__name"], r["town"], r["town__name"], r["recent"], r["before"]))]
    for category, c in county.items():
        # County-wide when the window's reports come from several towns (a town's own rise has its row).
        if c["towns"] >= COUNTY_WIDE_TOWNS and (h := judge(category, c["name"], None, "", c["recent"], c["before"])):
            found.append(h)
    found.sort(key=lambda h: (h.p_value, -h.count, h.town_id is not None))
    found = found[:limit]
    active = Campaign.objects.filter(status=Campaign.Status.ACTIVE, category__in={h.category_id for h in found}) \
        .prefetch_related("tasks").order_by("-start")
    for h in found:  # so the operator sees the campaign in hand rather than starting a second one
        h.campaign = next((c for c in active if c.category_id == h.category_id and (
            h.town_id is None or any(t.town_id == h.town_id for t in c.tasks.all()))), None)
    return found


MAP_PERIODS = (7, 30, 365)  # days of reports on the map besides "open now"


MAP_CELL_PER_DEGREE = 200  # cells of 0.005° (about 490 m east–west and 555 m north–south here)


def event_cells(qs: QuerySet[Event]) -> list[list[float]]:
    """Every placed report of ``qs`` counted per cell of the grid, in the database whatever the volume:
    ``[lng, lat, reports, weight]`` with the cell's centre and weight = reports + their me-too counts (each
    capped at 9, as the heat view weighs a point). The cluster and heat views draw these when there are
    more reports than points sent, so their counts and colours are of all reports, not of the newest."""
    rows = qs.filter(lng__isnull=False).annotate(
        cx=Floor(F("lng") * MAP_CELL_PER_DEGREE), cy=Floor(F("lat") * MAP_CELL_PER_DEGREE),
    ).values("cx", "cy").annotate(n=Count("pk"), m=Sum(Least(F("me_too_count"), Value(9)))).order_by()
    return [[round((r["cx"] + .5) / MAP_CELL_PER_DEGREE, 5), round((r["cy"] + .5) / MAP_CELL_PER_DEGREE, 5),
             r["n"], r["n"] + (r["m"] or 0)] for r in rows]


def event_points(*, user, days: int | None = None, category_id: int | None = None, limit: int = 20000) -> dict:
    """Points for the command-centre map: the open reports (``days`` None), or every report received in
    the last ``days`` days, closed ones included (where problems keep coming back). At most ``limit``
    points, newest first; ``total`` says how many matched, ``unplaced`` how many more have only an address
    (a 12345 call nobody could place) and so are not on the map. When more than ``limit`` matched,
    ``cells`` counts all of them on a grid (``event_cells``) for the cluster and heat views."""
    qs = events_visible_to(user).filter(duplicate_of__isnull=True)
    since = None
    if days is None:
        qs = qs.filter(status__in=OPEN_STATUSES)
    else:
        since = timezone.now() - dt.timedelta(days=days)
        qs = qs.filter(received_at__gte=since)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    unplaced = qs.filter(lng__isnull=True).count()
    qs = qs.filter(lng__isnull=False)
    total = qs.count()
    rows = qs.order_by("-received_at").values("pk", "ticket", "lng", "lat", "status", "title", "text", "me_too_count",
                                               "category__name")[:limit]
    points = [{"id": r["pk"], "t": r["ticket"], "x": r["lng"], "y": r["lat"], "s": r["status"],
               "n": (r["title"] or r["text"])[:30], "c": r["category__name"] or "", "m": r["me_too_count"]}
              for r in rows]
    out = {"points": points, "total": total, "unplaced": unplaced,
           "since": timezone.localdate(since).isoformat() if since else None}
    if total > limit:
        out["cells"] = event_cells(qs)
    return out


def notifications_for(user) -> QuerySet[Notification]:
    """Reminders, 督办 and notices addressed to ``user`` or to a body they act for — those about the body's
    dispatched work (``field_work``: its instructions, whistle calls) only to those who do that work
    (``dispatch.access.works_for``); county leaders also get what is addressed to the county government
    (level-2 督办)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    bodies = Q(department__in=departments_acted_for(user))
    cond = Q(user=user) | (bodies if does_field_work(user) else bodies & Q(field_work=False))
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
    bodies = departments_worked_for(user)
    instructions = Instruction.objects.filter(department__in=bodies).select_related(
        "event", "department", "campaign_task__campaign")
    to_sign = instructions.filter(status=Instruction.Status.ISSUED).order_by("sign_due")
    to_answer = instructions.filter(status=Instruction.Status.SIGNED).order_by("feedback_due")
    calls = WhistleCall.objects.filter(department__in=bodies, reported_at__isnull=True,
                                       whistle__status=Whistle.Status.OPEN).select_related("whistle").order_by("report_due")
    command = is_command(user)
    if command or user.role == Role.GRID_WORKER:
        to_verify = events_visible_to(user).filter(status=EventStatus.RESOLVED, channel__in=VERIFY_CHANNELS) \
            .exclude(department__in=bodies).order_by("resolved_at")
        if not command:
            to_verify = to_verify.filter(town_id=user.town_id)
    else:
        to_verify = events_visible_to(user).none()
    unread = unread_notifications_for(user)
    # the command centre's and the guidance office's own queues: reports to route by hand (待分拨) and
    # responsibility disputes to rule on (ZJ-017, the guidance office's alone)
    to_route = events_visible_to(user).filter(status__in=[EventStatus.TRIAGE, EventStatus.RETURNED]) if command \
        else Event.objects.none()
    disputes = Dispute.objects.filter(status=Dispute.Status.OPEN).select_related("event").prefetch_related(
        "departments").order_by("opened_at") if may_rule(user) else Dispute.objects.none()
    return {
        "now": now,
        "to_route_count": to_route.count(),
        "disputes": disputes[:20], "disputes_count": disputes.count(),
        "to_sign": to_sign[:30], "to_sign_count": to_sign.count(),
        "to_answer": to_answer[:30], "to_answer_count": to_answer.count(),
        "calls": calls[:20], "calls_count": calls.count(),
        "to_verify": with_clock_due(to_verify)[:30], "to_verify_count": to_verify.count(),
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
    """One body's handling of the instructions issued to it in a period (考评): counts and timeliness only — never
    fines or confiscations collected, which may not be linked to the assessment of a body or its staff (XF-074)."""

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
    answer_hours_median: float | None = None  # issue → feedback, over the instructions answered (peers §3.9)


def body_performance(*, start: dt.datetime, end: dt.datetime, departments=None,
                     now: dt.datetime | None = None) -> list[BodyPerformance]:
    """On-time signing and answering per body for instructions issued in [start, end), with the median time
    from issue to feedback, returns, transfers, 督办, reopened reports and the reporters' ratings. Ranked by the Wilson lower bound of
    the on-time answer rate; bodies with fewer than ``dispatch.performance_min_sample`` instructions due
    are shown but not ranked (peers §3.9: rankings skewed by tiny samples). ``departments`` limits the
    rows returned, not the ranking: a body sees its county-wide rank, not "1 of 1"."""
    now = now or timezone.now()
    instructions = Instruction.objects.filter(issued_at__gte=start, issued_at__lt=end)
    not_answerable = (Instruction.Status.RETURNED, Instruction.Status.TRANSFERRED, Instruction.Status.CANCELLED)
    # an instruction that ended unsigned before its sign-for time ran out (returned as not theirs, 退单, or
    # re-routed by the command centre) was answered in time or taken away: not a late signature. Its sign
    # row was cancelled then (``deadlines_cancel``); ended after the time ran out, it counts as late.
    ended_in_time = Exists(Deadline.objects.filter(
        kind="instruction.sign", object_type="dispatch.instruction", object_id=Cast(OuterRef("pk"), CharField()),
        state=Deadline.State.CANCELLED, closed_at__lte=F("due_at")))
    sign_due = (Q(signed_at__isnull=False) | Q(sign_due__lt=now)) & ~(Q(signed_at__isnull=True) & Q(ended_in_time))
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
    durations: dict[int, list[float]] = {}  # one query: the answered instructions' issue and feedback times
    for dept, issued_at, feedback_at in instructions.filter(department__in=ids, feedback_at__isnull=False).exclude(
            status__in=not_answerable).values_list("department", "issued_at", "feedback_at"):
        durations.setdefault(dept, []).append((feedback_at - issued_at).total_seconds() / 3600)
    bodies = Department.objects.in_bulk(ids)
    out = [BodyPerformance(
        department=bodies[r["department"]], issued=r["issued"], sign_due=r["sign_due_n"],
        signed_on_time=r["signed_on_time"], answer_due=r["answer_due_n"], answered_on_time=r["answered_on_time"],
        returned=r["returned"], transferred=r["transferred"], escalated=r["escalated"],
        reopened=reopened.get(r["department"], 0), rated=ratings.get(r["department"], {}).get("n", 0),
        rating_avg=ratings.get(r["department"], {}).get("avg"), rank=rank.get(r["department"]),
        answer_lower=wilson_lower(r["answered_on_time"], r["answer_due_n"]),
        answer_hours_median=median(durations[r["department"]]) if r["department"] in durations else None)
        for r in rows]
    return (sorted((b for b in out if b.rank), key=lambda b: b.rank)
            + sorted((b for b in out if not b.rank), key=lambda b: (-b.issued, b.department.code)))

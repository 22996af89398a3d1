"""Who may act on events and instructions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from core.exceptions import NotFound, NotPermitted
from core.validators import mask_phone
from dispatch.models import EventReturn, Instruction
from intake.choices import Channel
from intake.models import Event, referred_by
from org.access import has_perm, scope_for
from org.choices import DepartmentKind, Role
from org.models import Department

COMMAND_ROLES = {Role.OPERATOR, Role.GUIDANCE, Role.ADMIN}
# Who files a report of their own (the phone form): grid workers, officers who find something, the
# command centre's operator taking it down — the grid or inspection channel — and a 业务主管部门's supervisor
# referring a lead to enforcement (部门移送, ZJ-016).
FIELD_REPORTERS = {Role.GRID_WORKER, Role.TOWN_OFFICER, Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.OPERATOR,
                   Role.ADMIN, Role.DEPT_SUPERVISOR}


def report_channels(user) -> list[str]:
    """The channels a signed-in person files their own reports under, the first the default; empty for posts
    that file none (reviewers, leaders). A grid worker's are 网格员 reports, an officer's 检查发现, a
    department supervisor's 部门移送 (ZJ-016); the command centre finds problems on its video and sensor feeds (视频巡查) or in its own checks;
    a citizen's are 群众 reports. ``intake.services.event_submit`` refuses any other (systems sending
    through the API are not bound by it: their client decides the channel)."""
    if user.role == Role.CITIZEN:
        return [Channel.CITIZEN]
    if user.role not in FIELD_REPORTERS:
        return []
    if user.role == Role.GRID_WORKER:
        return [Channel.GRID]
    if user.role == Role.DEPT_SUPERVISOR:  # ZJ-016: the department keeps supervision and refers what needs a case
        return [Channel.REFERRAL]
    if user.role in (Role.OPERATOR, Role.ADMIN):  # 群众: a caller's report taken down on the duty phone
        return [Channel.SENSOR, Channel.INSPECTION, Channel.CITIZEN]
    return [Channel.INSPECTION]


def acts_for(user, department: Department | None) -> bool:
    """Whether ``user`` may sign, return, feed back for ``department``: its own staff, the team that
    belongs to it, or the town team serving that town's government."""
    if department is None or user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.department_id == department.pk:
        return True
    team = user.team
    if team is None:
        return False
    if team.department_id == department.pk:
        return True
    return department.kind == DepartmentKind.TOWN_GOVERNMENT and team.towns.filter(pk=department.region_id).exists()


# Posts that read a body's work but do not do it: the legal reviewer reviews its cases (法制审核, XF-058) and
# the county leader oversees. Neither signs, answers or returns its instructions, reports to a whistle call
# or fills in a campaign task for it.
NOT_FIELD_WORK = {Role.LEGAL_REVIEWER, Role.LEADER}


def does_field_work(user) -> bool:
    """Whether ``user``'s post does dispatched work at all (every post but :data:`NOT_FIELD_WORK`)."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role not in NOT_FIELD_WORK))


def works_for(user, department: Department | None) -> bool:
    """Whether ``user`` does ``department``'s dispatched work (签收, 反馈, 退单, 报到, 专项整治进度): acts for it
    (:func:`acts_for`) in a post that does field work."""
    return acts_for(user, department) and does_field_work(user)


COUNTY_VIEW_ROLES = COMMAND_ROLES | {Role.LEADER}


def sees_county(user) -> bool:
    """The command centre's county-wide view (map, queues, 考评 of every body): the command centre, the
    guidance office and county leaders."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in COUNTY_VIEW_ROLES))


def is_command(user) -> bool:
    """The command centre's own actions (routing, campaigns): operators, the guidance office, admins."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in COMMAND_ROLES))


def sees_campaign_photos(user) -> bool:
    """整改照片 of a campaign are for staff: whoever works in the administration, not the public accounts."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role != Role.CITIZEN))


def require_command(user) -> None:
    if not is_command(user):
        raise NotPermitted("仅指挥中心或指导办可执行此操作", errors={"__all__": ["需要指挥中心权限"]})


def photo_publication_refused(user, event: Event) -> str:
    """Why ``user`` may not publish this report's photos, or "" if they may: the command centre only, and
    only for reports the public may see (not referrals or inspection findings, XF-050) whose reporter did
    not ask for confidentiality. The page offers the buttons and the service decides by the same rule."""
    from intake.choices import PUBLIC_CHANNELS

    if not is_command(user):
        return "仅指挥中心或指导办可执行此操作"
    if event.channel not in PUBLIC_CHANNELS:
        return "部门移送和检查发现的事件涉及调查对象，照片不公开"
    if event.confidential:
        return "报告人要求保密，照片不公开"
    return ""


def may_verify(user, event: Event) -> bool:
    """核查 (verification before closure): the command centre, or a grid worker of the report's town — never
    someone acting for the body that handled it."""
    if not (user and user.is_authenticated) or acts_for(user, event.department):
        return False
    return is_command(user) or (user.role == Role.GRID_WORKER and user.town_id == event.town_id)


def may_rule(user) -> bool:
    """Responsibility disputes are ruled by the guidance office (ZJ-017) — or an administrator."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in {Role.GUIDANCE, Role.ADMIN}))


def require_guidance(user) -> None:
    if not may_rule(user):
        raise NotPermitted("仅综合行政执法指导办可裁定职责争议", errors={"__all__": ["需要指导办权限"]})


def events_visible_to(user) -> QuerySet[Event]:
    """Events a user may see: county-wide roles all; a body's staff what is routed to it or happened in
    the towns they serve; a grid worker their town's and their own reports; citizens none (they use
    the ticket page)."""
    qs = Event.objects.select_related("category", "town", "department", "team")
    if not user or not user.is_authenticated:
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    if user.role == Role.GRID_WORKER:
        return qs.filter(Q(town_id__in=scope.town_ids) | Q(reporter=user))
    if user.role == Role.CITIZEN:  # not even their own reports: staff pages show the handling's internals
        return qs.none()
    cond = Q(reporter=user)
    if user.department_id:  # what the department referred (ZJ-016), by its staff or its system, it follows —
        # and the earlier report a referral of its was merged into, which its referral now waits on
        referred = referred_by(user.department_id)
        cond |= referred | Q(Exists(Event.objects.filter(referred, duplicate_of=OuterRef("pk"))))
    if not has_perm(user, "parties.view"):
        return qs.filter(cond)
    if scope.department_ids:
        cond |= Q(department_id__in=scope.department_ids)
    if scope.town_ids:
        cond |= Q(town_id__in=scope.town_ids)
    bodies = set(scope.department_ids or ()) | ({user.department_id} if user.department_id else set())
    if user.department_id:
        cond |= Q(department_id=user.department_id)
    if bodies:
        # a body that sent a report back (退单) follows what became of it: the ruling's notice links to it,
        # and the report names no body of its own until it is routed again; so does a body whose instruction
        # was moved to another (流转) or re-routed by the command centre — its 新指令 notice links to the report
        cond |= Q(Exists(EventReturn.objects.filter(event=OuterRef("pk"), department_id__in=bodies)))
        cond |= Q(Exists(Instruction.objects.filter(event=OuterRef("pk"), department_id__in=bodies)))
    return qs.filter(cond)


def access_event(*, user, pk: int) -> Event:
    event = events_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise NotFound("未找到该事件")
    return event


@dataclass(frozen=True)
class ReporterContact:
    """What one user may see of who reported an event (XF-050)."""

    name: str
    phone: str  # masked unless revealed
    can_reveal: bool  # may ask for the full number (the request is audited)
    note: str = ""


def reporter_contact(user, event: Event, *, revealed: bool = False) -> ReporterContact:
    """The reporter as ``user`` may see them. The command centre sees the name and may reveal the phone;
    the handling body's staff who do its field work (:func:`works_for`) the same unless the reporter asked for confidentiality, in which case it sees
    neither and contacts the reporter through the command centre; everyone else who can see the event
    sees the name only, and not even that for a confidential report. Phones are masked until revealed,
    and only a user with ``can_reveal`` gets the full number."""
    if getattr(user, "pk", None) and event.reporter_id == user.pk:
        return ReporterContact(event.reporter_name, event.reporter_phone, False)
    handles = works_for(user, event.department)  # those who do the work call back, not the body's reviewer
    if is_command(user) or (handles and not event.confidential):
        can_reveal = bool(event.reporter_phone)
        phone = event.reporter_phone if (revealed and can_reveal) else mask_phone(event.reporter_phone)
        note = str(_("报告人要求保密，不得向办理单位及被反映对象透露")) if event.confidential else ""
        return ReporterContact(event.reporter_name, phone, can_reveal, note)
    if event.confidential:
        note = str(_("报告人要求保密；如需联系报告人，请经指挥中心")) if handles else ""
        return ReporterContact(str(_("（保密）")), "", False, note)
    return ReporterContact(event.reporter_name, "", False)


def departments_worked_for(user) -> QuerySet[Department]:
    """The bodies whose dispatched work ``user`` does: the queryset twin of :func:`works_for`."""
    return departments_acted_for(user) if does_field_work(user) else Department.objects.none()


def departments_acted_for(user) -> QuerySet[Department]:
    """The bodies ``user`` signs, returns and feeds back for: the queryset twin of ``acts_for``
    (``test_departments_acted_for_agrees_with_acts_for`` keeps the two in step)."""
    if user is None or not user.is_authenticated:
        return Department.objects.none()
    if user.is_superuser:
        return Department.objects.all()
    cond = Q(pk__in=[])
    if user.department_id:
        cond |= Q(pk=user.department_id)
    team = user.team
    if team is not None:
        cond |= Q(pk=team.department_id) | Q(kind=DepartmentKind.TOWN_GOVERNMENT, region__in=team.towns.all())
    return Department.objects.filter(cond)

"""Who may act on events and instructions."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.exceptions import NotFound, NotPermitted
from intake.models import Event
from org.access import has_perm, scope_for
from org.choices import DepartmentKind, Role
from org.models import Department

COMMAND_ROLES = {Role.OPERATOR, Role.GUIDANCE, Role.ADMIN}


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


def require_command(user) -> None:
    if not (user and user.is_authenticated and (user.is_superuser or user.role in COMMAND_ROLES)):
        raise NotPermitted("仅指挥中心或指导办可执行此操作", errors={"__all__": ["需要指挥中心权限"]})


def require_guidance(user) -> None:
    if not (user and user.is_authenticated and (user.is_superuser or user.role in {Role.GUIDANCE, Role.ADMIN})):
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
    if not has_perm(user, "parties.view"):
        return qs.filter(reporter=user)
    cond = Q(reporter=user)
    if scope.department_ids:
        cond |= Q(department_id__in=scope.department_ids)
    if scope.town_ids:
        cond |= Q(town_id__in=scope.town_ids)
    if user.department_id:
        cond |= Q(department_id=user.department_id)
    return qs.filter(cond)


def access_event(*, user, pk: int) -> Event:
    event = events_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise NotFound("未找到该事件")
    return event

"""Who may see and do what. Scoping lives here and in selectors, never in templates.

``scope_for(user)`` answers "which part of the county's work does this user see":
- county-wide roles (指挥中心, 指导办, 县综合执法局, 法制审核, 县领导, 管理员) see everything;
- a professional-team officer or a department supervisor sees their department's work;
- a town officer sees the towns their team serves (or their own town); a grid worker their town;
- a citizen sees no internal work at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.exceptions import NotPermitted
from org.choices import COUNTY_WIDE_ROLES, Role


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    town_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.town_ids and not self.department_ids


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.role in COUNTY_WIDE_ROLES:
        return Scope(everything=True)
    if user.role in (Role.PRO_OFFICER, Role.DEPT_SUPERVISOR, Role.AGENCY_HEAD):
        return Scope(department_ids=frozenset({user.department_id}) if user.department_id else frozenset())
    if user.role == Role.TOWN_OFFICER:
        towns = set()
        if user.team_id:
            towns |= set(user.team.towns.values_list("pk", flat=True))
        if user.town_id:
            towns.add(user.town_id)
        return Scope(town_ids=frozenset(towns))
    if user.role == Role.GRID_WORKER:
        return Scope(town_ids=frozenset({user.town_id}) if user.town_id else frozenset())
    return Scope()


# Actions on master data, by role. One table, checked by ``require``; tests walk it per persona.
PERMISSIONS: dict[str, set[str]] = {
    "catalogue.view": {r.value for r in Role if r != Role.CITIZEN},
    "catalogue.manage": {Role.GUIDANCE, Role.ADMIN},
    "catalogue.review_candidates": {Role.GUIDANCE, Role.ADMIN},
    "catalogue.coverage": {Role.GUIDANCE, Role.ADMIN, Role.LEADER, Role.OPERATOR},
    "org.view": {r.value for r in Role if r != Role.CITIZEN},
    "org.manage": {Role.GUIDANCE, Role.ADMIN},
    "parties.view": {Role.OPERATOR, Role.GUIDANCE, Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.TOWN_OFFICER,
                     Role.AGENCY_HEAD,
                     Role.GRID_WORKER, Role.DEPT_SUPERVISOR, Role.LEGAL_REVIEWER, Role.LEADER, Role.ADMIN},
    "parties.manage": {Role.GUIDANCE, Role.ADMIN, Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.TOWN_OFFICER},
    "parties.view_full_id": {Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.TOWN_OFFICER, Role.LEGAL_REVIEWER,
                             Role.ADMIN},
    "import.run": {Role.GUIDANCE, Role.ADMIN},
    "audit.view": {Role.GUIDANCE, Role.ADMIN, Role.LEADER},
    "cases.legal_review": {Role.LEGAL_REVIEWER},  # 法制审核 (XF-058): the review queue and the review itself
}


def has_perm(user, action: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in PERMISSIONS[action]


def require(user, action: str) -> None:
    if not has_perm(user, action):
        raise NotPermitted(_("您没有执行此操作的权限"),
                           errors={"__all__": [_("需要权限：%(action)s") % {"action": action}]})

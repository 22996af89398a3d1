"""Fetch-and-authorize for parties; the same NotFound for missing and forbidden (house style §10)."""

from __future__ import annotations

from django.db.models import QuerySet

from core.exceptions import NotFound
from org.access import has_perm, scope_for
from parties.models import Enterprise, Person


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    if not has_perm(user, "parties.view"):
        return Enterprise.objects.none()
    scope = scope_for(user)
    qs = Enterprise.objects.select_related("town")
    if scope.everything or scope.department_ids:
        # Departments supervise their sector county-wide.
        return qs
    if scope.town_ids:
        return qs.filter(town_id__in=scope.town_ids)
    return qs.none()


def access_enterprise(*, user, pk: int) -> Enterprise:
    ent = enterprises_visible_to(user).filter(pk=pk).first()
    if ent is None:
        raise NotFound("未找到该企业")
    return ent


def persons_visible_to(user) -> QuerySet[Person]:
    if not has_perm(user, "parties.view"):
        return Person.objects.none()
    scope = scope_for(user)
    if scope.everything or scope.department_ids:
        return Person.objects.select_related("town")
    if scope.town_ids:
        return Person.objects.select_related("town").filter(town_id__in=scope.town_ids)
    return Person.objects.none()


def access_person(*, user, pk: int) -> Person:
    person = persons_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise NotFound("未找到该当事人")
    return person


def can_view_full_id(user, person: Person) -> bool:
    return has_perm(user, "parties.view_full_id") and persons_visible_to(user).filter(pk=person.pk).exists()

"""Read-side queries for the organisation, narrowed by ``org.access.scope_for`` — except the public officer
register (:func:`officer_register`), which shows what the law has published."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When

from org.access import has_perm, scope_for
from org.choices import DepartmentKind, RegionLevel, Role
from org.models import Department, District, Officer, Region, Team


def county() -> Region | None:
    return Region.objects.filter(level=RegionLevel.COUNTY).first()


def towns() -> QuerySet[Region]:
    return Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("district").order_by("code")


def districts_with_towns() -> QuerySet[District]:
    return District.objects.prefetch_related(
        Prefetch("towns", queryset=Region.objects.order_by("code")),
        Prefetch("teams", queryset=Team.objects.order_by("code")),
    )


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("region").annotate(team_count=Count("teams")).order_by("code")


def team_list(*, user) -> QuerySet[Team]:
    scope = scope_for(user)
    qs = Team.objects.select_related("department", "district").prefetch_related("towns").annotate(
        officer_count=Count("officers", filter=Q(officers__active=True, officers__is_auxiliary=False)),
        auxiliary_count=Count("officers", filter=Q(officers__active=True, officers__is_auxiliary=True)),
    )
    if scope.everything:
        return qs.order_by("code")
    if scope.nothing:
        return qs.none()
    return qs.filter(Q(department_id__in=scope.department_ids) | Q(towns__in=scope.town_ids)).distinct().order_by("code")


def officer_list(*, user, team_id: int | None = None, query: str = "", qualified_on: dt.date | None = None,
                 lapsing_before: dt.date | None = None) -> QuerySet[Officer]:
    scope = scope_for(user)
    qs = Officer.objects.select_related("team", "team__department", "stationed_town").prefetch_related("competences")
    if not scope.everything:
        if scope.nothing:
            return qs.none()
        qs = qs.filter(
            Q(team__department_id__in=scope.department_ids)
            | Q(team__towns__in=scope.town_ids)
            | Q(stationed_town_id__in=scope.town_ids)
        ).distinct()
    if team_id:
        qs = qs.filter(team_id=team_id)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(certificate_no__icontains=query) | Q(staff_no__icontains=query))
    if qualified_on:
        qs = qs.valid_on(qualified_on)
    if lapsing_before:  # lapsed, or lapsing before that day (执法证到期提醒)
        qs = qs.certified().filter(certificate_expiry__lt=lapsing_before)
    return qs.order_by("team__code", "staff_no")


def officer_register(*, query: str = "", department_id: int | None = None, on: dt.date) -> QuerySet[Officer]:
    """执法人员公示 (SX-1, ZJ-028): the officers holding a 执法证 valid on ``on`` — name, certificate number and
    scope, body and team, validity; never auxiliary staff (who hold none), phone or staff number. A query that
    is a whole certificate number finds that certificate whatever its state (expired, or its holder no longer
    in post), so that a party can check the card an officer showed them (XF-055); each row carries ``valid``."""
    certified = Officer.objects.filter(is_auxiliary=False).exclude(certificate_no="").select_related(
        "team", "team__department")
    valid = Q(active=True) & Officer.valid_on_q(on)
    query = query.strip()
    exact = certified.filter(certificate_no__iexact=query) if query else certified.none()
    if exact.exists():
        qs = exact
    else:
        qs = certified.filter(valid)
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(certificate_no__icontains=query))
    if department_id:
        qs = qs.filter(team__department_id=department_id)
    return qs.annotate(valid=Case(When(valid, then=Value(True)), default=Value(False), output_field=BooleanField())
                       ).order_by("team__department__code", "team__code", "name", "certificate_no")


def enforcement_departments() -> QuerySet[Department]:
    """The bodies whose teams have officers (the officer register's filter), not the guidance office."""
    return (Department.objects.filter(teams__officers__isnull=False).exclude(kind=DepartmentKind.GUIDANCE_OFFICE)
            .distinct().order_by("code"))


def certificates_to_renew(*, user, on: dt.date, within_days: int) -> QuerySet[Officer]:
    """执法证到期提醒 (XF-042, ZJ-028): the officers in post whose 执法证 has lapsed, or lapses within
    ``within_days`` of ``on`` — an officer with a lapsed card cannot take part in enforcement nor count as one of
    the two. County-wide for the guidance office, which keeps the register (``org.manage``); the body's own for
    its head and its supervisors; none for anyone else. Soonest first; each carries ``lapsed``."""
    if has_perm(user, "org.manage"):
        qs = Officer.objects.all()
    elif user.role in (Role.AGENCY_HEAD, Role.DEPT_SUPERVISOR) and user.department_id:
        qs = Officer.objects.filter(team__department_id=user.department_id)
    else:
        return Officer.objects.none()
    return (qs.certified().filter(certificate_expiry__lt=on + dt.timedelta(days=within_days))
            .select_related("team", "team__department")
            .annotate(lapsed=Case(When(certificate_expiry__lt=on, then=Value(True)), default=Value(False),
                                  output_field=BooleanField()))
            .order_by("certificate_expiry", "team__code", "name"))


def certificate_reminders(*, user, on: dt.date) -> dict:
    """执法证到期提醒 for one person's home page: their own certificate when it has lapsed or lapses within
    ``org.certificate_warn_days`` (``mine``, ``mine_lapsed``), and the certificates they keep watch over
    (:func:`certificates_to_renew`: the first ten as ``rows``, and ``count``)."""
    from core.config import config_get

    days = config_get("org.certificate_warn_days", on=on)
    renew = certificates_to_renew(user=user, on=on, within_days=days)
    own = Officer.objects.certified().filter(user=user).first()
    if own is not None and own.certificate_expiry is not None and own.certificate_expiry >= on + dt.timedelta(days=days):
        own = None
    return {"days": days, "rows": list(renew[:10]), "count": renew.count(), "mine": own,
            "mine_lapsed": own is not None and (own.certificate_expiry is None or own.certificate_expiry < on)}


def town_for_point(lng: float, lat: float) -> Region | None:
    """The township whose (possibly approximate) boundary contains the point."""
    from org.geo import locate_town

    return locate_town(lng, lat)

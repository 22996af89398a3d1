"""Catalogue reads: search, the state on a date, and coverage analysis."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from catalogue.models import (
    Article,
    BoundaryRule,
    CatalogueChange,
    ClauseCandidate,
    Domain,
    EnforcementItem,
    ItemBasis,
    ItemDelegation,
    ItemHolding,
    Law,
)
from core.config import config_get
from org.choices import RegionLevel
from org.models import Region, Team

# Colloquial words officers and citizens type -> statutory wording used in the articles.
SYNONYMS = {
    "占道": ["占用城市道路", "占用道路", "占道"], "摆摊": ["占用城市道路", "摊点", "摆摊"],
    "违建": ["建设工程规划许可证", "违法建设", "乡村建设规划许可证"], "违章建筑": ["建设工程规划许可证", "违法建设"],
    "噪音": ["噪声"], "乱倒": ["倾倒"], "偷倒": ["倾倒"], "井盖": ["窨井", "井盖"], "乱扔": ["乱扔"],
    "小广告": ["张贴", "涂写", "刻画"], "无照": ["未取得营业执照", "无照"], "无证": ["未取得", "许可证"],
    "黑车": ["道路运输"], "烧垃圾": ["焚烧"], "垃圾": ["垃圾"],
}

ARTICLE_QUERY_RE = re.compile(r"^(?:《?(?P<law>[^》第]+)》?)?第(?P<num>[零一二三四五六七八九十百千0-9]+)条$")


def active_on(qs: QuerySet, day: dt.date) -> QuerySet:
    return qs.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def entrustments_in_force(day: dt.date, *, agent_id=None, principal=None, item=None) -> QuerySet:
    """XF-020-021: entrustments published and in force on ``day`` (not yet ended or revoked)."""
    from catalogue.models import Entrustment

    qs = Entrustment.objects.filter(valid_from__lte=day, valid_to__gt=day, published_on__lte=day).filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if principal is not None:
        qs = qs.filter(principal=principal)
    if item is not None:
        qs = qs.filter(items=item)
    return qs


def entrustment_for(*, agent_id, principal, item, on: dt.date):
    """The entrustment under which ``agent_id`` may act for ``principal`` on ``item`` on ``on``, if any."""
    if not agent_id:
        return None
    return entrustments_in_force(on, agent_id=agent_id, principal=principal, item=item).first()


def item_search(*, query: str = "", domain_id: int | None = None, holder_id: int | None = None,
                town_id: int | None = None, on: dt.date | None = None) -> QuerySet[EnforcementItem]:
    """Search by keyword (name, violation), code, or article ("食品安全法第一百二十二条", "第五十一条")."""
    from catalogue.cn_numbers import cn_to_int

    on = on or dt.date.today()
    qs = EnforcementItem.objects.filter(Q(repealed_on__isnull=True) | Q(repealed_on__gt=on)).select_related("domain")
    query = query.strip()
    if query:
        if m := ARTICLE_QUERY_RE.match(query.replace(" ", "")):
            article_q = Q(itembasis__article__number=cn_to_int(m["num"]))
            if m["law"]:
                law = m["law"].removeprefix("中华人民共和国")
                article_q &= Q(itembasis__article__law__short_title__icontains=law)
            qs = qs.filter(article_q)
        elif query.isdigit():
            qs = qs.filter(code__startswith=query)
        else:
            for word in query.split():
                word_q = Q(code__icontains=word) | Q(itembasis__article__law__short_title__icontains=word)
                for term in SYNONYMS.get(word, [word]):
                    word_q |= Q(name__icontains=term) | Q(violation__icontains=term)
                qs = qs.filter(word_q)
    if domain_id:
        qs = qs.filter(domain_id=domain_id)
    if holder_id:
        qs = qs.filter(Exists(active_on(ItemHolding.objects.filter(item=OuterRef("pk"), department_id=holder_id), on)))
    if town_id:
        qs = qs.filter(Exists(active_on(ItemDelegation.objects.filter(item=OuterRef("pk"), town_id=town_id), on)))
    return qs.distinct().prefetch_related(
        Prefetch("holdings", queryset=active_on(ItemHolding.objects.select_related("department", "team"), on),
                 to_attr="current_holdings"),
        Prefetch("delegations", queryset=active_on(ItemDelegation.objects.select_related("town"), on),
                 to_attr="current_delegations"),
        Prefetch("itembasis_set", queryset=ItemBasis.objects.select_related("article__law"), to_attr="bases"),
    ).order_by("code")


def item_detail(*, code: str) -> EnforcementItem | None:
    return (EnforcementItem.objects.select_related("domain", "original_department", "supervising_department")
            .prefetch_related(
                Prefetch("itembasis_set", queryset=ItemBasis.objects.select_related("article__law"), to_attr="bases"),
                Prefetch("holdings", queryset=ItemHolding.objects.select_related(
                    "department", "team", "opened_by", "closed_by").order_by("valid_from"), to_attr="all_holdings"),
                Prefetch("delegations", queryset=ItemDelegation.objects.select_related("town", "opened_by")
                         .order_by("town__code", "valid_from"), to_attr="all_delegations"),
                "discretion_standards__bands",
            ).filter(code=code).first())


def holders_on(item: EnforcementItem, day: dt.date) -> list[ItemHolding]:
    return list(active_on(item.holdings.select_related("department", "team"), day))


def towns_on(item: EnforcementItem, day: dt.date) -> list[Region]:
    return [d.town for d in active_on(item.delegations.select_related("town"), day)]


def enforcement_bodies(day: dt.date) -> dict:
    """执法主体 as published (SX-1, ZJ-006-009): the bodies holding catalogue items on ``day``, each with how many,
    and the towns holding delegated items (赋权镇街) with how many — ``{"holders": [...], "towns": [...]}``,
    rows of ``pk``, ``name`` and ``items``, most items first."""
    live = Q(item__repealed_on__isnull=True) | Q(item__repealed_on__gt=day)
    holders = (active_on(ItemHolding.objects.filter(live), day).values("department_id", "department__name")
               .annotate(items=Count("item", distinct=True)).order_by("-items", "department__code"))
    towns = (active_on(ItemDelegation.objects.filter(live), day).values("town_id", "town__name")
             .annotate(items=Count("item", distinct=True)).order_by("town__code"))
    return {"holders": [{"pk": h["department_id"], "name": h["department__name"], "items": h["items"]} for h in holders],
            "towns": [{"pk": t["town_id"], "name": t["town__name"], "items": t["items"]} for t in towns]}


def catalogue_state_on(day: dt.date) -> dict:
    """Counts of the catalogue as it stood on ``day`` (for the history view)."""
    items = EnforcementItem.objects.filter(holdings__valid_from__lte=day).filter(
        Q(repealed_on__isnull=True) | Q(repealed_on__gt=day)).distinct()
    holdings = active_on(ItemHolding.objects.all(), day)
    by_holder = holdings.values("department__name").annotate(n=Count("item", distinct=True)).order_by("-n")
    delegations = active_on(ItemDelegation.objects.all(), day)
    return {
        "date": day,
        "items_held": holdings.values("item").distinct().count(),
        "items_total": items.count(),
        "by_holder": list(by_holder),
        "delegated_items": delegations.values("item").distinct().count(),
        "delegation_rows": delegations.count(),
    }


def changes_list(limit: int = 100) -> QuerySet[CatalogueChange]:
    return CatalogueChange.objects.select_related("actor").annotate(
        opened=Count("opened_holdings", distinct=True) + Count("opened_delegations", distinct=True)
    ).order_by("-effective_date", "-id")[:limit]


def law_list() -> QuerySet[Law]:
    return Law.objects.annotate(article_count=Count("articles", distinct=True)).order_by("short_title", "-version_date")


def article_get(law_id: int, number: int) -> Article | None:
    return Article.objects.select_related("law", "chapter").filter(law_id=law_id, number=number).first()


def domain_list() -> QuerySet[Domain]:
    return Domain.objects.annotate(item_count=Count("items")).order_by("code")


def candidate_queue(*, status: str = "pending", law_id: int | None = None) -> QuerySet[ClauseCandidate]:
    qs = ClauseCandidate.objects.filter(status=status).select_related("article__law", "suggested_domain", "item")
    if law_id:
        qs = qs.filter(article__law_id=law_id)
    return qs.order_by("article__law__short_title", "article__number", "seq")


@dataclass
class Coverage:
    on: dt.date
    dormant_years: int
    no_holder: list[EnforcementItem] = field(default_factory=list)
    multiple_holders: list[tuple[EnforcementItem, list[ItemHolding]]] = field(default_factory=list)
    boundary_unknown_items: list[tuple[BoundaryRule, list[str]]] = field(default_factory=list)
    towns_without_team: list[Region] = field(default_factory=list)
    dormant: list[EnforcementItem] = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        return (len(self.no_holder) + len(self.multiple_holders) + len(self.boundary_unknown_items)
                + len(self.towns_without_team))


def coverage(*, on: dt.date | None = None, dormant_years: int | None = None) -> Coverage:
    on = on or dt.date.today()
    dormant_years = dormant_years if dormant_years is not None else config_get("catalogue.dormant_years", on=on)
    result = Coverage(on=on, dormant_years=dormant_years)
    live = EnforcementItem.objects.filter(Q(repealed_on__isnull=True) | Q(repealed_on__gt=on))
    holdings = active_on(ItemHolding.objects.all(), on)
    counted = live.annotate(
        holder_count=Count("holdings", filter=Q(holdings__in=holdings), distinct=True)
    )
    result.no_holder = list(counted.filter(holder_count=0).select_related("domain").order_by("code"))
    multi = list(counted.filter(holder_count__gt=1).order_by("code"))
    for item in multi:
        result.multiple_holders.append((item, holders_on(item, on)))
    known = set(EnforcementItem.objects.values_list("code", flat=True))
    for rule in BoundaryRule.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on)).order_by("code"):
        unknown = [c for c in rule.item_codes if c not in known]
        if unknown:
            result.boundary_unknown_items.append((rule, unknown))
    served = Team.objects.filter(active=True, towns__isnull=False).values_list("towns", flat=True)
    result.towns_without_team = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).exclude(pk__in=served)
                                     .order_by("code"))
    cutoff = on.replace(year=on.year - dormant_years) if not (on.month == 2 and on.day == 29) else \
        on.replace(year=on.year - dormant_years, day=28)
    result.dormant = list(live.filter(Q(last_case_on__isnull=True) | Q(last_case_on__lt=cutoff))
                          .select_related("domain").order_by("code"))
    return result

"""Catalogue write services. Each is one transaction with its audit row (house style §3-4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.choices import (
    DISALLOWED_PENALTY_TYPES,
    CandidateStatus,
    ChangeKind,
    FineBasis,
    ItemType,
    PenaltyType,
)
from catalogue.clauseparse import candidates_for_article
from catalogue.lawparse import parse_law_file
from catalogue.models import (
    Article,
    BoundaryRule,
    CatalogueChange,
    ClauseCandidate,
    DiscretionBand,
    DiscretionStandard,
    Domain,
    EnforcementItem,
    Entrustment,
    ItemBasis,
    ItemDelegation,
    ItemHolding,
    Law,
    LawChapter,
)
from core.audit import audit_log, snapshot
from core.exceptions import Conflict, InvalidTransition, ValidationFailed
from core.validators import length_error
from org.access import require
from org.choices import RegionLevel
from org.models import Department, Region, Team

# ---------------------------------------------------------------- legal library


@transaction.atomic
def law_import_file(*, actor, path: Path, source: str = "") -> Law:
    """Parse one law file and store it (replacing a stored copy of the same file, if unchanged use)."""
    parsed = parse_law_file(path)
    existing = Law.objects.filter(source_file=parsed.source_file).first()
    if existing is not None:
        if existing.articles.filter(items__isnull=False).exists():
            raise Conflict(_("《%(short_title)s》已被事项引用，不能重新导入；请导入新版本文件") % {"short_title": existing.short_title},
                           errors={"file": [parsed.source_file]})
        existing.delete()
    law = Law.objects.create(
        title=parsed.title, short_title=parsed.short_title, level=parsed.level, version_date=parsed.version_date,
        effective_from=parsed.effective_from, preamble=parsed.preamble, source_file=parsed.source_file,
        source=source,
    )
    # A newer version closes the older one the day the new one takes effect.
    Law.objects.filter(short_title=law.short_title, version_date__lt=law.version_date, effective_to=None).update(
        effective_to=law.effective_from
    )
    articles = []
    for chapter in parsed.chapters:
        ch = LawChapter.objects.create(law=law, order=chapter.order, number=chapter.number, title=chapter.title,
                                       is_liability=chapter.is_liability)
        articles += [Article(law=law, chapter=ch, number=a.number, label=a.label, text=a.text)
                     for a in chapter.articles]
    articles += [Article(law=law, number=a.number, label=a.label, text=a.text) for a in parsed.loose_articles]
    Article.objects.bulk_create(articles)
    audit_log(actor=actor, action="catalogue.law.import", obj=law,
              after={"file": parsed.source_file, "articles": len(articles), "version": parsed.version_date})
    return law


def law_import_dir(*, actor, directory: Path, source: str = "") -> list[Law]:
    return [law_import_file(actor=actor, path=p, source=source) for p in sorted(directory.glob("*.md"))]


# ---------------------------------------------------------------- candidates


@transaction.atomic
def candidates_generate(*, actor, law: Law, domain: Domain | None = None) -> list[ClauseCandidate]:
    """Find penalty clauses in the law's 法律责任 chapter (or anywhere when it has no chapters)."""
    if law.candidates_exist():
        raise Conflict(_("《%(short_title)s》已生成过候选事项") % {"short_title": law.short_title},
                       errors={"law": [law.short_title]})
    has_chapters = law.chapters.exists()
    created = []
    for article in law.articles.select_related("chapter").order_by("number"):
        if has_chapters and not (article.chapter and article.chapter.is_liability):
            continue
        for cand in candidates_for_article(article.number, article.text.split("\n")):
            created.append(ClauseCandidate(
                article=article, seq=cand.seq, clause_ref=cand.clause_ref, violation=cand.violation[:2000],
                penalty_text=cand.penalty_text, penalty_types=cand.penalty_types,
                fine_tiers=[t.as_json() for t in cand.fine_tiers], department_named=cand.department_named[:100],
                suggested_domain=domain,
            ))
    ClauseCandidate.objects.bulk_create(created)
    audit_log(actor=actor, action="catalogue.candidates.generate", obj=law, after={"candidates": len(created)})
    return created


def _fine_bounds(tiers: list[dict]) -> tuple[Decimal | None, Decimal | None]:
    fixed = [t for t in tiers if t["basis"] == FineBasis.FIXED]
    if not fixed:
        return None, None
    mins = [Decimal(t["min"]) for t in fixed if t["min"] is not None]
    maxs = [Decimal(t["max"]) for t in fixed if t["max"] is not None]
    return (min(mins) if mins else None), (max(maxs) if maxs and len(maxs) == len(fixed) else None)


def _validate_item_fields(*, name: str, penalty_types: list[str], fine_min, fine_max) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("事项名称不能为空")]
    elif (too_long := length_error(name, EnforcementItem, "name")) is not None:
        errors["name"] = [too_long]
    unknown = [t for t in penalty_types if t not in PenaltyType.values]
    if unknown:
        errors["penalty_types"] = [_("处罚种类“%(t)s”不在行政处罚法第九条所列种类中（XF-009）") % {"t": t} for t in unknown]
    banned = [t for t in penalty_types if t in DISALLOWED_PENALTY_TYPES]
    if banned:
        errors.setdefault("penalty_types", []).append(_("行政拘留只能由公安机关决定，本平台不得设定（XF-009，第十八条第三款）"))
    if fine_min is not None and fine_min < 0:
        errors["fine_min"] = [_("罚款下限不能为负数")]
    if fine_min is not None and fine_max is not None and fine_min > fine_max:
        errors["fine_max"] = [_("罚款上限不得低于下限")]
    return errors


def next_item_code(domain: Domain, county_code: str = "330822") -> str:
    prefix = f"{county_code}{domain.code}"
    last = (EnforcementItem.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True)
            .first())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def candidate_accept(
    *,
    actor,
    candidate: ClauseCandidate,
    domain: Domain,
    holder: Department,
    holder_team: Team | None = None,
    effective_date: dt.date,
    name: str | None = None,
    penalty_types: list[str] | None = None,
    fine_tiers: list[dict] | None = None,
    supervising_department: Department | None = None,
    original_department: Department | None = None,
    note: str = "",
) -> EnforcementItem:
    """Accept a candidate (optionally edited) as an enforcement item held by ``holder``."""
    require(actor, "catalogue.review_candidates")
    if (too_long := length_error(note, ClauseCandidate, "review_note")) is not None:
        raise ValidationFailed(_("审核意见太长"), errors={"note": [too_long]})
    # Compare-and-set: only a pending candidate can be accepted, and only once.
    moved = ClauseCandidate.objects.filter(pk=candidate.pk, status=CandidateStatus.PENDING).update(
        status=CandidateStatus.ACCEPTED, reviewed_by=actor, reviewed_at=timezone.now(), review_note=note
    )
    if not moved:
        raise InvalidTransition(_("该候选事项已审核过"), errors={"candidate": [_("状态不是“待审核”")]})
    article = candidate.article
    law = article.law
    edited = name is not None or penalty_types is not None or fine_tiers is not None
    name = name if name is not None else candidate.violation[:300]  # a name typed in is checked, not cut
    penalty_types = list(penalty_types if penalty_types is not None else candidate.penalty_types)
    fine_tiers = list(fine_tiers if fine_tiers is not None else candidate.fine_tiers)
    fine_min, fine_max = _fine_bounds(fine_tiers)
    errors = _validate_item_fields(name=name, penalty_types=penalty_types, fine_min=fine_min, fine_max=fine_max)
    if errors:
        raise ValidationFailed(_("候选事项数据有误"), errors=errors)
    item = EnforcementItem.objects.create(
        code=next_item_code(domain), name=name, item_type=ItemType.PENALTY, domain=domain,
        violation=candidate.violation, penalty_types=penalty_types, fine_min=fine_min, fine_max=fine_max,
        fine_tiers=fine_tiers, fine_text=candidate.penalty_text, department_named=candidate.department_named,
        supervising_department=supervising_department, original_department=original_department,
    )
    ItemBasis.objects.create(item=item, article=article, role=ItemBasis.Role.PENALTY,
                             clause=candidate.clause_ref[:20])
    change = CatalogueChange.objects.create(kind=ChangeKind.CREATE, effective_date=effective_date, actor=actor,
                                            reason=f"由《{law.short_title}》{article.label}候选事项采纳" + (
                                                "（已修改）" if edited else ""))
    ItemHolding.objects.create(item=item, department=holder, team=holder_team, valid_from=effective_date,
                               opened_by=change)
    ClauseCandidate.objects.filter(pk=candidate.pk).update(item=item)
    audit_log(actor=actor, action="catalogue.candidate.accept", obj=item,
              before={"candidate": candidate.pk, "status": CandidateStatus.PENDING},
              after=snapshot(item) | {"holder": holder.pk, "edited": edited})
    return item


@transaction.atomic
def candidate_reject(*, actor, candidate: ClauseCandidate, reason: str) -> ClauseCandidate:
    require(actor, "catalogue.review_candidates")
    if not reason.strip():
        raise ValidationFailed(_("请填写驳回理由"), errors={"reason": [_("驳回必须写明理由")]})
    if (too_long := length_error(reason, ClauseCandidate, "review_note")) is not None:
        raise ValidationFailed(_("驳回理由太长"), errors={"reason": [too_long]})
    moved = ClauseCandidate.objects.filter(pk=candidate.pk, status=CandidateStatus.PENDING).update(
        status=CandidateStatus.REJECTED, reviewed_by=actor, reviewed_at=timezone.now(), review_note=reason
    )
    if not moved:
        raise InvalidTransition(_("该候选事项已审核过"), errors={"candidate": [_("状态不是“待审核”")]})
    candidate.refresh_from_db()
    audit_log(actor=actor, action="catalogue.candidate.reject", obj=candidate,
              before={"status": CandidateStatus.PENDING}, after={"status": candidate.status, "reason": reason})
    return candidate


# ---------------------------------------------------------------- versions: transfer and delegation


def _check_effective(effective_date: dt.date, field: str = "effective_date") -> None:
    if effective_date is None:
        raise ValidationFailed(_("请填写生效日期"), errors={field: [_("生效日期不能为空")]})


@transaction.atomic
def item_transfer(*, actor, item: EnforcementItem, to_department: Department, to_team: Team | None,
                  effective_date: dt.date, document_no: str, reason: str = "") -> ItemHolding:
    """划转: close the current holding on ``effective_date`` and open one for the new holder."""
    require(actor, "catalogue.manage")
    _check_effective(effective_date)
    if to_team is not None and to_team.department_id != to_department.pk:
        raise ValidationFailed(_("承办队伍不属于实施主体"),
                               errors={"to_team": [_("%(to_team)s不属于%(to_department)s")
                                                     % {"to_team": to_team, "to_department": to_department}]})
    if not document_no.strip():
        raise ValidationFailed(_("请填写依据文件"), errors={"document_no": [_("划转须有依据文件")]})
    current = list(ItemHolding.objects.filter(item=item, valid_from__lte=effective_date)
                   .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=effective_date)))
    later = ItemHolding.objects.filter(item=item, valid_from__gt=effective_date).exists()
    if later:
        raise Conflict(_("该事项在此日期之后已有划转安排，请先撤销"), errors={"effective_date": [str(effective_date)]})
    if any(h.department_id == to_department.pk and h.team_id == (to_team.pk if to_team else None) for h in current):
        raise ValidationFailed(_("新旧实施主体相同"), errors={"to_department": [_("与当前实施主体相同")]})
    change = CatalogueChange.objects.create(kind=ChangeKind.TRANSFER, effective_date=effective_date,
                                            document_no=document_no, reason=reason, actor=actor)
    before = [{"department": h.department_id, "team": h.team_id, "valid_from": h.valid_from} for h in current]
    for h in current:
        if h.valid_from == effective_date:
            raise Conflict(_("同一天已有实施主体生效，请修改生效日期"), errors={"effective_date": [str(effective_date)]})
        h.valid_to = effective_date
        h.closed_by = change
        h.save(update_fields=["valid_to", "closed_by"])
    holding = ItemHolding.objects.create(item=item, department=to_department, team=to_team,
                                         valid_from=effective_date, opened_by=change)
    audit_log(actor=actor, action="catalogue.item.transfer", obj=item, before={"holders": before},
              after={"department": to_department.pk, "team": to_team.pk if to_team else None,
                     "effective_date": effective_date, "document_no": document_no})
    return holding


@transaction.atomic
def item_set_towns(*, actor, item: EnforcementItem, towns: list[Region], effective_date: dt.date,
                   document_no: str, reason: str = "") -> CatalogueChange:
    """Set the towns the item is delegated to from ``effective_date`` (a new town list)."""
    require(actor, "catalogue.manage")
    _check_effective(effective_date)
    bad = [t.name for t in towns if t.level != RegionLevel.TOWNSHIP]
    if bad:
        raise ValidationFailed(_("只能赋权给乡镇(街道)"), errors={"towns": [_("“%(n)s”不是乡镇或街道") % {"n": n} for n in bad]})
    if not document_no.strip():
        raise ValidationFailed(_("请填写依据文件"), errors={"document_no": [_("赋权须有公布文件（行政处罚法第二十四条）")]})
    wanted = {t.pk for t in towns}
    open_rows = list(ItemDelegation.objects.filter(item=item, valid_to__isnull=True))
    if any(r.valid_from > effective_date for r in open_rows):
        raise Conflict(_("已有晚于该日期的赋权安排"), errors={"effective_date": [str(effective_date)]})
    current = {r.town_id for r in open_rows}
    if wanted == current:
        raise ValidationFailed(_("赋权镇街没有变化"), errors={"towns": [_("与当前赋权镇街相同")]})
    kind = ChangeKind.DELEGATE if wanted - current else ChangeKind.REVOKE_DELEGATION
    change = CatalogueChange.objects.create(kind=kind, effective_date=effective_date, document_no=document_no,
                                            reason=reason, actor=actor)
    for row in open_rows:
        if row.town_id not in wanted:
            if row.valid_from == effective_date:
                row.delete()
                continue
            row.valid_to = effective_date
            row.closed_by = change
            row.save(update_fields=["valid_to", "closed_by"])
    ItemDelegation.objects.bulk_create(
        ItemDelegation(item=item, town_id=pk, valid_from=effective_date, publication=document_no, opened_by=change)
        for pk in wanted - current
    )
    audit_log(actor=actor, action="catalogue.item.set_towns", obj=item, before={"towns": sorted(current)},
              after={"towns": sorted(wanted), "effective_date": effective_date, "document_no": document_no})
    return change


@transaction.atomic
def discretion_publish(*, actor, item: EnforcementItem, effective_from: dt.date, bands: list[dict],
                       publication_url: str = "", document_no: str = "") -> DiscretionStandard:
    """Publish a new version of the item's 裁量基准 (XF-034). Older versions stay for old decisions."""
    require(actor, "catalogue.manage")
    errors: dict[str, list[str]] = {}
    if not bands:
        errors["bands"] = [_("至少需要一个裁量阶次")]
    for i, band in enumerate(bands, start=1):
        lo, hi = band.get("fine_min"), band.get("fine_max")
        if not band.get("level") or not band.get("circumstances"):
            errors.setdefault(f"bands[{i}]", []).append(_("阶次和适用情形不能为空"))
        if lo is not None and hi is not None and Decimal(lo) > Decimal(hi):
            errors.setdefault(f"bands[{i}]", []).append(_("罚款下限高于上限"))
        if item.fine_max is not None and hi is not None and Decimal(hi) > item.fine_max:
            errors.setdefault(f"bands[{i}]", []).append(_("上限超出法定上限 %(fine_max)s 元") % {"fine_max": item.fine_max})
        if item.fine_min is not None and lo is not None and Decimal(lo) < item.fine_min:
            errors.setdefault(f"bands[{i}]", []).append(_("下限低于法定下限 %(fine_min)s 元") % {"fine_min": item.fine_min})
    if errors:
        raise ValidationFailed(_("裁量基准有误"), errors=errors)
    last = item.discretion_standards.order_by("-version").first()
    standard = DiscretionStandard.objects.create(item=item, version=(last.version + 1) if last else 1,
                                                 effective_from=effective_from, publication_url=publication_url,
                                                 document_no=document_no)
    DiscretionBand.objects.bulk_create(
        DiscretionBand(standard=standard, order=i, level=b["level"], circumstances=b["circumstances"],
                       fine_min=b.get("fine_min"), fine_max=b.get("fine_max"))
        for i, b in enumerate(bands, start=1)
    )
    audit_log(actor=actor, action="catalogue.discretion.publish", obj=standard, after={"bands": bands})
    return standard


# ---------------------------------------------------------------- boundary list


@transaction.atomic
def boundary_rule_add(*, actor, code: str, matter: str, criteria: str, penalising_department: Department,
                      supervising_department: Department | None, source_document: str, source_date: dt.date,
                      item_codes: list[str] | None = None, keywords: list[str] | None = None,
                      source: str = BoundaryRule.Source.LIST) -> BoundaryRule:
    require(actor, "catalogue.manage")
    rule = BoundaryRule(code=code, matter=matter, criteria=criteria, penalising_department=penalising_department,
                        supervising_department=supervising_department, source_document=source_document,
                        source_date=source_date, item_codes=item_codes or [], keywords=keywords or [], source=source)
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(_("职责边界数据有误"), errors=exc.message_dict) from None
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise Conflict(_("编号已存在"), errors={"code": [_("职责边界编号“%(code)s”已存在") % {"code": code}]}) from None
    audit_log(actor=actor, action="catalogue.boundary.add", obj=rule, after=snapshot(rule))
    return rule


@transaction.atomic
def domain_create(*, actor, code: str, name: str, description: str = "") -> Domain:
    require(actor, "catalogue.manage")
    if Domain.objects.filter(Q(code=code) | Q(name=name)).exists():
        raise Conflict(_("领域已存在"), errors={"code": [code], "name": [name]})
    domain = Domain.objects.create(code=code, name=name, description=description)
    audit_log(actor=actor, action="catalogue.domain.create", obj=domain, after=snapshot(domain))
    return domain


@transaction.atomic
def entrustment_create(*, actor, principal: Department, agent: Department, items: list[EnforcementItem], powers: str,
                       instrument_no: str, valid_from: dt.date, valid_to: dt.date, published_on: dt.date,
                       public_url: str = "") -> Entrustment:
    """委托 (XF-020-021): in writing (委托书 number, powers, period), only within the entrusting body's own
    powers (it holds every item on the first day), to an organisation (受委托组织), never onward by a
    delegate, and published before it takes effect."""
    from org.choices import DepartmentKind

    require(actor, "catalogue.manage")
    errors: dict[str, list[str]] = {}
    if not instrument_no.strip():
        errors["instrument_no"] = [_("委托应当采取书面形式，须填写委托书文号")]
    if not powers.strip():
        errors["powers"] = [_("委托书应当载明委托的具体事项、权限")]
    if not items:
        errors["items"] = [_("至少一项委托事项")]
    if valid_to is None or valid_from is None or valid_to <= valid_from:
        errors["valid_to"] = [_("委托书应当载明期限，截止日期须晚于起始日期")]
    if published_on is None or (valid_from and published_on > valid_from):
        errors["published_on"] = [_("委托应当向社会公布，公布日期不能晚于起始日期")]
    if agent.kind != DepartmentKind.ENTRUSTED_ORG:
        errors["agent"] = [_("受委托的应当是依法成立并具有管理公共事务职能的组织（受委托组织）")]
    if principal.kind == DepartmentKind.ENTRUSTED_ORG:
        errors["principal"] = [_("受委托组织不得再委托其他组织或者个人实施行政处罚")]
    if errors:
        raise ValidationFailed(_("委托信息有误（XF-020-021）"), errors=errors)
    outside = [i.code for i in items if not ItemHolding.objects.filter(item=i, department=principal,
                                                                        valid_from__lte=valid_from)
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)).exists()]
    if outside:
        raise ValidationFailed(_("超出委托机关的法定权限（XF-020-021）"),
                               errors={"items": [_("%(principal)s在%(date)s不实施事项 %(items)s") % {
                                   "principal": principal, "date": valid_from, "items": "、".join(outside)}]})
    e = Entrustment.objects.create(principal=principal, agent=agent, powers=powers, instrument_no=instrument_no,
                                   valid_from=valid_from, valid_to=valid_to, published_on=published_on,
                                   public_url=public_url)
    e.items.set(items)
    audit_log(actor=actor, action="catalogue.entrustment.create", obj=e, after={
        "principal": principal.pk, "agent": agent.pk, "items": [i.code for i in items], "valid_from": valid_from,
        "valid_to": valid_to, "instrument_no": instrument_no})
    return e


@transaction.atomic
def entrustment_revoke(*, actor, entrustment: Entrustment, on: dt.date, reason: str) -> Entrustment:
    require(actor, "catalogue.manage")
    if not reason.strip():
        raise ValidationFailed(_("请写明终止委托的理由"), errors={"reason": [_("不能为空")]})
    if not Entrustment.objects.filter(pk=entrustment.pk, revoked_on__isnull=True).update(revoked_on=on):
        raise InvalidTransition(_("该委托已终止"), errors={"__all__": [_("已终止")]})
    entrustment.refresh_from_db()
    audit_log(actor=actor, action="catalogue.entrustment.revoke", obj=entrustment, after={"on": on, "reason": reason})
    return entrustment

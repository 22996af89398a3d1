"""Import/export of enforcement items and responsibility-boundary rows (Chinese headers)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from catalogue.choices import ChangeKind, FineBasis, ItemType, PenaltyType
from catalogue.cn_numbers import cn_to_int
from catalogue.models import (
    Article,
    BoundaryRule,
    CatalogueChange,
    Domain,
    EnforcementItem,
    ItemBasis,
    ItemDelegation,
    ItemHolding,
)
from catalogue.selectors import active_on
from core.importing import Field, Importer, register
from core.tabular import ImportReport
from org.choices import RegionLevel
from org.models import Department, Region, Team

PENALTY_BY_LABEL = {str(label): value for value, label in PenaltyType.choices}
ITEM_TYPE_BY_LABEL = {str(label): value for value, label in ItemType.choices}
BASIS_RE = re.compile(r"《(?P<law>[^》]+)》第(?P<num>[零一二三四五六七八九十百千0-9]+)条")
SPLIT_RE = re.compile(r"[、，,；;\s]+")


def _departments() -> dict[str, Department]:
    out = {}
    for d in Department.objects.all():
        out[d.name] = d
        out[d.short_name] = d
        out[d.code] = d
    return out


def _parse_date(raw: str):
    raw = raw.strip().replace("/", "-").replace(".", "-")
    m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", raw)
    if m:
        raw = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return dt.date.fromisoformat(raw)


def _money(raw: str):
    raw = raw.strip().replace(",", "").removesuffix("元")
    if not raw:
        return None
    value = Decimal(raw)
    if value < 0:
        raise InvalidOperation
    return value


@register
class ItemImporter(Importer):
    kind = "items"
    label = "执法事项"
    permission = "catalogue.manage"
    fields = [
        Field("code", "事项编码", True, ("编码", "职权编码", "事项代码")),
        Field("name", "事项名称", True, ("名称", "职权名称")),
        Field("item_type", "事项类型", False, ("类型", "权力类型")),
        Field("domain", "领域", True, ("执法领域", "所属领域")),
        Field("basis", "法律依据", True, ("依据", "设定依据", "处罚依据")),
        Field("penalty_types", "处罚种类", False, ("处罚类型",)),
        Field("fine_min", "罚款下限", False, ("罚款下限(元)",)),
        Field("fine_max", "罚款上限", False, ("罚款上限(元)",)),
        Field("holder", "实施主体", True, ("实施部门", "执法主体")),
        Field("team", "承办队伍", False, ()),
        Field("supervising", "业务主管部门", False, ("监管部门", "主管部门")),
        Field("towns", "赋权镇街", False, ("下放镇街",)),
        Field("effective_date", "生效日期", True, ("实施日期",)),
    ]

    def prepare(self) -> None:
        self.domains = {d.name: d for d in Domain.objects.all()} | {d.code: d for d in Domain.objects.all()}
        self.depts = _departments()
        self.teams = {t.name: t for t in Team.objects.all()}
        self.towns = {r.name: r for r in Region.objects.filter(level=RegionLevel.TOWNSHIP)}
        self.existing = set(EnforcementItem.objects.values_list("code", flat=True))
        self.articles = {}
        for a in Article.objects.select_related("law").filter(law__effective_to__isnull=True):
            self.articles[(a.law.short_title, a.number)] = a
            self.articles[(a.law.title, a.number)] = a
        self.seen: dict[str, int] = {}

    def validate(self, rowno, v, report: ImportReport):
        n = len(report.errors)
        code = v["code"].strip()
        if not re.fullmatch(r"[0-9A-Za-z-]{4,20}", code):
            report.add(rowno, "事项编码", code, "事项编码应为4-20位字母或数字")
        elif code in self.seen:
            report.add(rowno, "事项编码", code, f"与第{self.seen[code]}行重复")
        elif code in self.existing:
            report.add(rowno, "事项编码", code, "系统中已有该编码的事项")
        self.seen.setdefault(code, rowno)
        if not v["name"].strip():
            report.add(rowno, "事项名称", "", "事项名称不能为空")
        item_type = ItemType.PENALTY
        if v.get("item_type"):
            item_type = ITEM_TYPE_BY_LABEL.get(v["item_type"].strip())
            if item_type is None:
                report.add(rowno, "事项类型", v["item_type"], "应为 " + "、".join(ITEM_TYPE_BY_LABEL))
        domain = self.domains.get(v["domain"].strip())
        if domain is None:
            report.add(rowno, "领域", v["domain"], "不是已登记的执法领域")
        articles = []
        refs = list(BASIS_RE.finditer(v["basis"]))
        if not refs:
            report.add(rowno, "法律依据", v["basis"], "应写成《法律简称》第N条，如《食品安全法》第一百二十二条")
        for m in refs:
            law = m["law"].removeprefix("中华人民共和国")
            article = self.articles.get((law, cn_to_int(m["num"]))) or self.articles.get((m["law"], cn_to_int(m["num"])))
            if article is None:
                report.add(rowno, "法律依据", m.group(0), "法规库中没有这一条")
            else:
                articles.append(article)
        ptypes = []
        for label in filter(None, SPLIT_RE.split(v.get("penalty_types", ""))):
            value = PENALTY_BY_LABEL.get(label)
            if value is None:
                report.add(rowno, "处罚种类", label, "不是行政处罚法第九条规定的处罚种类（XF-009）")
            elif value == PenaltyType.DETENTION:
                report.add(rowno, "处罚种类", label, "行政拘留只能由公安机关决定")
            else:
                ptypes.append(value)
        fines = {}
        for key, label in (("fine_min", "罚款下限"), ("fine_max", "罚款上限")):
            try:
                fines[key] = _money(v.get(key, ""))
            except (InvalidOperation, ValueError):
                report.add(rowno, label, v.get(key), "应为不小于0的金额（元）")
        if fines.get("fine_min") is not None and fines.get("fine_max") is not None and fines["fine_min"] > fines["fine_max"]:
            report.add(rowno, "罚款上限", v.get("fine_max"), "罚款上限低于下限")
        holder = self.depts.get(v["holder"].strip())
        if holder is None:
            report.add(rowno, "实施主体", v["holder"], "不是已登记的部门")
        team = None
        if v.get("team"):
            team = self.teams.get(v["team"].strip())
            if team is None:
                report.add(rowno, "承办队伍", v["team"], "不是已登记的执法队伍")
            elif holder is not None and team.department_id != holder.pk:
                report.add(rowno, "承办队伍", v["team"], f"该队伍不属于{holder.name}")
        supervising = None
        if v.get("supervising"):
            supervising = self.depts.get(v["supervising"].strip())
            if supervising is None:
                report.add(rowno, "业务主管部门", v["supervising"], "不是已登记的部门")
        towns = []
        for name in filter(None, SPLIT_RE.split(v.get("towns", ""))):
            if name in self.towns:
                towns.append(self.towns[name])
            else:
                report.add(rowno, "赋权镇街", name, "不是本县的乡镇(街道)")
        try:
            effective = _parse_date(v["effective_date"])
        except ValueError:
            report.add(rowno, "生效日期", v["effective_date"], "日期格式应为 YYYY-MM-DD")
            effective = None
        if len(report.errors) > n:
            return None
        tiers = []
        if fines.get("fine_min") is not None or fines.get("fine_max") is not None:
            tiers = [{"basis": FineBasis.FIXED.value, "min": str(fines.get("fine_min") or 0),
                      "max": str(fines["fine_max"]) if fines.get("fine_max") is not None else None, "text": "导入"}]
        item = EnforcementItem(code=code, name=v["name"].strip()[:300], item_type=item_type, domain=domain,
                               penalty_types=ptypes, fine_min=fines.get("fine_min"), fine_max=fines.get("fine_max"),
                               fine_tiers=tiers, supervising_department=supervising)
        return item, articles, holder, team, towns, effective

    def write(self, objects, *, actor):
        changes: dict[dt.date, CatalogueChange] = {}
        for item, articles, holder, team, towns, effective in objects:
            change = changes.get(effective)
            if change is None:
                change = changes[effective] = CatalogueChange.objects.create(
                    kind=ChangeKind.CREATE, effective_date=effective, actor=actor, reason="批量导入")
            item.save()
            ItemBasis.objects.bulk_create(ItemBasis(item=item, article=a) for a in dict.fromkeys(articles))
            ItemHolding.objects.create(item=item, department=holder, team=team, valid_from=effective, opened_by=change)
            ItemDelegation.objects.bulk_create(ItemDelegation(item=item, town=t, valid_from=effective,
                                                              publication="批量导入", opened_by=change) for t in towns)
        return len(objects), 0

    def export_rows(self):
        header = [f.header for f in self.fields]
        today = dt.date.today()
        labels = dict(PenaltyType.choices)
        types = dict(ItemType.choices)

        def rows():
            qs = EnforcementItem.objects.select_related("domain", "supervising_department").prefetch_related(
                "itembasis_set__article__law").order_by("code")
            for item in qs.iterator(chunk_size=500):
                holders = list(active_on(item.holdings.select_related("department", "team"), today))
                towns = [d.town.name for d in active_on(item.delegations.select_related("town"), today)]
                yield [item.code, item.name, str(types[item.item_type]), item.domain.name,
                       "；".join(f"《{b.article.law.short_title}》{b.article.label}" for b in item.itembasis_set.all()),
                       "、".join(str(labels.get(t, t)) for t in item.penalty_types),
                       item.fine_min, item.fine_max,
                       "；".join(h.department.name for h in holders), "；".join(h.team.name for h in holders if h.team),
                       item.supervising_department.name if item.supervising_department else "",
                       "、".join(towns), holders[0].valid_from.isoformat() if holders else ""]

        return header, rows()


@register
class BoundaryImporter(Importer):
    kind = "boundary"
    label = "职责边界清单"
    permission = "catalogue.manage"
    fields = [
        Field("code", "编号", True, ("序号编码",)),
        Field("matter", "事项", True, ("事项名称", "情形")),
        Field("criteria", "判定标准", True, ("职责边界", "划分标准")),
        Field("supervising", "监管部门", False, ("业务主管部门", "监管主体")),
        Field("penalising", "处罚部门", True, ("执法部门", "处罚主体")),
        Field("item_codes", "关联事项编码", False, ("事项编码",)),
        Field("keywords", "关键词", False, ()),
        Field("source_document", "来源文件", True, ("依据", "来源")),
        Field("source_date", "来源日期", True, ("日期",)),
    ]

    def prepare(self) -> None:
        self.depts = _departments()
        self.existing = set(BoundaryRule.objects.values_list("code", flat=True))
        self.seen: dict[str, int] = {}

    def validate(self, rowno, v, report):
        n = len(report.errors)
        code = v["code"].strip()
        if not code:
            report.add(rowno, "编号", "", "编号不能为空")
        elif code in self.seen:
            report.add(rowno, "编号", code, f"与第{self.seen[code]}行重复")
        elif code in self.existing:
            report.add(rowno, "编号", code, "系统中已有该编号")
        self.seen.setdefault(code, rowno)
        for key, label in (("matter", "事项"), ("criteria", "判定标准"), ("source_document", "来源文件")):
            if not v[key].strip():
                report.add(rowno, label, "", f"{label}不能为空")
        penal = self.depts.get(v["penalising"].strip())
        if penal is None:
            report.add(rowno, "处罚部门", v["penalising"], "不是已登记的部门")
        sup = None
        if v.get("supervising"):
            sup = self.depts.get(v["supervising"].strip())
            if sup is None:
                report.add(rowno, "监管部门", v["supervising"], "不是已登记的部门")
        try:
            date = _parse_date(v["source_date"])
        except ValueError:
            report.add(rowno, "来源日期", v["source_date"], "日期格式应为 YYYY-MM-DD")
            date = None
        if len(report.errors) > n:
            return None
        return BoundaryRule(code=code, matter=v["matter"].strip()[:200], criteria=v["criteria"].strip(),
                            supervising_department=sup, penalising_department=penal,
                            item_codes=list(filter(None, SPLIT_RE.split(v.get("item_codes", "")))),
                            keywords=list(filter(None, SPLIT_RE.split(v.get("keywords", "")))),
                            source_document=v["source_document"].strip()[:200], source_date=date)

    def write(self, objects, *, actor):
        BoundaryRule.objects.bulk_create(objects)
        return len(objects), 0

    def export_rows(self):
        header = [f.header for f in self.fields]

        def rows():
            for r in BoundaryRule.objects.select_related("supervising_department", "penalising_department"):
                yield [r.code, r.matter, r.criteria, r.supervising_department.name if r.supervising_department else "",
                       r.penalising_department.name, "、".join(r.item_codes), "、".join(r.keywords),
                       r.source_document, r.source_date.isoformat()]

        return header, rows()

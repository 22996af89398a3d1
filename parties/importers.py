"""Enterprise import/export. Real files name columns differently; the aliases cover the usual ones."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.importing import Field, Importer, register
from core.tabular import ImportReport
from core.validators import validate_enterprise_code
from org.choices import RegionLevel
from org.models import Region
from parties.models import Enterprise, RiskClass

KIND_BY_LABEL = {label: value for value, label in Enterprise.Kind.choices} | {
    "企业": "company", "公司": "company", "个体": "individual", "个体工商户": "individual", "其他组织": "other",
}


@register
class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = "企业/个体户"
    fields = [
        Field("code", "统一社会信用代码", True,
              ("注册号/统一社会信用代码", "统一社会信用代码/注册号", "信用代码", "社会信用代码", "注册号", "USCC")),
        Field("name", "企业名称", True, ("名称", "单位名称", "主体名称", "企业(机构)名称", "市场主体名称")),
        Field("kind", "主体类型", False, ("类型", "企业类型", "市场主体类型")),
        Field("legal_representative", "法定代表人", False, ("法定代表人/负责人", "负责人", "经营者", "法人")),
        Field("address", "地址", False, ("住所", "经营场所", "住所(经营场所)", "注册地址")),
        Field("industry", "行业", False, ("所属行业", "行业门类", "国民经济行业")),
        Field("registration_authority", "登记机关", False, ("发照机关",)),
        Field("town", "所属镇街", False, ("管辖单位", "所属乡镇", "乡镇(街道)", "镇街", "属地")),
        Field("risk_class", "信用风险分类", False, ("风险等级", "信用等级", "风险分类")),
        Field("lng", "经度", False, ("lng", "longitude")),
        Field("lat", "纬度", False, ("lat", "latitude")),
    ]

    def prepare(self) -> None:
        self.towns = {}
        for r in Region.objects.filter(level=RegionLevel.TOWNSHIP):
            self.towns[r.name] = r.pk
            self.towns[r.code] = r.pk
            for suffix in ("街道", "镇", "乡"):
                if r.name.endswith(suffix):
                    self.towns.setdefault(r.name[: -len(suffix)], r.pk)
            self.towns.setdefault(f"常山县{r.name}", r.pk)
        self.existing = {}
        for pk, uscc, legacy in Enterprise.objects.values_list("pk", "uscc", "legacy_reg_no"):
            if uscc:
                self.existing[uscc] = pk
            if legacy:
                self.existing[legacy] = pk
        self.seen: dict[str, int] = {}
        self.update_existing = bool(self.context.get("update_existing"))

    def validate(self, rowno: int, values: dict[str, str], report: ImportReport):
        errors_before = len(report.errors)
        try:
            code_kind, code = validate_enterprise_code(values["code"])
        except ValidationError as exc:
            report.add(rowno, "统一社会信用代码", values["code"], exc.messages[0])
            code_kind, code = None, None
        if code:
            if code in self.seen:
                report.add(rowno, "统一社会信用代码", code, f"与第{self.seen[code]}行重复")
            else:
                self.seen[code] = rowno
            if code in self.existing and not self.update_existing:
                report.add(rowno, "统一社会信用代码", code, "系统中已有该代码的企业（如需更新，请勾选“更新已有企业”）")
        name = values["name"].strip()
        if not name:
            report.add(rowno, "企业名称", "", "企业名称不能为空")
        elif len(name) > 200:
            report.add(rowno, "企业名称", name, "企业名称超过200字")
        kind = "company"
        if values.get("kind"):
            kind = KIND_BY_LABEL.get(values["kind"].strip())
            if kind is None:
                report.add(rowno, "主体类型", values["kind"], "主体类型应为 企业、个体工商户 或 其他组织")
        town_id = None
        if values.get("town"):
            town_id = self.towns.get(values["town"].strip())
            if town_id is None:
                report.add(rowno, "所属镇街", values["town"], "不是本县的乡镇(街道)名称或代码")
        risk = (values.get("risk_class") or "B").strip().upper()[:1]
        if risk not in RiskClass.values:
            report.add(rowno, "信用风险分类", values.get("risk_class"), "应为 A、B、C 或 D")
        coords = {}
        for key, label, lo, hi in (("lng", "经度", 73.0, 136.0), ("lat", "纬度", 3.0, 54.0)):
            raw = (values.get(key) or "").strip()
            if raw:
                try:
                    v = float(raw)
                    if not lo <= v <= hi:
                        raise ValueError
                    coords[key] = v
                except ValueError:
                    report.add(rowno, label, raw, f"{label}应为{lo}到{hi}之间的数字")
        if len(report.errors) > errors_before:
            return None
        return Enterprise(
            pk=self.existing.get(code) if self.update_existing else None,
            uscc=code if code_kind == "uscc" else "", legacy_reg_no=code if code_kind == "legacy" else "",
            name=name, kind=kind, legal_representative=values.get("legal_representative", "")[:50],
            address=values.get("address", "")[:300], industry=values.get("industry", "")[:100],
            registration_authority=values.get("registration_authority", "")[:100], town_id=town_id,
            risk_class=risk, synthetic=bool(self.context.get("synthetic")), **coords,
        )

    def write(self, objects: list, *, actor) -> tuple[int, int]:
        new = [o for o in objects if o.pk is None]
        old = [o for o in objects if o.pk is not None]
        Enterprise.objects.bulk_create(new, batch_size=2000)
        if old:
            Enterprise.objects.bulk_update(old, ["name", "kind", "legal_representative", "address", "industry",
                                                 "registration_authority", "town", "risk_class", "lng", "lat"],
                                           batch_size=2000)
        return len(new), len(old)

    def export_rows(self):
        header = [f.header for f in self.fields]
        labels = dict(Enterprise.Kind.choices)

        def rows():
            for e in Enterprise.objects.select_related("town").order_by("pk").iterator(chunk_size=2000):
                yield [e.code, e.name, str(labels[e.kind]), e.legal_representative, e.address, e.industry,
                       e.registration_authority, e.town.name if e.town else "", e.risk_class, e.lng, e.lat]

        return header, rows()

"""Officer import/export."""

from __future__ import annotations

import datetime as dt
import re

from catalogue.models import Domain
from core.importing import Field, Importer, register
from org.choices import RegionLevel
from org.models import Officer, Region, Team

YES = {"是", "Y", "y", "yes", "1", "true", "辅助", "辅助人员"}


def _date(raw: str):
    raw = raw.strip().replace("/", "-").replace(".", "-")
    m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", raw)
    if m:
        raw = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    return dt.date.fromisoformat(raw)


@register
class OfficerImporter(Importer):
    kind = "officers"
    label = "执法人员"
    permission = "org.manage"
    fields = [
        Field("staff_no", "工号", True, ("人员编号",)),
        Field("name", "姓名", True, ()),
        Field("team", "所属队伍", True, ("队伍", "执法队伍", "单位")),
        Field("auxiliary", "辅助人员", False, ("是否辅助人员", "人员类别")),
        Field("certificate_no", "执法证号", False, ("执法证件号", "证件号码")),
        Field("certificate_scope", "执法范围", False, ("执法区域/范围",)),
        Field("certificate_issued", "发证日期", False, ()),
        Field("certificate_expiry", "证件有效期至", False, ("有效期至", "有效期")),
        Field("stationed_town", "派驻镇街", False, ("派驻",)),
        Field("competences", "业务领域", False, ("擅长领域",)),
    ]

    def prepare(self):
        self.teams = {t.name: t for t in Team.objects.all()}
        self.towns = {r.name: r for r in Region.objects.filter(level=RegionLevel.TOWNSHIP)}
        self.domains = {d.name: d for d in Domain.objects.all()}
        self.existing_staff = set(Officer.objects.values_list("staff_no", flat=True))
        self.existing_certs = set(Officer.objects.exclude(certificate_no="").values_list("certificate_no", flat=True))
        self.seen_staff: dict[str, int] = {}
        self.seen_cert: dict[str, int] = {}

    def validate(self, rowno, v, report):
        n = len(report.errors)
        staff = v["staff_no"].strip()
        if not staff:
            report.add(rowno, "工号", "", "工号不能为空")
        elif staff in self.seen_staff:
            report.add(rowno, "工号", staff, f"与第{self.seen_staff[staff]}行重复")
        elif staff in self.existing_staff:
            report.add(rowno, "工号", staff, "系统中已有该工号")
        self.seen_staff.setdefault(staff, rowno)
        if not v["name"].strip():
            report.add(rowno, "姓名", "", "姓名不能为空")
        team = self.teams.get(v["team"].strip())
        if team is None:
            report.add(rowno, "所属队伍", v["team"], "不是已登记的执法队伍")
        aux = v.get("auxiliary", "").strip() in YES
        cert = v.get("certificate_no", "").strip()
        if aux and cert:
            report.add(rowno, "执法证号", cert, "辅助人员不得持有执法证（ZJ-030）")
        if not aux and not cert:
            report.add(rowno, "执法证号", "", "执法人员须填写执法证号；辅助人员请在“辅助人员”列填“是”")
        if cert:
            if cert in self.seen_cert:
                report.add(rowno, "执法证号", cert, f"与第{self.seen_cert[cert]}行重复")
            elif cert in self.existing_certs:
                report.add(rowno, "执法证号", cert, "系统中已有该执法证号")
            self.seen_cert.setdefault(cert, rowno)
        dates = {}
        for key, label in (("certificate_issued", "发证日期"), ("certificate_expiry", "证件有效期至")):
            raw = v.get(key, "").strip()
            if raw:
                try:
                    dates[key] = _date(raw)
                except ValueError:
                    report.add(rowno, label, raw, "日期格式应为 YYYY-MM-DD")
        if cert and "certificate_expiry" not in dates and not any(e.row == rowno and e.column == "证件有效期至"
                                                                  for e in report.errors):
            report.add(rowno, "证件有效期至", "", "持证人员须填写证件有效期")
        town = None
        if v.get("stationed_town"):
            town = self.towns.get(v["stationed_town"].strip())
            if town is None:
                report.add(rowno, "派驻镇街", v["stationed_town"], "不是本县的乡镇(街道)")
        comps = []
        for name in filter(None, re.split(r"[、，,；;\s]+", v.get("competences", ""))):
            if name in self.domains:
                comps.append(self.domains[name])
            else:
                report.add(rowno, "业务领域", name, "不是已登记的执法领域")
        if len(report.errors) > n:
            return None
        return Officer(staff_no=staff, name=v["name"].strip(), team=team, is_auxiliary=aux, certificate_no=cert,
                       certificate_scope=v.get("certificate_scope", "")[:200], stationed_town=town, **dates), comps

    def write(self, objects, *, actor):
        for officer, comps in objects:
            officer.save()
            if comps:
                officer.competences.set(comps)
        return len(objects), 0

    def export_rows(self):
        header = [f.header for f in self.fields]

        def rows():
            for o in Officer.objects.select_related("team", "stationed_town").prefetch_related("competences"):
                yield [o.staff_no, o.name, o.team.name, "是" if o.is_auxiliary else "否", o.certificate_no,
                       o.certificate_scope, o.certificate_issued.isoformat() if o.certificate_issued else "",
                       o.certificate_expiry.isoformat() if o.certificate_expiry else "",
                       o.stationed_town.name if o.stationed_town else "",
                       "、".join(c.name for c in o.competences.all())]

        return header, rows()

"""Load the 常山县 demo: real divisions, outline and laws; a demo organisation; the catalogue built
from the laws through the candidate review step; synthetic officers, enterprises and persons."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from catalogue import services as cat
from catalogue.models import ClauseCandidate, Domain, EnforcementItem
from catalogue.selectors import active_on
from core.importing import get_importer, run_import
from core.validators import USCC_CHARSET, id_check_char, uscc_check_char
from demo import data as D
from org import services as org
from org.choices import RegionLevel, Role, TeamKind
from org.models import Department, Officer, Region, Team, User
from parties import services as parties

CATALOGUE_START = dt.date(2021, 7, 1)
TRANSFER_DATE = dt.date(2022, 1, 1)
TOWN_DELEGATION_DATE = dt.date(2022, 1, 1)
TOWN_LIST_CHANGE_DATE = dt.date(2024, 7, 1)


def is_loaded() -> bool:
    return Department.objects.filter(code="ZF").exists()


class DemoLoader:
    def __init__(self, *, password: str, enterprises: int = 3200, events: int = 1500, seed: int = 20211125,
                 out=None):
        self.event_count = events
        self.password = password
        self.enterprise_count = enterprises
        self.rng = random.Random(seed)
        self.out = out
        self.depts: dict[str, Department] = {}
        self.teams: dict[str, Team] = {}
        self.domains: dict[str, Domain] = {}

    def log(self, msg: str) -> None:
        if self.out:
            self.out.write(msg)

    # ------------------------------------------------------------------ organisation
    def load(self) -> None:
        self.admin = org.user_create(actor=None, username="admin", password=self.password, role=Role.ADMIN,
                                     display_name="系统管理员", is_staff=True, is_superuser=True)
        data_dir = Path(settings.OPENENFORCE_DATA_DIR) / "regions"
        org.regions_load(actor=self.admin, divisions_csv=data_dir / "changshan_divisions.csv",
                         county_outline=data_dir / "changshan_county_outline.geojson",
                         town_areas=data_dir / "changshan_towns_approx.geojson")
        self.county = Region.objects.get(code="330822")
        self.towns = {r.code: r for r in Region.objects.filter(level=RegionLevel.TOWNSHIP)}
        self.log(f"regions: {Region.objects.count()} ({len(self.towns)} towns)")
        self.load_departments()
        self.load_teams()
        self.load_domains()
        self.load_catalogue()
        self.load_boundaries()
        self.load_officers()
        self.load_users()
        self.load_enterprises()
        self.load_persons()
        self.load_events()

    def load_events(self) -> None:
        import datetime as _dt

        from demo.events import EventReplay, load_categories

        load_categories(actor=self.admin, domains=self.domains, departments=self.depts)
        if self.event_count:
            EventReplay(loader=self, count=self.event_count, today=_dt.date.today(), out=self.out).run()
        from demo.cases import CaseReplay

        CaseReplay(today=_dt.date.today(), out=self.out).run()
        from cases.services import credit_sweep, payments_overdue_sweep
        from demo.events import fortnight_start, sweep_as_it_ran

        # The worker's sweep over the cases too, as it would have run through their history: the parties'
        # periods that ran out are 期间届满, the administration's late duties are 督办 (idempotent with the passes
        # at the end of the events); then fines unpaid past their period are 逾期未履行 and final decisions are
        # pushed to credit, as the worker would.
        today = _dt.date.today()
        counts = sweep_as_it_ran(now=timezone.now(), read_before=fortnight_start(today))
        counts["payments_overdue"] = payments_overdue_sweep()
        counts["credit_pushed"] = credit_sweep()
        if self.out:
            self.out.write(f"deadline sweep after the cases: {counts}")

    def load_departments(self) -> None:
        for code, name, short, kind, prefix in D.DEPARTMENTS:
            region = self.county if code != "QZ_GOV" else self.county.parent
            self.depts[code] = org.department_create(actor=self.admin, code=code, name=name, short_name=short,
                                                     kind=kind, region=region, doc_prefix=prefix)
        gov, city_gov = self.depts["GOV"], self.depts["QZ_GOV"]
        for town in self.towns.values():
            suffix = "办事处" if town.name.endswith("街道") else "人民政府"
            self.depts[f"TOWN-{town.code}"] = org.department_create(
                actor=self.admin, code=f"TOWN-{town.code}", name=f"常山县{town.name}{suffix}", short_name=town.name,
                kind="town", region=town, doc_prefix=f"常{town.name[:2]}综执罚", reconsideration_body=gov)
        # FY-024: the county government hears cases against its departments and towns; the 生态环境
        # 分局 acts for the city bureau, so the city government (UNVERIFIED for the local set-up).
        Department.objects.filter(kind__in=["bureau", "department", "guidance"]).exclude(code="STHJ").update(
            reconsideration_body=gov)
        Department.objects.filter(code="STHJ").update(reconsideration_body=city_gov)
        self.log(f"departments: {Department.objects.count()}")

    def load_teams(self) -> None:
        self.teams["T-ZF"] = org.team_create(actor=self.admin, code="T-ZF", name="常山县综合行政执法队",
                                             kind=TeamKind.COUNTY, department=self.depts["ZF"])
        for code, name, dept, _domains in D.PROFESSIONAL_TEAMS:
            self.teams[code] = org.team_create(actor=self.admin, code=code, name=name, kind=TeamKind.PROFESSIONAL,
                                               department=self.depts[dept])
        for code, name, town_codes in D.DISTRICTS:
            towns = [self.towns[c] for c in town_codes]
            district = org.district_create(actor=self.admin, code=code, name=name, county=self.county, towns=towns,
                                           note="演示分组（示意），非官方片区划分")
            lead = self.depts[f"TOWN-{town_codes[0]}"]
            self.teams[f"T-{code}"] = org.team_create(
                actor=self.admin, code=f"T-{code}", name=f"{name}综合行政执法队", kind=TeamKind.TOWN,
                department=lead, district=district, towns=towns)
        self.log(f"teams: {Team.objects.count()}")

    def load_domains(self) -> None:
        for code, name in D.DOMAINS:
            self.domains[code] = cat.domain_create(actor=self.admin, code=code, name=name)

    # ------------------------------------------------------------------ catalogue
    def _holder_for(self, law: str, cand: ClauseCandidate):
        domain_code, dept, team, sup = D.LAW_PLAN[law]
        text = cand.violation + cand.penalty_text[:200]
        if any(m in cand.department_named for m in D.POLICE_MARKERS):
            return domain_code, "GA", None, sup
        if dept == "STHJ" and any(k in text for k in D.BUREAU_KEYWORDS_IN_ENV):
            return domain_code, "ZF", "T-ZF", "STHJ"
        return domain_code, dept, team, sup

    def _reject_reason(self, law: str, cand: ClauseCandidate) -> str | None:
        if law in D.LAWS_TO_REJECT:
            return D.LAWS_TO_REJECT[law]
        for marker, reason in D.REJECT_DEPARTMENT_MARKERS.items():
            if marker in cand.department_named:
                return reason
        if law not in D.LAW_PLAN:
            return "本县目录未规划该法规"
        return None

    def load_catalogue(self) -> None:
        laws = cat.law_import_dir(actor=self.admin, directory=Path(settings.OPENENFORCE_DATA_DIR) / "laws",
                                  source="LawRefBook/Laws@2f4c5c23716267af9dbebbbbd6cbbf732b101981")
        self.log(f"laws: {len(laws)}, articles: {sum(law.articles.count() for law in laws)}")
        guidance = User.objects.filter(role=Role.GUIDANCE).first() or self.admin
        for law in laws:
            plan = D.LAW_PLAN.get(law.short_title)
            cat.candidates_generate(actor=guidance, law=law, domain=self.domains[plan[0]] if plan else None)
        accepted = rejected = 0
        for cand in ClauseCandidate.objects.select_related("article__law").order_by("article__law__short_title",
                                                                                      "article__number", "seq"):
            law = cand.article.law.short_title
            if law in D.LEAVE_PENDING_LAWS:
                continue
            reason = self._reject_reason(law, cand)
            if reason:
                cat.candidate_reject(actor=guidance, candidate=cand, reason=reason)
                rejected += 1
                continue
            domain_code, dept, team, sup = self._holder_for(law, cand)
            first_holder = "WG" if law == "娱乐场所管理条例" and dept == "ZF" else dept
            item = cat.candidate_accept(
                actor=guidance, candidate=cand, domain=self.domains[domain_code], holder=self.depts[first_holder],
                holder_team=self.teams.get(team) if first_holder == dept else None, effective_date=CATALOGUE_START,
                supervising_department=self.depts[sup], original_department=self.depts[sup],
                note="演示数据：按本县目录规划批量审核",
            )
            accepted += 1
            if first_holder != dept:
                cat.item_transfer(actor=guidance, item=item, to_department=self.depts[dept],
                                  to_team=self.teams.get(team), effective_date=TRANSFER_DATE,
                                  document_no="常政办发〔2021〕（演示）文化市场执法事项划转",
                                  reason="文化市场行政处罚事项划转至综合行政执法部门")
        self.log(f"candidates: accepted {accepted}, rejected {rejected}, "
                 f"pending {ClauseCandidate.objects.filter(status='pending').count()}")
        self.load_delegations(guidance)
        self.load_discretion(guidance)

    def load_discretion(self, actor) -> None:
        """Demo 裁量基准 (XF-034) for some items with a stated fine range: three bands splitting the range.
        NOT the county's published standard; document number marked 演示."""
        from decimal import Decimal

        items = EnforcementItem.objects.filter(domain__code__in=["01", "02", "03", "07"], fine_max__isnull=False,
                                               fine_max__gt=0).order_by("code")[:40]
        for item in items:
            lo, hi = item.fine_min or Decimal(0), item.fine_max
            a, b = (lo + (hi - lo) * Decimal("0.3")).quantize(Decimal(1)), (lo + (hi - lo) * Decimal("0.7")).quantize(Decimal(1))
            cat.discretion_publish(actor=actor, item=item, effective_from=TOWN_DELEGATION_DATE,
                                   document_no="常山县行政处罚裁量基准（演示）", bands=[
                                       {"level": "从轻", "circumstances": "首次违法、及时改正、危害较小", "fine_min": lo, "fine_max": a},
                                       {"level": "一般", "circumstances": "一般情形", "fine_min": a, "fine_max": b},
                                       {"level": "从重", "circumstances": "拒不改正、多次违法或者造成较大影响", "fine_min": b, "fine_max": hi},
                                   ])

    def load_delegations(self, actor) -> None:
        all_towns = list(self.towns.values())
        rural = [t for t in all_towns if not t.name.endswith("街道")]
        zf = self.depts["ZF"]
        delegated = 0
        for item in EnforcementItem.objects.select_related("domain").order_by("code"):
            holders = list(active_on(item.holdings.all(), TOWN_DELEGATION_DATE))
            if not any(h.department_id == zf.pk for h in holders):
                continue
            if item.domain.code in D.TOWN_DOMAINS_ALL:
                towns = all_towns
            elif item.domain.code in D.TOWN_DOMAINS_RURAL:
                towns = rural
            else:
                continue
            cat.item_set_towns(actor=actor, item=item, towns=towns, effective_date=TOWN_DELEGATION_DATE,
                               document_no=D.DEMO_TOWN_DOC, reason="赋权镇街（高频、易发现、易处置）")
            delegated += 1
            if item.domain.code == "08":
                cat.item_set_towns(actor=actor, item=item, towns=rural, effective_date=TOWN_LIST_CHANGE_DATE,
                                   document_no=D.DEMO_TOWN_DOC + "（2024年调整）",
                                   reason="街道土地执法事项收回县综合行政执法局")
        self.log(f"items delegated to towns: {delegated}")

    def load_boundaries(self) -> None:
        items = list(EnforcementItem.objects.values_list("code", "name"))
        for i, (matter, criteria, sup, pen, item_words, keywords) in enumerate(D.BOUNDARY_ROWS, start=1):
            codes = [c for c, n in items if any(w in n for w in item_words)][:6]
            codes += D.UNKNOWN_ITEM_CODES.get(matter, [])
            cat.boundary_rule_add(actor=self.admin, code=f"ZZBJ-{i:04d}", matter=matter, criteria=criteria,
                                  penalising_department=self.depts[pen], supervising_department=self.depts[sup],
                                  source_document="常山县职责边界清单（演示）" if i > 3 else
                                  "常山县职责边界清单（演示；情形取自改革报道中的山林偷倒案例）",
                                  source_date=dt.date(2021, 11, 1), item_codes=codes, keywords=keywords)

    # ------------------------------------------------------------------ people
    def name(self) -> str:
        given = self.rng.choice(D.GIVEN) + (self.rng.choice(D.GIVEN) if self.rng.random() < 0.7 else "")
        return self.rng.choice(D.SURNAMES) + given

    def load_officers(self) -> None:
        self.cert_seq = 0
        today = dt.date.today()
        domains_by_name = {d.name: d for d in self.domains.values()}
        town_list = list(self.towns.values())

        def add(team: Team, *, aux=False, stationed=None, competences=(), expired=False):
            self.cert_seq += 1
            staff_no = f"CS{self.cert_seq:05d}"
            fields = {"name": self.name(), "staff_no": staff_no, "team": team, "is_auxiliary": aux,
                      "stationed_town": stationed}
            if not aux:
                expiry = (today - dt.timedelta(days=self.rng.randint(5, 200)) if expired
                          else today + dt.timedelta(days=self.rng.randint(120, 1500)))
                fields |= {"certificate_no": f"33082221{self.cert_seq:05d}", "certificate_scope": f"{team.department.short_name}执法事项",
                           "certificate_issued": expiry - dt.timedelta(days=365 * 5), "certificate_expiry": expiry,
                           "phone": f"139{self.rng.randint(10**7, 10**8 - 1)}"}
            return org.officer_create(actor=self.admin, competences=competences, **fields)

        bureau = self.teams["T-ZF"]
        bureau_domains = [d for c, d in self.domains.items() if c in {"01", "02", "03", "04", "05", "06", "07", "08",
                                                                      "10", "11", "12", "13", "14", "18", "19", "20", "26"}]
        for i in range(212):
            stationed = town_list[i % len(town_list)] if i < 64 else None
            add(bureau, stationed=stationed, competences=self.rng.sample(bureau_domains, 3), expired=(i % 70 == 69))
        for i in range(30):
            add(bureau, aux=True, stationed=town_list[i % len(town_list)])
        for code, _name, _dept, doms in D.PROFESSIONAL_TEAMS:
            for i in range(self.rng.randint(14, 22)):
                add(self.teams[code], competences=[domains_by_name[d] for d in doms], expired=(i == 13))
            for _ in range(3):
                add(self.teams[code], aux=True)
        for code, _name, towns in D.DISTRICTS:
            team = self.teams[f"T-{code}"]
            own = 20 if code == "PQ3" else self.rng.randint(6, 10)
            for i in range(own):
                add(team, stationed=self.towns[towns[i % 2]],
                    competences=[self.domains["01"], self.domains["02"], self.domains["03"]])
            for i in range(4):
                add(team, aux=True, stationed=self.towns[towns[i % 2]])
        self.log(f"officers: {Officer.objects.filter(is_auxiliary=False).count()} certified, "
                 f"{Officer.objects.filter(is_auxiliary=True).count()} auxiliary")

    def load_users(self) -> None:
        tianma = self.towns["330822001"]
        huibu = self.towns["330822115"]
        specs = [
            ("zhihui", "指挥中心 周值班", Role.OPERATOR, {"department": self.depts["ZDB"]}),
            ("zhidaoban", "指导办 叶主任", Role.GUIDANCE, {"department": self.depts["ZDB"]}),
            ("zfj_officer", "县综合执法局 洪队员", Role.BUREAU_OFFICER, {"department": self.depts["ZF"],
                                                                  "team": self.teams["T-ZF"]}),
            ("scjg_officer", "市场监管执法队 李队员", Role.PRO_OFFICER, {"department": self.depts["SCJG"],
                                                                   "team": self.teams["T-SCJG"]}),
            ("tianma_officer", "天马片区执法队 徐队员", Role.TOWN_OFFICER,
             {"team": self.teams["T-PQ1"], "town": tianma, "department": self.depts["TOWN-330822001"]}),
            ("huibu_officer", "辉埠片区执法队 王队员", Role.TOWN_OFFICER,
             {"team": self.teams["T-PQ3"], "town": huibu, "department": self.depts["TOWN-330822115"]}),
            ("wangge_tianma", "天马街道网格员 陈网格", Role.GRID_WORKER, {"town": tianma}),
            ("scjg_supervisor", "县市场监管局 监管科", Role.DEPT_SUPERVISOR, {"department": self.depts["SCJG"]}),
            ("zj_supervisor", "县住建局 监管科", Role.DEPT_SUPERVISOR, {"department": self.depts["ZJ"]}),
            ("fazhi", "法制审核 吴审核", Role.LEGAL_REVIEWER, {"department": self.depts["ZF"]}),
            ("zfj_head", "县综合执法局 郑局长", Role.AGENCY_HEAD, {"department": self.depts["ZF"]}),
            # every body whose officers run general-procedure cases has a head to approve and decide them
            ("scjg_head", "县市场监管局 钱局长", Role.AGENCY_HEAD, {"department": self.depts["SCJG"]}),
            ("tianma_head", "天马街道办事处 孙主任", Role.AGENCY_HEAD, {"department": self.depts["TOWN-330822001"]}),
            ("huibu_head", "辉埠镇人民政府 赵镇长", Role.AGENCY_HEAD, {"department": self.depts["TOWN-330822115"]}),
            ("lingdao", "县领导 潘书记", Role.LEADER, {}),
            ("citizen", "群众 张先生", Role.CITIZEN, {}),
        ]
        for username, display, role, extra in specs:
            user = org.user_create(actor=self.admin, username=username, password=self.password, role=role,
                                   display_name=display, **extra)
            team = extra.get("team")
            if role in (Role.BUREAU_OFFICER, Role.PRO_OFFICER, Role.TOWN_OFFICER) and team is not None:
                officer = Officer.objects.filter(team=team, user__isnull=True, is_auxiliary=False,
                                                 certificate_expiry__gt=dt.date.today()).order_by("staff_no").first()
                Officer.objects.filter(pk=officer.pk).update(user=user, name=display.split()[-1])
            if role == Role.LEGAL_REVIEWER:
                officer = Officer.objects.filter(team=self.teams["T-ZF"], user__isnull=True, is_auxiliary=False,
                                                 certificate_expiry__gt=dt.date.today()).order_by("-staff_no").first()
                Officer.objects.filter(pk=officer.pk).update(user=user, legal_qualification_no="A20173308220001",
                                                             name=display.split()[-1])

    # ------------------------------------------------------------------ parties
    def uscc(self) -> str:
        org_code = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY"[:10 + 10]) for _ in range(8))
        weights = [3, 7, 9, 10, 5, 8, 4, 2]
        total = sum(int(c, 36) * w for c, w in zip(org_code, weights, strict=True))
        c9 = 11 - total % 11
        org_code += {10: "X", 11: "0"}.get(c9, str(c9))
        body = "91330822" + org_code
        body = "".join(ch if ch in USCC_CHARSET else "0" for ch in body)
        return body + uscc_check_char(body)

    def point_in(self, town: Region) -> tuple[float, float]:
        """A random point inside the town's approximate area and the real county outline."""
        if not hasattr(self, "_county_shape"):
            self._county_shape = shape(Region.objects.get(code="330822").boundary)
        geom = shape(town.boundary).intersection(self._county_shape).buffer(-0.0003)
        minx, miny, maxx, maxy = geom.bounds
        for _ in range(200):
            p = Point(self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy))
            if geom.contains(p):
                return round(p.x, 6), round(p.y, 6)
        c = geom.representative_point()
        return c.x, c.y

    def load_enterprises(self) -> None:
        towns = list(self.towns.values())
        weights = [4 if t.name.endswith("街道") else (3 if t.code == "330822115" else 1.5) for t in towns]
        industries = [(i, s) for i, s, _w in D.INDUSTRIES]
        ind_weights = [w for _i, _s, w in D.INDUSTRIES]
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["统一社会信用代码", "企业名称", "主体类型", "法定代表人", "地址", "行业", "登记机关", "所属镇街",
                         "信用风险分类", "经度", "纬度"])
        seen = set()
        for n in range(self.enterprise_count):
            town = self.rng.choices(towns, weights)[0]
            industry, suffix = self.rng.choices(industries, ind_weights)[0]
            individual = suffix in ("餐饮店", "商行", "理发店", "汽车修理厂") and self.rng.random() < 0.8
            word = "".join(self.rng.sample(D.SHOP_WORDS, 2))
            name = f"常山县{town.name[:2]}{word}{suffix}" if individual else f"常山{word}{suffix}"
            name = f"{name}（{n + 1}号）" if name in seen else name
            seen.add(name)
            code = self.uscc()
            while code in seen:
                code = self.uscc()
            seen.add(code)
            lng, lat = self.point_in(town)
            risk = self.rng.choices("ABCD", [20, 55, 18, 7])[0]
            writer.writerow([code, name, "个体工商户" if individual else "企业", self.name(),
                             f"浙江省衢州市常山县{town.name}{self.rng.randint(1, 300)}号", industry,
                             "常山县市场监督管理局", town.name, risk, lng, lat])
        importer = get_importer("enterprises", synthetic=True)
        report = run_import(importer, actor=self.admin, data=buf.getvalue().encode("utf-8"),
                            filename="demo_enterprises_synthetic.csv")
        if not report.ok:
            raise RuntimeError(f"demo enterprise import failed: {report.fatal} {report.errors[:3]}")
        self.log(f"enterprises (synthetic): {report.created} in {report.seconds:.1f}s")

    def load_persons(self) -> None:
        towns = list(self.towns.values())
        for _ in range(60):
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randint(0, 365 * 55))
            body = f"330822{birth:%Y%m%d}{self.rng.randint(0, 999):03d}"
            town = self.rng.choice(towns)
            try:
                parties.person_create(actor=self.admin, name=self.name(), id_number=body + id_check_char(body),
                                      town=town, address=f"常山县{town.name}{self.rng.randint(1, 99)}号",
                                      phone=f"138{self.rng.randint(10**7, 10**8 - 1)}", synthetic=True)
            except Exception:  # a duplicate random number: skip it
                continue


def load_demo(*, password: str, enterprises: int = 3200, events: int = 1500, out=None) -> bool:
    if is_loaded():
        return False
    with transaction.atomic():
        DemoLoader(password=password, enterprises=enterprises, events=events, out=out).load()
    return True

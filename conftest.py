"""Personas and a small county, in one place (house style §14).

``world`` builds: 常山县 with two towns (天马街道, 辉埠镇) in two districts, the county bureau,
the market-regulation department with its professional team, the housing department, two town teams,
two domains, three items (one delegated to 天马街道 only), and one user per persona:
``w.guidance``, ``w.operator``, ``w.bureau_officer``, ``w.scjg_officer``, ``w.tianma_officer``,
``w.huibu_officer``, ``w.grid_tianma``, ``w.scjg_supervisor``, ``w.legal_reviewer``, ``w.leader``,
``w.citizen``, ``w.admin``.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from catalogue.models import (
    Article,
    CatalogueChange,
    Domain,
    EnforcementItem,
    ItemBasis,
    ItemDelegation,
    ItemHolding,
    Law,
)
from org.choices import DepartmentKind, RegionLevel, Role, TeamKind
from org.models import Department, District, Officer, Region, Team, User

PASSWORD = "test-pass-123"
SQUARE = {"type": "Polygon", "coordinates": [[[118.0, 28.0], [119.0, 28.0], [119.0, 29.5], [118.0, 29.5], [118.0, 28.0]]]}
WEST = {"type": "Polygon", "coordinates": [[[118.0, 28.0], [118.5, 28.0], [118.5, 29.5], [118.0, 29.5], [118.0, 28.0]]]}
EAST = {"type": "Polygon", "coordinates": [[[118.5, 28.0], [119.0, 28.0], [119.0, 29.5], [118.5, 29.5], [118.5, 28.0]]]}


@pytest.fixture(autouse=True)
def _records_language_between_tests():
    """Each test starts in the default language: a page requested in English activates English for the
    thread (Django's LocaleMiddleware does not deactivate), which would leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings, tmp_path):
    from core.config import clear_cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # no routing model unless a test trains one: the demo's var/models/routing.joblib in a working checkout
    # would otherwise decide categories in tests that a clean clone (CI) runs without it
    settings.OPENENFORCE_ROUTING_MODEL = tmp_path / "routing.joblib"
    clear_cache()  # configuration rows differ per test database state
    yield
    clear_cache()


def make_user(username, role, **extra) -> User:
    user = User(username=username, role=role, display_name=username, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def world(db):
    from org import geo

    geo.clear_cache()
    w = SimpleNamespace()
    w.province = Region.objects.create(code="33", name="浙江省", level=RegionLevel.PROVINCE)
    w.city = Region.objects.create(code="3308", name="衢州市", level=RegionLevel.CITY, parent=w.province)
    w.county = Region.objects.create(code="330822", name="常山县", level=RegionLevel.COUNTY, parent=w.city,
                                     boundary=SQUARE)
    w.tianma = Region.objects.create(code="330822001", name="天马街道", level=RegionLevel.TOWNSHIP, parent=w.county,
                                     township_type="街道", boundary=EAST, boundary_approximate=True)
    w.huibu = Region.objects.create(code="330822115", name="辉埠镇", level=RegionLevel.TOWNSHIP, parent=w.county,
                                    township_type="镇", boundary=WEST, boundary_approximate=True)
    w.d1 = District.objects.create(code="PQ1", name="天马片区", county=w.county)
    w.d3 = District.objects.create(code="PQ3", name="辉埠片区", county=w.county)
    Region.objects.filter(pk=w.tianma.pk).update(district=w.d1)
    Region.objects.filter(pk=w.huibu.pk).update(district=w.d3)
    w.gov = Department.objects.create(code="GOV", name="常山县人民政府", short_name="县政府",
                                      kind=DepartmentKind.GOVERNMENT, region=w.county)
    w.guidance_office = Department.objects.create(code="ZDB", name="常山县综合行政执法指导办公室", short_name="指导办",
                                                  kind=DepartmentKind.GUIDANCE_OFFICE, region=w.county)
    w.zf = Department.objects.create(code="ZF", name="常山县综合行政执法局", short_name="县综合执法局",
                                     kind=DepartmentKind.COMPREHENSIVE_BUREAU, region=w.county, doc_prefix="常综执罚",
                                     reconsideration_body=w.gov)
    w.scjg = Department.objects.create(code="SCJG", name="常山县市场监督管理局", short_name="县市场监管局",
                                       kind=DepartmentKind.LINE_DEPARTMENT, region=w.county, doc_prefix="常市监罚",
                                       reconsideration_body=w.gov)
    w.zj = Department.objects.create(code="ZJ", name="常山县住房和城乡建设局", short_name="县住建局",
                                     kind=DepartmentKind.LINE_DEPARTMENT, region=w.county, reconsideration_body=w.gov)
    w.tianma_gov = Department.objects.create(code="TOWN-330822001", name="常山县天马街道办事处", short_name="天马街道",
                                             kind=DepartmentKind.TOWN_GOVERNMENT, region=w.tianma,
                                             doc_prefix="常天马综执罚", reconsideration_body=w.gov)
    w.huibu_gov = Department.objects.create(code="TOWN-330822115", name="常山县辉埠镇人民政府", short_name="辉埠镇",
                                            kind=DepartmentKind.TOWN_GOVERNMENT, region=w.huibu,
                                            doc_prefix="常辉埠综执罚", reconsideration_body=w.gov)
    w.bureau_team = Team.objects.create(code="T-ZF", name="常山县综合行政执法队", kind=TeamKind.COUNTY, department=w.zf)
    w.scjg_team = Team.objects.create(code="T-SCJG", name="常山县市场监管综合行政执法队", kind=TeamKind.PROFESSIONAL,
                                      department=w.scjg)
    w.tianma_team = Team.objects.create(code="T-PQ1", name="天马片区综合行政执法队", kind=TeamKind.TOWN,
                                        department=w.tianma_gov, district=w.d1)
    w.tianma_team.towns.set([w.tianma])
    w.huibu_team = Team.objects.create(code="T-PQ3", name="辉埠片区综合行政执法队", kind=TeamKind.TOWN,
                                       department=w.huibu_gov, district=w.d3)
    w.huibu_team.towns.set([w.huibu])
    w.dom_city = Domain.objects.create(code="01", name="市容环卫")
    w.dom_food = Domain.objects.create(code="16", name="食品安全")
    w.law = Law.objects.create(title="城市市容和环境卫生管理条例", short_title="城市市容和环境卫生管理条例",
                               level="regulation", version_date=dt.date(2017, 3, 1), effective_from=dt.date(2017, 3, 1),
                               source_file="test-law.md")
    w.article = Article.objects.create(law=w.law, number=34, label="第三十四条", text="有下列行为之一者……可以并处警告、罚款")
    change = CatalogueChange.objects.create(kind="create", effective_date=dt.date(2021, 7, 1))
    w.item_litter = EnforcementItem.objects.create(code="330822010001", name="乱扔果皮纸屑", domain=w.dom_city,
                                                   penalty_types=["warning", "fine"], fine_min=0, fine_max=50)
    w.item_stall = EnforcementItem.objects.create(code="330822010002", name="擅自占用城市道路摆摊经营", domain=w.dom_city,
                                                  penalty_types=["fine"], fine_min=0, fine_max=200)
    w.item_food = EnforcementItem.objects.create(code="330822160001", name="未取得食品经营许可从事食品经营",
                                                 domain=w.dom_food, penalty_types=["fine", "confiscate_gains"],
                                                 fine_min=50000, fine_max=100000)
    for item in (w.item_litter, w.item_stall, w.item_food):
        ItemBasis.objects.create(item=item, article=w.article)
    for item in (w.item_litter, w.item_stall):
        ItemHolding.objects.create(item=item, department=w.zf, team=w.bureau_team, valid_from=dt.date(2021, 7, 1),
                                   opened_by=change)
    ItemHolding.objects.create(item=w.item_food, department=w.scjg, team=w.scjg_team, valid_from=dt.date(2021, 7, 1),
                               opened_by=change)
    ItemDelegation.objects.create(item=w.item_stall, town=w.tianma, valid_from=dt.date(2022, 1, 1), opened_by=change)

    w.admin = make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True)
    w.guidance = make_user("guidance", Role.GUIDANCE, department=w.guidance_office)
    w.operator = make_user("operator", Role.OPERATOR, department=w.guidance_office)
    w.bureau_officer = make_user("bureau_officer", Role.BUREAU_OFFICER, department=w.zf, team=w.bureau_team)
    w.scjg_officer = make_user("scjg_officer", Role.PRO_OFFICER, department=w.scjg, team=w.scjg_team)
    w.tianma_officer = make_user("tianma_officer", Role.TOWN_OFFICER, department=w.tianma_gov, team=w.tianma_team,
                                 town=w.tianma)
    w.huibu_officer = make_user("huibu_officer", Role.TOWN_OFFICER, department=w.huibu_gov, team=w.huibu_team,
                                town=w.huibu)
    w.grid_tianma = make_user("grid_tianma", Role.GRID_WORKER, town=w.tianma)
    w.scjg_supervisor = make_user("scjg_supervisor", Role.DEPT_SUPERVISOR, department=w.scjg)
    w.legal_reviewer = make_user("legal_reviewer", Role.LEGAL_REVIEWER, department=w.zf)
    w.zf_head = make_user("zf_head", Role.AGENCY_HEAD, department=w.zf)
    w.leader = make_user("leader", Role.LEADER)
    w.citizen = make_user("citizen", Role.CITIZEN)
    w.personas = {name: getattr(w, name) for name in (
        "admin", "guidance", "operator", "bureau_officer", "scjg_officer", "tianma_officer", "huibu_officer",
        "grid_tianma", "scjg_supervisor", "legal_reviewer", "leader", "citizen")}

    def officer(name, team, *, expiry=dt.date(2030, 1, 1), aux=False, user=None, no=None):
        return Officer.objects.create(name=name, staff_no=no or f"S-{name}", team=team, is_auxiliary=aux,
                                      certificate_no="" if aux else (no or f"C-{name}"),
                                      certificate_expiry=None if aux else expiry, user=user)

    w.make_officer = officer
    yield w
    geo.clear_cache()  # the world's squares are rolled back: no later test may place a point with them


@pytest.fixture
def iw(world):
    """``world`` plus what intake and dispatch need: categories, boundary rows, an API client."""
    from catalogue.models import BoundaryRule
    from intake.models import EventCategory
    from intake.services import api_client_create

    w = world
    w.cat_stall = EventCategory.objects.create(code="0504", name="店外经营", group="街面秩序", domain=w.dom_city,
                                               keywords=["占道", "摆摊"], item_keywords=["占用城市道路"])
    w.cat_food = EventCategory.objects.create(code="1001", name="食品安全", group="执法", domain=w.dom_food,
                                              keywords=["食品"])
    w.cat_repair = EventCategory.objects.create(code="0410", name="窨井盖破损", group="突发事件", department=w.zj,
                                                keywords=["窨井盖"])
    w.rule_waste = BoundaryRule.objects.create(
        code="ZZBJ-0001", matter="山林偷倒废弃物（建筑垃圾）", criteria="建筑垃圾由综合行政执法部门查处",
        keywords=["建筑垃圾", "渣土"], penalising_department=w.zf, supervising_department=w.zj,
        item_codes=["330822010001"], source_document="清单", source_date=dt.date(2021, 11, 1))
    w.zj_team = Team.objects.create(code="T-ZJ", name="住建维修队", kind=TeamKind.PROFESSIONAL, department=w.zj)
    w.zj_officer = make_user("zj_officer", Role.DEPT_SUPERVISOR, department=w.zj)
    w.hotline, w.hotline_key = api_client_create(actor=w.admin, name="12345热线", kind="hotline")
    w.drone, w.drone_key = api_client_create(actor=w.admin, name="辉埠无人机平台", kind="drone")
    w.open311, w.open311_key = api_client_create(actor=w.admin, name="市民App", kind="open311")
    w.tianma_point = (118.7, 28.9)  # inside EAST (天马街道)
    w.huibu_point = (118.3, 28.9)  # inside WEST (辉埠镇)
    return w


@pytest.fixture
def cw(world):
    """``world`` plus what case handling needs: officers (two qualified, one auxiliary, one expired, a
    presider), a qualified legal reviewer, verified evidence helpers and a fixed 'today'."""
    from catalogue.models import DiscretionBand, DiscretionStandard

    w = world
    w.o1 = w.make_officer("洪一", w.bureau_team, user=w.bureau_officer, no="33082200001")
    w.o2 = w.make_officer("叶二", w.bureau_team, no="33082200002")
    w.o3 = w.make_officer("王三", w.bureau_team, no="33082200003")
    w.aux = w.make_officer("辅四", w.bureau_team, aux=True, no="A-4")
    w.expired = w.make_officer("过五", w.bureau_team, expiry=dt.date(2025, 1, 1), no="33082200005")
    w.t1 = w.make_officer("天马甲", w.tianma_team, user=w.tianma_officer, no="33082200011")
    w.t2 = w.make_officer("天马乙", w.tianma_team, no="33082200012")
    w.reviewer_officer = w.make_officer("吴审核", w.bureau_team, user=w.legal_reviewer, no="33082200009")
    Officer.objects.filter(pk=w.reviewer_officer.pk).update(legal_qualification_no="A20173308220001")
    w.legal_reviewer.refresh_from_db()
    std = DiscretionStandard.objects.create(item=w.item_food, version=1, effective_from=dt.date(2022, 1, 1))
    w.band_light = DiscretionBand.objects.create(standard=std, order=1, level="从轻", circumstances="首次",
                                                 fine_min=50000, fine_max=60000)
    w.band_heavy = DiscretionBand.objects.create(standard=std, order=2, level="从重", circumstances="多次",
                                                 fine_min=80000, fine_max=100000)
    # the food item is held by the county bureau too, so bureau officers can decide it in tests
    ItemHolding.objects.filter(item=w.item_food).update(department=w.zf, team=w.bureau_team)
    w.item_food.fine_tiers = [{"basis": "fixed", "min": "50000", "max": "100000", "text": "五万元以上十万元以下"}]
    w.item_food.save()
    return w

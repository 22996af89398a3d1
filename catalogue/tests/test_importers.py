"""Importers for items, boundary rows and officers: good files write, bad files report and write nothing."""

from catalogue.models import BoundaryRule, EnforcementItem
from core.importing import get_importer, run_import
from core.models import AuditRecord
from org.models import Officer


def run(world, kind, text, actor=None):
    return run_import(get_importer(kind), actor=actor or world.guidance, data=text.encode("utf-8"),
                      filename=f"{kind}.csv")


ITEM_HEADER = "事项编码,事项名称,领域,法律依据,处罚种类,罚款下限,罚款上限,实施主体,承办队伍,赋权镇街,生效日期\n"


def test_item_import_with_article_reference_and_towns(world):
    rep = run(world, "items", ITEM_HEADER + "330822019001,乱贴小广告,市容环卫,《城市市容和环境卫生管理条例》第三十四条,"
              "警告、罚款,0,100,常山县综合行政执法局,常山县综合行政执法队,天马街道、辉埠镇,2024-01-01\n")
    assert rep.ok, rep.errors
    item = EnforcementItem.objects.get(code="330822019001")
    assert item.penalty_types == ["warning", "fine"] and item.fine_max == 100
    assert list(item.basis.all()) == [world.article]
    assert item.delegations.count() == 2


def test_item_import_bad_rows_reported_and_nothing_written(world):
    before = EnforcementItem.objects.count()
    rep = run(world, "items", ITEM_HEADER +
              "330822019001,甲,市容环卫,《城市市容和环境卫生管理条例》第九十九条,罚款,0,100,县综合执法局,,,2024-01-01\n"
              "330822019002,乙,不存在领域,随便写,行政拘留,500,100,县综合执法局,常山县市场监管综合行政执法队,杭州,2024-13-01\n")
    assert not rep.ok
    problems = {(e.row, e.column) for e in rep.errors}
    assert (2, "法律依据") in problems  # article 99 is not in the library
    assert {(3, "领域"), (3, "法律依据"), (3, "处罚种类"), (3, "罚款上限"), (3, "承办队伍"), (3, "赋权镇街"),
            (3, "生效日期")} <= problems
    assert EnforcementItem.objects.count() == before
    assert not AuditRecord.objects.filter(action="import.items").exists()


def test_boundary_import(world):
    header = "编号,事项,判定标准,监管部门,处罚部门,关联事项编码,来源文件,来源日期\n"
    rep = run(world, "boundary", header + "B-1,偷倒,建筑垃圾归综合执法,县住建局,县综合执法局,330822010001,清单,2021-11-01\n")
    assert rep.ok, rep.errors
    assert BoundaryRule.objects.get(code="B-1").item_codes == ["330822010001"]
    rep = run(world, "boundary", header + "B-1,偷倒,x,县住建局,某局,,清单,2021-11-01\n")
    assert {(e.row, e.column) for e in rep.errors} == {(2, "编号"), (2, "处罚部门")}


def test_officer_import_refuses_auxiliary_with_certificate(world):
    header = "工号,姓名,所属队伍,辅助人员,执法证号,证件有效期至\n"
    rep = run(world, "officers", header + "A1,张辅,常山县综合行政执法队,是,33082200001,2030-01-01\n"
              "A2,李执,常山县综合行政执法队,否,,\n")
    assert {(e.row, e.column) for e in rep.errors} == {(2, "执法证号"), (3, "执法证号")}
    assert not Officer.objects.exists()
    rep = run(world, "officers", header + "A1,张辅,常山县综合行政执法队,是,,\nA2,李执,常山县综合行政执法队,否,33082200002,2030-01-01\n")
    assert rep.ok, rep.errors
    assert Officer.objects.get(staff_no="A1").is_auxiliary


def test_item_import_needs_catalogue_permission(world):
    rep = run(world, "items", ITEM_HEADER, actor=world.operator)
    assert rep.fatal == "您没有导入权限"

"""Import bad input: bad check digit, missing column, duplicate code, GBK csv, wrong file type."""

import io

import pytest
from openpyxl import Workbook

from core.importing import get_importer, run_import
from core.models import AuditRecord
from core.validators import uscc_check_char
from parties.models import Enterprise

HEADER = "注册号/统一社会信用代码,企业名称,管辖单位,信用风险分类\n"


def code(n: int) -> str:
    body = f"91330822MA2{n:06d}"
    return body + uscc_check_char(body)


def run(world, text_or_bytes, filename="e.csv", actor=None, **kw):
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return run_import(get_importer("enterprises"), actor=actor or world.guidance, data=data, filename=filename, **kw)


def test_good_csv_with_real_world_headers_imports(world):
    rep = run(world, HEADER + f"{code(1)},常山甲公司,天马街道,A\n{code(2)},常山乙公司,辉埠,C\n")
    assert rep.ok, rep.errors
    assert rep.created == 2 and rep.rows == 2
    assert Enterprise.objects.get(uscc=code(2)).town == world.huibu
    assert AuditRecord.objects.filter(action="import.enterprises").count() == 1


def test_bad_check_digit_reports_row_and_writes_nothing(world):
    bad = code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1")
    rep = run(world, HEADER + f"{code(1)},常山甲公司,天马街道,A\n{bad},常山乙公司,天马街道,B\n")
    assert not rep.ok
    assert [(e.row, e.column) for e in rep.errors] == [(3, "统一社会信用代码")]
    assert "校验位错误" in rep.errors[0].message
    assert Enterprise.objects.count() == 0
    assert AuditRecord.objects.count() == 0


def test_missing_required_column(world):
    rep = run(world, "统一社会信用代码,地址\n" + f"{code(1)},某地\n")
    assert [(e.row, e.column) for e in rep.errors] == [(1, "企业名称")]
    assert "缺少必填列" in rep.errors[0].message
    assert Enterprise.objects.count() == 0


def test_column_mapping_resolves_unusual_header(world):
    rep = run(world, "信用号,单位全称\n" + f"{code(1)},常山丙公司\n", mapping={"信用号": "统一社会信用代码",
                                                                        "单位全称": "企业名称"})
    assert rep.ok and rep.created == 1


def test_duplicate_code_in_file_and_in_database(world):
    run(world, HEADER + f"{code(1)},常山甲公司,天马街道,A\n")
    rep = run(world, HEADER + f"{code(2)},乙,天马街道,A\n{code(2)},乙二,天马街道,A\n{code(1)},甲,天马街道,A\n")
    assert [(e.row, e.message[:6]) for e in rep.errors] == [(3, "与第2行重复"), (4, "系统中已有该")]
    assert Enterprise.objects.count() == 1


def test_gbk_encoded_csv_is_read(world):
    rep = run(world, (HEADER + f"{code(3)},常山丁食品有限公司,天马街道,B\n").encode("gbk"))
    assert rep.ok and rep.encoding == "GBK/GB18030"
    assert Enterprise.objects.get().name == "常山丁食品有限公司"


@pytest.mark.parametrize("data,filename,expected", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "旧版 Excel"),
    (b"%PDF-1.7\n\x00\x01binary", "scan.pdf", "文件类型不支持"),
    (b"not a zip", "fake.xlsx", "不是有效的 Excel"),
])
def test_wrong_file_type(world, data, filename, expected):
    rep = run(world, data, filename=filename)
    assert expected in rep.fatal
    assert Enterprise.objects.count() == 0


def test_xlsx_import_and_round_trip_export(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "所属镇街", "主体类型"])
    ws.append([code(5), "常山戊轴承有限公司", "辉埠镇", "企业"])
    buf = io.BytesIO()
    wb.save(buf)
    rep = run(world, buf.getvalue(), filename="e.xlsx")
    assert rep.ok and rep.created == 1
    header, rows = get_importer("enterprises").export_rows()
    assert header[:2] == ["统一社会信用代码", "企业名称"]
    assert [r[:2] for r in rows] == [[code(5), "常山戊轴承有限公司"]]


def test_unknown_town_and_bad_risk_class(world):
    rep = run(world, HEADER + f"{code(1)},甲,杭州市,E\n")
    assert sorted((e.column, e.message[:4]) for e in rep.errors) == [("信用风险分类", "应为 A"), ("所属镇街", "不是本县")]


@pytest.mark.parametrize("persona", ["operator", "bureau_officer", "tianma_officer", "scjg_supervisor", "citizen"])
def test_import_denied_writes_nothing(world, persona):
    rep = run(world, HEADER + f"{code(1)},常山甲公司,天马街道,A\n", actor=world.personas[persona])
    assert rep.fatal == "您没有导入权限"
    assert Enterprise.objects.count() == 0 and AuditRecord.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_formula_safe_audited_and_imports_back_unchanged(world, fmt):
    """A name that a spreadsheet would run as a formula is exported with a quote (CSV injection), the
    export is audited, and importing the export back gives the original name, not the quoted one."""
    from openpyxl import load_workbook

    from core.importing import run_export

    rep = run(world, HEADER + f'{code(7)},"=HYPERLINK(""http://x"",""常山己公司"")",天马街道,A\n')
    assert rep.ok, rep.errors
    body = run_export(get_importer("enterprises"), actor=world.guidance, fmt=fmt)
    if fmt == "csv":
        assert "'=HYPERLINK" in body.decode("utf-8-sig")
    else:
        cell = load_workbook(io.BytesIO(body)).worksheets[0]["B2"]
        assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    assert AuditRecord.objects.filter(action="import.enterprises.export", after__rows=1).count() == 1
    back = run_import(get_importer("enterprises", update_existing=True), actor=world.guidance, data=body,
                      filename=f"e.{fmt}")
    assert back.ok, back.errors
    assert Enterprise.objects.get(uscc=code(7)).name == '=HYPERLINK("http://x","常山己公司")'


def test_export_page_for_the_guidance_office_only(world, client):
    from django.urls import reverse

    client.force_login(world.guidance)
    response = client.get(reverse("imports:export", args=["items", "csv"]))
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="items.csv"'
    assert world.item_litter.code in response.content.decode("utf-8-sig")
    assert client.get(reverse("imports:export", args=["passwords", "csv"])).status_code == 404
    assert client.get(reverse("imports:export", args=["items", "exe"])).status_code == 404
    client.force_login(world.tianma_officer)
    assert client.get(reverse("imports:export", args=["items", "csv"])).status_code == 403

"""Case pages, the phone form for the simple procedure, and PDFs with an embedded CJK font."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from cases import documents as docs
from cases import selectors
from cases import services as S
from cases.choices import DocType, ServiceMethod
from cases.models import Case, Document
from cases.tests.helpers import D, close_case, file_case, open_case, ready_to_decide
from core.exceptions import RuleViolation


def decided_case(cw):
    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    return Case.objects.get(pk=case.pk)


def pdf_objects(data: bytes) -> bytes:
    """The PDF's objects with every Flate stream inflated (object streams included)."""
    import re
    import zlib

    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        start = m.end()
        try:
            out.append(zlib.decompressobj().decompress(data[start:start + 2_000_000]))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_decision_pdf_has_an_embedded_cjk_font_and_a_stored_hash(cw):
    case = decided_case(cw)
    doc = Document.objects.get(case=case, doc_type=DocType.DECISION)
    data = docs.render_pdf(doc)
    assert data.startswith(b"%PDF")
    objects = pdf_objects(data)
    assert b"/FontFile" in objects  # the font program is embedded (a subset)
    assert b"NotoSerifCJK" in objects or b"NotoSansCJK" in objects
    docs.ensure_pdf(doc)
    doc.refresh_from_db()
    assert len(doc.sha256) == 64 and doc.pdf.name.endswith(".pdf")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_decision_pdf_text_is_chinese_and_complete(cw, tmp_path):
    case = decided_case(cw)
    doc = Document.objects.get(case=case, doc_type=DocType.DECISION)
    path = tmp_path / "d.pdf"
    path.write_bytes(docs.render_pdf(doc))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    for expected in ("行政处罚决定书", "常山县综合行政执法局", "常山县人民政府", "六十日", "六个月", "百分之三", doc.number):
        assert expected in text.replace(" ", "").replace("\n", ""), expected


def test_case_pages_for_the_handler_and_denied_to_others(cw, client):
    case = decided_case(cw)
    client.force_login(cw.bureau_officer)
    body = client.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert "XF-061" in body and "行政处罚决定书" in body
    assert client.get(reverse("cases:workbench")).status_code == 200
    doc = Document.objects.get(case=case, doc_type=DocType.DECISION)
    resp = client.get(reverse("cases:document_pdf", args=[doc.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    client.force_login(cw.huibu_officer)
    assert client.get(reverse("cases:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:document_pdf", args=[doc.pk])).status_code == 404
    client.force_login(cw.legal_reviewer)
    assert client.get(reverse("cases:reviews")).status_code == 200


def test_simple_procedure_on_the_phone_form(cw, client):
    client.force_login(cw.bureau_officer)
    form = client.get(reverse("cases:spot"))
    assert form.status_code == 200 and "当场处罚" in form.content.decode()
    resp = client.post(reverse("cases:spot"), {
        "item": cw.item_litter.pk, "party_kind": "person", "party_name": "张三", "party_address": "天马街道",
        "violation": "随地乱扔垃圾", "place": "人民路", "fine": "200", "officers": [cw.o1.pk, cw.o2.pk]})
    case = Case.objects.get(procedure="simple")
    assert resp.status_code == 302 and resp["Location"] == reverse("cases:case", args=[case.pk])
    assert case.final_fine == Decimal(200) and case.documents.filter(doc_type=DocType.SPOT_DECISION).exists()
    resp = client.post(reverse("cases:spot"), {
        "item": cw.item_litter.pk, "party_kind": "person", "party_name": "李四", "party_address": "天马街道",
        "violation": "乱扔", "place": "人民路", "fine": "201", "officers": [cw.o1.pk, cw.o2.pk]}, follow=True)
    assert "XF-051" in resp.content.decode() and Case.objects.count() == 1
    # each bad field is named for what it is (an empty item was reported as a bad fine amount)
    good = {"item": cw.item_litter.pk, "party_kind": "person", "party_name": "李四", "party_address": "天马街道",
            "violation": "乱扔", "place": "人民路", "fine": "50", "officers": [cw.o1.pk, cw.o2.pk]}
    for bad, said in [({"item": ""}, "请从列表中选择执法事项"), ({"item": "abc"}, "请从列表中选择执法事项"),
                      ({"fine": "五十"}, "罚款金额应为数字"), ({"officers": [cw.o1.pk, "x"]}, "请从列表中选择执法人员")]:
        page = client.post(reverse("cases:spot"), {**good, **bad}, follow=True).content.decode()
        assert said in page
        assert said == "罚款金额应为数字" or "罚款金额应为数字" not in page
    assert Case.objects.count() == 1


def test_service_receipt_document(cw):
    case = decided_case(cw)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.LEFT_AT_RESIDENCE,
                 receiver="当事人", signed=False, refusal_note="拒绝签收", witness="村委会主任")
    receipt = Document.objects.get(case=case, doc_type=DocType.SERVICE_RECEIPT)
    assert receipt.fields["method"] == "留置送达" and receipt.fields["witness"] == "村委会主任"


def test_XF_047_archive_assembles_the_case_file_with_hashes(cw):
    """XF-047 / WS-ARCH: 卷宗 with cover, contents, all documents and the evidence list with hashes."""
    case = decided_case(cw)
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT, receiver="x")
    S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 4, 1))
    with pytest.raises(RuleViolation):  # not closed yet
        S.case_archive(actor=cw.bureau_officer, case=case, on=D(2026, 4, 2))
    close_case(cw, case, D(2026, 4, 2))
    S.case_archive(actor=cw.bureau_officer, case=case, on=D(2026, 4, 3))
    case.refresh_from_db()
    assert case.status == "archived"
    file_doc = Document.objects.get(case=case, doc_type=DocType.FILE)
    data = file_doc.pdf.read()
    assert data.startswith(b"%PDF") and len(file_doc.sha256) == 64
    issued = Document.objects.filter(case=case).exclude(pk=file_doc.pk).count()
    if shutil.which("pdfinfo"):
        pages = int([ln for ln in subprocess.run(["pdfinfo", file_doc.pdf.path], capture_output=True, text=True)
                     .stdout.splitlines() if ln.startswith("Pages:")][0].split()[1])
        assert pages >= issued + 3  # cover, contents, evidence/record, and every document
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", file_doc.pdf.path, "-"], capture_output=True, text=True).stdout
        ev = case.evidence.first()
        assert "行政处罚案卷" in text and "卷内文件目录" in text and ev.sha256[:16] in text.replace("\n", "")
        # labels print without the rulebook's ids, as in a single document ("两名以上执法人员及证号")
        flat = text.replace("\n", "").replace(" ", "")
        assert "两名以上执法人员及" in flat and "XF-" not in flat


def test_evidence_files_are_served_only_to_those_who_see_the_case(cw, client):
    from cases.choices import EvidenceKind

    case = file_case(cw, open_case(cw))  # evidence is collected while the case is investigated (XF-054)
    ev = S.evidence_add(actor=cw.bureau_officer, case=case, kind=EvidenceKind.WITNESS, description="询问笔录扫描件",
                        collected_on=D(2026, 3, 9), collectors=[cw.o1, cw.o2], method="询问",
                        data=b"<script>alert(1)</script>", filename="statement.txt")
    url = reverse("cases:evidence_file", args=[case.pk, ev.pk])
    client.force_login(cw.bureau_officer)
    assert f'href="{url}"' in client.get(reverse("cases:case", args=[case.pk])).content.decode()
    resp = client.get(url)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == b"<script>alert(1)</script>"
    assert resp["Content-Disposition"].startswith("attachment") and resp["X-Content-Type-Options"] == "nosniff"
    client.force_login(cw.huibu_officer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_refused_spot_decision_keeps_what_the_officer_typed(cw, client):
    """On a phone, a refusal (a 201-yuan fine: XF-051) must not empty the form: it comes back as a 422 with the
    reason and every field as typed, the two officers still chosen, nothing written."""
    client.force_login(cw.bureau_officer)
    typed = {"item": cw.item_litter.pk, "party_kind": "individual", "party_name": "李四", "party_code": "",
             "party_address": "天马街道定阳路8号", "violation": "店外乱扔包装废弃物", "place": "定阳路", "fine": "201",
             "officers": [cw.o1.pk, cw.o2.pk], "refused": "1", "refusal_note": "当事人拒绝签字"}
    resp = client.post(reverse("cases:spot"), typed)
    page = resp.content.decode()
    assert resp.status_code == 422 and "XF-051" in page and Case.objects.count() == 0
    for value in ("李四", "天马街道定阳路8号", "店外乱扔包装废弃物", "定阳路", "201", "当事人拒绝签字"):
        assert f'value="{value}"' in page, value
    assert '<option value="individual" selected>' in page and 'name="refused" value="1" checked' in page
    officers = page.split('name="officers"')[1].split("</select>")[0]
    assert officers.count("selected") == 2
    item = page.split('name="item"')[1].split("</select>")[0]
    assert f'<option value="{cw.item_litter.pk}" selected>' in item


def test_the_spot_form_finds_any_item_the_body_holds(cw, client, monkeypatch):
    """A bureau holds some 2,000 items; a phone lists 400. The officer finds any other by code or name, and the
    page says when the list is cut."""
    from cases import views

    client.force_login(cw.bureau_officer)
    monkeypatch.setattr(views, "SPOT_ITEMS", 1)
    page = client.get(reverse("cases:spot")).content.decode()
    listed = page.split('name="item"')[1].split("</select>")[0]
    held = selectors.spot_items(cw.zf)
    assert held.count() > 1 and listed.count("<option") == 1 and f"符合的事项共 {held.count()} 项，下方列出前 1 项" in page
    page = client.get(reverse("cases:spot"), {"q": cw.item_litter.code}).content.decode()
    listed = page.split('name="item"')[1].split("</select>")[0]
    assert listed.count("<option") == 1 and f'value="{cw.item_litter.pk}"' in listed and "符合的事项共" not in page
    word = cw.item_litter.name[2:6]
    page = client.get(reverse("cases:spot"), {"q": word}).content.decode()
    assert f'value="{cw.item_litter.pk}"' in page.split('name="item"')[1].split("</select>")[0]
    assert "没有符合的执法事项" in client.get(reverse("cases:spot"), {"q": "不存在的事项名称"}).content.decode()

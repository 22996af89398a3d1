"""Enforcement documents (文书): required fields, gap-free numbering, PDF with an embedded CJK font.

A document is *issued* when its number is taken and its fields are frozen (inside the service's
transaction: a rollback returns the number). The PDF is rendered from those frozen fields with
WeasyPrint (fonts from fontconfig: Noto Sans/Serif CJK SC), its SHA-256 stored; rendering again gives
the same content. A voided number stays, with its reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string

from cases.choices import DocType
from cases.models import Case, Document, DocumentSequence
from core.audit import audit_log
from core.codes import random_code
from core.exceptions import InvalidTransition, RuleViolation, ValidationFailed
from core.records import record_language

# Fields the law (L) or the rulebook's document table requires before a document may be issued.
REQUIRED: dict[str, dict[str, str]] = {
    DocType.SOURCE: {"source": "案件来源", "summary": "线索摘要", "discovery_date": "发现日期"},
    DocType.FILING: {"cause": "案由", "party": "当事人", "party_code": "当事人身份证号或统一社会信用代码",
                     "item": "执法事项", "facts": "简要案情", "officers": "两名以上执法人员及证号(XF-042)",
                     "basis": "立案依据", "unit_opinion": "承办人意见", "head_approval": "负责人审批意见及日期"},
    DocType.NOT_FILING: {"reason": "不予立案理由", "party": "当事人", "unit_opinion": "承办人意见",
                         "head_approval": "负责人审批意见及日期"},
    DocType.ONSITE: {"time": "时间", "place": "地点", "officers": "执法人员及证号", "id_shown": "出示执法证件(XF-055)",
                     "record": "检查情况"},
    DocType.INQUIRY: {"time": "时间", "place": "地点", "officers": "询问人(两名以上)", "interviewee": "被询问人",
                      "rights_told": "告知回避及如实回答义务(XF-043/055)", "record": "问答"},
    DocType.PRESERVATION: {"approval": "负责人批准(XF-056)", "items": "物品清单", "deadline": "7个工作日内处理"},
    DocType.ORDER: {"violation": "违法行为", "basis": "依据", "requirement": "改正要求", "deadline": "改正期限"},
    DocType.NOTICE: {"party": "当事人", "penalty": "拟处罚内容(XF-044)", "facts": "违法事实", "reasons": "理由",
                     "basis": "依据", "rights": "陈述、申辩(及听证)权利", "representation_due": "陈述申辩期限",
                     "channels": "提交方式（含网上渠道）", "agency": "行政机关"},
    DocType.HEARING_NOTICE: {"time": "听证时间", "place": "地点", "presider": "主持人(非调查人员)",
                             "recusal": "申请回避权利", "agents": "委托一至二人代理", "public": "是否公开",
                             "absence": "无正当理由不到场的后果"},
    DocType.HEARING_RECORD: {"participants": "参加人", "record": "听证记录", "signature": "签名或拒签说明"},
    DocType.LEGAL_REVIEW: {"triggers": "审核事由", "result": "审核结论", "reviewer": "审核人员",
                           "qualification_no": "法律职业资格证书号"},
    DocType.COLLECTIVE: {"attendees": "参加人员", "opinions": "讨论意见", "conclusion": "结论"},
    DocType.DECISION: {"party": "当事人姓名或名称", "address": "地址", "facts": "违法事实", "evidence": "证据",
                       "penalty": "处罚种类和依据", "performance": "履行方式和期限", "surcharge": "加处罚款标准(QZ-035-037)",
                       "remedy": "救济途径和期限", "agency": "行政机关名称", "date": "作出决定的日期"},
    DocType.SPOT_DECISION: {"party": "当事人", "violation": "违法行为", "penalty": "处罚种类和依据", "fine": "罚款数额",
                            "time": "时间", "place": "地点", "remedy": "救济途径和期限", "agency": "行政机关名称",
                            "officers": "执法人员签名或盖章"},
    DocType.NO_PENALTY: {"party": "当事人", "grounds": "不予处罚理由", "facts": "事实", "education": "教育情况(XF-033)",
                         "remedy": "救济途径"},
    DocType.SERVICE_RECEIPT: {"document": "送达文书", "receiver": "受送达人", "date": "送达日期", "method": "送达方式",
                              "signature": "签收或拒收说明"},
    DocType.REMINDER: {"deadline": "履行期限", "amount": "金额", "method": "缴纳方式", "rights": "陈述申辩权利(QZ-035)"},
    DocType.CLOSING: {"reason": "结案理由", "execution": "执行情况", "unit_opinion": "承办人意见",
                      "head_approval": "负责人审批意见及日期"},
    DocType.FILE: {"cover": "卷宗封面", "contents": "卷内目录"},
    DocType.CRIME_TRANSFER: {"to": "接收机关", "cause": "案由", "party": "当事人", "facts": "涉嫌犯罪的事实",
                             "approval": "负责人批准(YS-310)", "attachments": "附送材料(YS-310)", "receipt": "接收回执"},
}

EXTRA_LABELS = {"party_code": "证件号码", "order": "责令改正", "temporal": "法律适用(从旧兼从轻)", "payment_code": "缴款方式", "publication": "公开告知",
                "legal_review": "法制审核", "collective": "集体讨论", "receipt_no": "票据号", "refusal": "拒绝签收情况",
                "hearing": "听证权利", "hearing_due": "听证申请期限", "payment_due": "缴款期限", "discretion": "裁量基准",
                "witness": "见证人", "av_record": "音像记录", "items": "物品", "evidence_list": "证据清单"}

WORD = {DocType.FILING: "立", DocType.NOT_FILING: "不立", DocType.SOURCE: "源", DocType.ONSITE: "现",
        DocType.INQUIRY: "询", DocType.PRESERVATION: "保", DocType.ORDER: "改", DocType.NOTICE: "罚告",
        DocType.HEARING_NOTICE: "听通", DocType.HEARING_RECORD: "听录", DocType.LEGAL_REVIEW: "审",
        DocType.COLLECTIVE: "议", DocType.DECISION: "罚决", DocType.SPOT_DECISION: "当罚",
        DocType.NO_PENALTY: "不罚", DocType.SERVICE_RECEIPT: "送", DocType.REMINDER: "催", DocType.CLOSING: "结",
        DocType.FILE: "卷", DocType.CRIME_TRANSFER: "移"}


def missing_fields(doc_type: str, fields: dict) -> list[str]:
    return [label for key, label in REQUIRED.get(doc_type, {}).items()
            if fields.get(key) in (None, "", [], {}, False)]


def next_number(case: Case, doc_type: str, year: int) -> tuple[int, str]:
    seq, _ = DocumentSequence.objects.select_for_update().get_or_create(department=case.department, doc_type=doc_type,
                                                                        year=year)
    DocumentSequence.objects.filter(pk=seq.pk).update(last=seq.last + 1)
    n = seq.last + 1
    prefix = case.department.doc_prefix or case.department.short_name
    stem = prefix[:-1] if prefix.endswith("罚") else prefix
    return n, f"{stem}{WORD[doc_type]}字〔{year}〕第{n}号"


CHECK_CODE_LENGTH = 8  # 核验码: 31**8 ≈ 8.5 × 10**11 codes (``core.codes.READABLE``)


def issue(*, case: Case, doc_type: str, fields: dict, on: dt.date, actor=None) -> Document:
    """Issue a document; refuses while a required field is empty. Call inside the service's transaction."""
    import json

    fields = json.loads(json.dumps(fields, default=str, ensure_ascii=False))  # lazy labels, dates → text
    missing = missing_fields(doc_type, fields)
    if missing:
        raise RuleViolation(f"{DocType(doc_type).label}缺少法定内容，不能签发：{'、'.join(missing)}",
                            errors={"document": missing})
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("documents are issued inside the service's transaction")
    seq, number = next_number(case, doc_type, on.year)
    doc = Document.objects.create(case=case, doc_type=doc_type, year=on.year, seq=seq, number=number, issued_on=on,
                                  fields=fields, issued_by=actor if getattr(actor, "pk", None) else None,
                                  check_code=random_code(CHECK_CODE_LENGTH))
    audit_log(actor=actor, action="cases.document.issue", obj=doc, after={"number": number, "type": doc_type})
    return doc


@transaction.atomic
def void(*, actor, document: Document, reason: str) -> Document:
    if not reason.strip():
        raise ValidationFailed("请写明作废理由", errors={"reason": ["作废须写明理由"]})
    moved = Document.objects.filter(pk=document.pk, state=Document.State.ISSUED).update(
        state=Document.State.VOIDED, void_reason=reason[:300])
    if not moved:
        raise InvalidTransition("该文书已作废", errors={"state": ["已作废"]})
    document.refresh_from_db()
    audit_log(actor=actor, action="cases.document.void", obj=document, after={"number": document.number,
                                                                              "reason": reason})
    return document


RULE_ID = re.compile(r"\([A-Z]{2,3}-[0-9/-]+\)")


def _printed_labels(document: Document) -> list[tuple[str, str]]:
    """The printed labels: the required fields, then any other non-empty field; rule ids are not printed."""
    required = REQUIRED.get(document.doc_type, {})
    labels = list(required.items()) + [(k, EXTRA_LABELS.get(k, k)) for k, v in document.fields.items()
                                       if k not in required and not k.startswith("_") and v not in ("", None, [], False)]
    return [(k, RULE_ID.sub("", label)) for k, label in labels]


def _document_html(document: Document, case: Case | None = None) -> str:
    """A document as printed: always in Chinese (the records' language), whatever the reader's language."""
    with record_language():
        return render_to_string("cases/docs/document.html", {
            "d": document, "case": case or document.case, "labels": _printed_labels(document),
            "f": document.fields, "title": document.get_doc_type_display(),
            "check_code": document.printed_check_code})


def render_pdf(document: Document) -> bytes:
    from weasyprint import HTML

    return HTML(string=_document_html(document)).write_pdf()


def ensure_pdf(document: Document) -> Document:
    """Render and store the PDF once; the stored hash lets anyone check a copy later."""
    if document.pdf:
        return document
    data = render_pdf(document)
    digest = hashlib.sha256(data).hexdigest()
    document.pdf.save(f"{document.case_id}-{document.doc_type}-{document.year}-{document.seq}.pdf", ContentFile(data),
                      save=False)
    Document.objects.filter(pk=document.pk).update(pdf=document.pdf.name, sha256=digest)
    document.sha256 = digest
    return document


def render_case_file(case: Case, file_doc: Document) -> bytes:
    """卷宗: cover, table of contents, every issued document, the evidence list with SHA-256 hashes and
    the record of transitions — one PDF (WeasyPrint pages of several documents joined)."""
    from weasyprint import HTML

    issued = list(case.documents.exclude(pk=file_doc.pk).order_by("issued_on", "id"))
    evidence = list(case.evidence.all())
    with record_language():
        front = render_to_string("cases/docs/case_file_front.html", {
            "case": case, "d": file_doc, "documents": issued, "evidence": evidence,
            "transitions": case.transitions.all()})
    rendered = [HTML(string=front).render()]
    for doc in issued:
        rendered.append(HTML(string=_document_html(doc, case)).render())
    pages = [page for r in rendered for page in r.pages]
    return rendered[0].copy(pages).write_pdf()

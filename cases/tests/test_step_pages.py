"""The general procedure through the web forms, as an officer and a legal reviewer would do it:
each step is a form that calls the guarded service; a refused step says which rule, on which field,
and writes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services as S
from cases.choices import CaseStatus, DocType
from cases.models import Act, Case, Document, Evidence
from cases.tests.helpers import open_case, uscc
from core.exceptions import ValidationFailed
from core.models import AuditRecord
from intake.models import Event

STEP = "cases:step"


def post_step(client, case, key, data, **kw):
    return client.post(reverse(STEP, args=[case.pk, key]), data, **kw)


def ok(resp):
    assert resp.status_code == 302, resp.content.decode()[-3000:]
    return resp


def open_by_form(cw, client, **extra):
    data = {"department": cw.zf.pk, "item": cw.item_food.pk, "party_kind": "org", "party_name": "常山表单食品有限公司",
            "party_code": uscc(7), "party_address": "常山县天马街道人民路9号", "cause": "未取得食品经营许可从事食品经营",
            "act_date": "2026-03-02", "discovery_date": "2026-03-05", "location": "人民路9号", "source": "群众举报",
            "summary": "当事人未取得许可经营熟食"}
    data.update(extra)
    return client.post(reverse("cases:new"), data)


def test_a_general_case_from_clue_to_archive_through_the_forms(cw, client):
    client.force_login(cw.bureau_officer)
    ok(open_by_form(cw, client))
    case = Case.objects.get(party_name="常山表单食品有限公司")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "立案" in page and reverse(STEP, args=[case.pk, "decide"]) not in page  # only the allowed steps
    for officer in (cw.o1, cw.o2):
        ok(post_step(client, case, "assign", {"officer": officer.pk, "role": "investigator",
                                              "no_conflict_declared": "on", "on": "2026-03-06"}))
    ok(post_step(client, case, "file", {"on": "2026-03-06", "basis": "符合立案条件"}))
    # WS-FILE: the officers ask, the head approves; until then the case is not filed
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLUE
    assert post_step(client, case, "file_approve", {"approved": "1", "on": "2026-03-06"}).status_code == 403
    client.force_login(cw.zf_head)
    assert reverse(STEP, args=[case.pk, "file_approve"]) in client.get(case.get_absolute_url()).content.decode()
    approval_page = client.get(reverse(STEP, args=[case.pk, "file_approve"])).content.decode()
    assert "承办人意见：符合立案条件" in approval_page and "bureau_officer 于 2026-03-06 申请" in approval_page
    refused = post_step(client, case, "file_approve", {"approved": "0", "on": "2026-03-06", "opinion": ""})
    assert refused.status_code == 422 and "不同意立案的，须写明理由" in refused.content.decode()
    ok(post_step(client, case, "file_approve", {"approved": "1", "on": "2026-03-06", "opinion": "同意立案"}))
    filing = Document.objects.get(case=case, doc_type=DocType.FILING)
    assert "同意立案（zf_head，2026-03-06）" in filing.fields["head_approval"]
    assert filing.fields["unit_opinion"].startswith("符合立案条件（bureau_officer，2026-03-06）")
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "act", {
        "kind": "inspection", "started_at": "2026-03-09T09:00", "ended_at": "2026-03-09T10:00", "place": "人民路9号",
        "officers": [cw.o1.pk, cw.o2.pk], "id_shown": "on", "record": "现场发现当事人正在销售熟食，未能出示许可证",
        "party_present": "on", "party_signed": "on"}))
    ok(post_step(client, case, "evidence", {
        "kind": "inspection_record", "description": "现场照片", "collected_on": "2026-03-09",
        "collectors": [cw.o1.pk, cw.o2.pk], "method": "现场拍照", "lawful": "on",
        "file": SimpleUploadedFile("p.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")}))
    ev = Evidence.objects.get(case=case)
    assert len(ev.sha256) == 64
    ok(post_step(client, case, "verify", {"evidence": ev.pk, "on": "2026-03-09"}))
    ok(post_step(client, case, "close_investigation", {"on": "2026-03-16", "facts": "经查，当事人未取得食品经营许可从事熟食经营。"}))
    ok(post_step(client, case, "propose", {"on": "2026-03-17", "outcome": "penalty", "types": ["fine"],
                                            "fine": "60000", "reasons": "违法事实清楚"}))
    ok(post_step(client, case, "notice", {"served_on": "2026-03-18", "method": "direct"}))
    client.force_login(cw.legal_reviewer)
    from cases.forms import CHECKLIST

    ok(post_step(client, case, "legal_review", {"on": "2026-03-18", "result": "pass", "opinion": "合法",
                                                 "checklist": CHECKLIST}))
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "waiver", {"on": "2026-03-19", "confirm": "on", "statement": SimpleUploadedFile(
        "waiver.pdf", b"%PDF-1.4 signed waiver", content_type="application/pdf")}))
    # XF-057: the head decides, not the officer who handled the case
    assert reverse(STEP, args=[case.pk, "decide"]) not in client.get(case.get_absolute_url()).content.decode()
    assert post_step(client, case, "decide", {"decided_on": "2026-03-23", "types": ["fine"],
                                              "fine": "60000"}).status_code == 403
    client.force_login(cw.zf_head)
    assert reverse(STEP, args=[case.pk, "decide"]) in client.get(case.get_absolute_url()).content.decode()
    ok(post_step(client, case, "decide", {"decided_on": "2026-03-23", "types": ["fine"], "fine": "60000"}))
    assert Case.objects.get(pk=case.pk).decided_by == cw.zf_head
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "serve", {"served_on": "2026-03-24", "method": "direct", "receiver": "法定代表人",
                                          "signed": "on"}))
    ok(post_step(client, case, "payment", {"paid_on": "2026-03-30", "amount": "60000", "method": "银行缴款"}))
    # WS-CLOSE: the officer asks, the head approves
    assert reverse(STEP, args=[case.pk, "close"]) not in client.get(case.get_absolute_url()).content.decode()
    ok(post_step(client, case, "close_request", {"on": "2026-03-31", "reason": "已履行完毕"}))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.EXECUTED
    client.force_login(cw.zf_head)
    ok(post_step(client, case, "close_approve", {"approved": "1", "on": "2026-03-31", "opinion": "同意结案"}))
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "archive", {"on": "2026-04-01"}))
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.number
    types = set(case.documents.values_list("doc_type", flat=True))
    assert {DocType.FILING, DocType.ONSITE, DocType.NOTICE, DocType.LEGAL_REVIEW, DocType.DECISION,
            DocType.SERVICE_RECEIPT, DocType.CLOSING, DocType.FILE} <= types
    assert AuditRecord.objects.filter(action="cases.case.archived").exists()


def test_decide_before_the_representation_period_is_refused_with_the_rule_and_writes_nothing(cw, client):
    """XF-044-045-062 through the form: no decision until the notice period has run or was waived."""
    case = open_case(cw)
    from cases.tests.helpers import file_case, investigate, notice, propose, review_pass, to_review

    file_case(cw, case)
    investigate(cw, case)
    to_review(cw, case)
    propose(cw, case)
    notice(cw, case)
    review_pass(cw, case)
    client.force_login(cw.zf_head)
    before = (AuditRecord.objects.count(), Document.objects.count())
    resp = post_step(client, case, "decide", {"decided_on": "2026-03-19", "types": ["fine"], "fine": "60000"})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "XF-044-045-062" in body and "陈述申辩期限" in body
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTICE_SERVED
    assert (AuditRecord.objects.count(), Document.objects.count()) == before


def test_an_act_by_one_officer_is_refused_under_xf_042(cw, client):
    case = open_case(cw)
    from cases.tests.helpers import file_case

    file_case(cw, case)
    client.force_login(cw.bureau_officer)
    resp = post_step(client, case, "act", {
        "kind": "inspection", "started_at": "2026-03-09T09:00", "ended_at": "2026-03-09T10:00", "place": "人民路",
        "officers": [cw.o1.pk], "id_shown": "on", "record": "检查", "party_present": "on", "party_signed": "on"})
    assert resp.status_code == 422 and "XF-042" in resp.content.decode()
    assert not Act.objects.filter(case=case).exists()


def test_bad_input_is_reported_per_field_in_chinese(cw, client):
    case = open_case(cw)
    client.force_login(cw.bureau_officer)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    resp = post_step(client, case, "not_file", {"on": future, "reason": ""})
    body = resp.content.decode()
    assert resp.status_code == 422 and "不能晚于今天" in body and "这个字段是必填项" in body
    resp = post_step(client, case, "assign", {"officer": cw.o1.pk, "role": "investigator", "on": "2026-03-01"})
    assert resp.status_code == 422 and "不能早于本案上一步骤的日期" in resp.content.decode()
    resp = post_step(client, case, "assign", {"officer": cw.o1.pk, "role": "investigator", "on": "2026-03-06"})
    assert resp.status_code == 422 and "XF-043" in resp.content.decode()  # no declaration of no conflict
    assert not case.case_officers.exists()
    resp = open_by_form(cw, client, party_code="91330822MA2000007X", act_date="2026-03-09")
    assert resp.status_code == 422 and not Case.objects.filter(party_name="常山表单食品有限公司").exists()
    body = resp.content.decode()
    assert "discovery_date" in body or "发现日期" in body


def test_steps_are_offered_by_state_and_role(cw, client):
    case = open_case(cw)
    client.force_login(cw.zf_head)
    assert client.get(reverse(STEP, args=[case.pk, "decide"])).status_code == 409
    assert post_step(client, case, "decide", {"decided_on": "2026-03-19", "types": ["fine"]}).status_code == 409
    client.force_login(cw.bureau_officer)
    assert client.get(reverse(STEP, args=[case.pk, "decide"])).status_code == 403  # XF-057: the head's
    assert client.get(reverse(STEP, args=[case.pk, "legal_review"])).status_code == 403
    assert client.get(reverse(STEP, args=[case.pk, "nonsense"])).status_code == 404
    client.force_login(cw.huibu_officer)
    assert client.get(reverse(STEP, args=[case.pk, "file"])).status_code == 404  # not this body's case
    client.force_login(cw.legal_reviewer)
    assert client.get(reverse(STEP, args=[case.pk, "file"])).status_code == 403


def test_a_case_opened_from_an_event_keeps_the_link(cw, client):
    event = Event.objects.create(channel="grid", text="人民路9号无证经营熟食", address="人民路9号",
                                 received_at=dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC),
                                 department=cw.zf, item=cw.item_food, town=cw.tianma)
    client.force_login(cw.bureau_officer)
    form = client.get(reverse("cases:new") + f"?event={event.pk}").content.decode()
    assert event.ticket in form and "人民路9号无证经营熟食" in form
    ok(open_by_form(cw, client, event=event.pk))
    case = Case.objects.get(party_name="常山表单食品有限公司")
    assert list(case.events.all()) == [event] and case.town == cw.tianma
    assert case.status == CaseStatus.CLUE
    page = client.get(reverse("intake:event", args=[event.pk])).content.decode()
    assert case.get_absolute_url() in page
    assert "再登记一件案件线索（如另有当事人）" in page and "立案办理（登记案件线索）" not in page  # a second party


def _filed(cw):
    from cases.tests.helpers import file_case

    case = open_case(cw)
    file_case(cw, case)
    return case


def test_XF_043_recusal_through_the_forms(cw, client):
    case = _filed(cw)
    client.force_login(cw.bureau_officer)
    # who applies is one of two (the record's 当事人申请 / 自行回避); the reason fits its column (300 characters):
    # until 2026-12-07 the form took any name up to 100 characters into a 10-character column (a server error
    # on PostgreSQL) and reasons of any length
    bad = post_step(client, case, "recusal_apply", {"officer": cw.o2.pk, "applicant": "当事人张三的委托代理人",
                                                     "reason": "亲" * 301, "on": "2026-03-07"})
    assert bad.status_code == 422 and not case.recusals.exists()
    assert "选择一个有效的选项" in bad.content.decode() and "确保该变量包含不超过 300 字符" in bad.content.decode()
    with pytest.raises(ValidationFailed) as exc:  # the service says the same to any other caller
        S.recusal_apply(actor=cw.bureau_officer, case=case, officer=cw.o2, applicant="party", reason="亲" * 301,
                        on=dt.date(2026, 3, 7))
    assert exc.value.errors == {"reason": ["不超过300字（现为301字）"]} and not case.recusals.exists()
    ok(post_step(client, case, "recusal_apply", {"officer": cw.o2.pk, "applicant": "party", "reason": "与当事人系亲属",
                                                  "on": "2026-03-07"}))
    r = case.recusals.get()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "叶二 · 当事人申请 2026-03-07：与当事人系亲属" in page and "待负责人决定" in page
    # one application about an officer at a time: the form offers the others
    form = client.get(reverse(STEP, args=[case.pk, "recusal_apply"])).content.decode()
    assert f'<option value="{cw.o1.pk}">' in form and f'<option value="{cw.o2.pk}">' not in form
    assert post_step(client, case, "recusal_decide", {"recusal": r.pk, "granted": "1", "on": "2026-03-08"}
                     ).status_code == 403  # the head decides
    client.force_login(cw.zf_head)
    ok(post_step(client, case, "recusal_decide", {"recusal": r.pk, "granted": "1", "on": "2026-03-08"}))
    assert case.case_officers.get(officer=cw.o2).released_on == dt.date(2026, 3, 8)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse(STEP, args=[case.pk, "recusal_decide"]) not in page
    assert "准予回避 2026-03-08" in page


def test_QZ_024_028_seizure_extension_once_through_the_form(cw, client):
    from cases import services as S
    from cases.choices import ActKind
    from cases.tests.helpers import D, at

    case = _filed(cw)
    act = S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, started_at=at(D(2026, 3, 9), 9),
                       ended_at=at(D(2026, 3, 9), 10), place="仓库", officers=[cw.o1, cw.o2], id_shown=True,
                       record="扣押清单：熟食20公斤", party_signed=True, approval_ref="负责人批准",
                       av_sha256="b" * 64, av_started_at=at(D(2026, 3, 9), 8), av_ended_at=at(D(2026, 3, 9), 11))
    client.force_login(cw.bureau_officer)
    data = {"act": act.pk, "on": "2026-04-01", "approval_ref": "", "reason": "需检测"}
    assert post_step(client, case, "seizure_extend", data).status_code == 403  # the head's
    client.force_login(cw.zf_head)
    ok(post_step(client, case, "seizure_extend", data))
    again = post_step(client, case, "seizure_extend", dict(data, on="2026-04-02"))
    assert again.status_code == 422 and "QZ-024-028" in again.content.decode()
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "seizure_release", {"act": act.pk, "on": "2026-04-20", "reason": "检测合格，解除扣押"}))
    assert reverse(STEP, args=[case.pk, "seizure_release"]) not in client.get(case.get_absolute_url()).content.decode()


def test_XF_026_the_asked_body_sees_the_case_only_to_answer(cw, client):
    from core.models import Deadline

    case = _filed(cw)
    client.force_login(cw.scjg_supervisor)
    assert client.get(case.get_absolute_url()).status_code == 404  # not theirs before the request
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "assist_request", {"to_department": cw.scjg.pk, "matter": "提供当事人登记信息",
                                                   "basis": "《行政处罚法》第二十六条", "on": "2026-03-07"}))
    client.force_login(cw.scjg_supervisor)
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse(STEP, args=[case.pk, "assist_reply"]) in page
    assert reverse(STEP, args=[case.pk, "act"]) not in page  # nothing of the handler's is offered
    ok(post_step(client, case, "assist_reply", {"on": "2026-03-09", "reply": "登记信息已提供"}))
    assert Deadline.objects.get(object_id=str(case.pk), kind__startswith="case.assist.").state == "met"
    assert client.get(case.get_absolute_url()).status_code == 404  # answered: no longer visible


def test_YS_310_crime_transfer_through_the_forms(cw, client):
    case = _filed(cw)
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "crime_report", {"report_at": "2026-03-10T09:00"}))
    client.force_login(cw.zf_head)
    refused = post_step(client, case, "crime_decide", {"approved": "0", "at": "2026-03-11T09:00", "reason": ""})
    assert refused.status_code == 422 and "YS-310" in refused.content.decode()
    ok(post_step(client, case, "crime_decide", {"approved": "1", "at": "2026-03-11T09:00", "reason": ""}))
    client.force_login(cw.bureau_officer)
    late = post_step(client, case, "crime_transfer", {"at": "2026-03-12T10:00", "receipt_no": "常公受〔2026〕1号",
                                                      "police": "常山县公安局"})
    assert late.status_code == 422 and "24小时" in late.content.decode()
    ok(post_step(client, case, "crime_transfer", {"at": "2026-03-11T15:00", "receipt_no": "常公受〔2026〕1号",
                                                  "police": "常山县公安局", "items": ""}))
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED_JUDICIAL
    assert case.documents.get(doc_type="crime_transfer").fields["attachments"][1] == "涉案物品清单：无"


def test_XF_070_071_cash_handover_then_deposit_through_the_form(cw, client):
    from decimal import Decimal

    from cases import services as S
    from cases.choices import PartyKind
    from cases.tests.helpers import D, at
    from core.models import Deadline

    case = S.spot_decide(actor=cw.bureau_officer, department=cw.zf, item=cw.item_litter, party_kind=PartyKind.PERSON,
                         party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾", place="人民路",
                         at=at(D(2026, 9, 30)), officers=[cw.o1, cw.o2], types=["fine"], fine=Decimal(50),
                         collected_on_spot=True, receipt_no="R3")
    pay = case.payments.get()
    client.force_login(cw.bureau_officer)
    url = reverse(STEP, args=[case.pk, "cash"])
    early = client.post(url, {"payment": pay.pk, "deposited_on": "2026-10-08"})
    assert early.status_code == 422 and "须先交回行政机关" in early.content.decode()
    ok(client.post(url, {"payment": pay.pk, "handed_over_on": "2026-10-08"}))
    ok(client.post(url, {"payment": pay.pk, "deposited_on": "2026-10-09"}))
    pay.refresh_from_db()
    assert (pay.handed_over_on, pay.deposited_on) == (D(2026, 10, 8), D(2026, 10, 9))
    states = dict(Deadline.objects.filter(object_id=str(case.pk), kind__startswith="case.cash").values_list("kind",
                                                                                                          "state"))
    assert states == {"case.cash_handover": "met", "case.cash_deposit": "met"}
    assert url not in client.get(case.get_absolute_url()).content.decode()


def test_QZ_024_028_testing_period_is_not_counted_and_must_be_told_to_the_party(cw, client):
    from cases import services as S
    from cases.choices import ActKind
    from cases.tests.helpers import D, at
    from core.models import Deadline

    case = _filed(cw)
    act = S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, started_at=at(D(2026, 3, 9), 9),
                       ended_at=at(D(2026, 3, 9), 10), place="仓库", officers=[cw.o1, cw.o2], id_shown=True,
                       record="扣押清单：熟食20公斤", party_signed=True, approval_ref="负责人批准",
                       av_sha256="c" * 64, av_started_at=at(D(2026, 3, 9), 8), av_ended_at=at(D(2026, 3, 9), 11))
    row = Deadline.objects.get(object_id=str(case.pk), kind=f"case.seizure.{act.pk}")
    assert row.due_at.date() == D(2026, 4, 8)
    client.force_login(cw.bureau_officer)
    data = {"act": act.pk, "lab": "衢州市食品药品检验研究院", "started_on": "2026-03-12", "ended_on": "2026-03-21"}
    untold = post_step(client, case, "seizure_testing", data)
    assert untold.status_code == 422 and "书面告知当事人" in untold.content.decode()
    ok(post_step(client, case, "seizure_testing", dict(data, party_notified_on="2026-03-12")))
    row.refresh_from_db()
    assert row.due_at.date() == D(2026, 4, 18) and "检测10日不计入" in row.basis  # 10 days, both ends counted


def test_XF_022_025_ZJ_017_transfer_out_and_a_jurisdiction_dispute_ruled_by_the_guidance_office(cw, client):
    from core.models import Deadline, Notification

    case = open_case(cw)
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "dispute", {"other": cw.scjg.pk, "on": "2026-03-06", "reason": "双方均认为属本机关管辖"}))
    case.refresh_from_db()
    assert case.status == CaseStatus.JURISDICTION_DISPUTE and case.dispute_with == cw.scjg
    assert Notification.objects.filter(department=cw.guidance_office, text__contains="管辖争议").exists()
    assert post_step(client, case, "ruling", {"handler": cw.scjg.pk, "on": "2026-03-09", "reason": "x"}
                     ).status_code == 403  # only the guidance office rules
    client.force_login(cw.guidance)
    bad = post_step(client, case, "ruling", {"handler": cw.tianma_gov.pk, "on": "2026-03-09", "reason": "x"})
    assert bad.status_code == 422  # only one of the two parties can be named
    ok(post_step(client, case, "ruling", {"handler": cw.scjg.pk, "on": "2026-03-09", "reason": "属食品经营许可事项"}))
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED_OUT and case.transferred_to == cw.scjg
    client.force_login(cw.scjg_officer)
    assert client.get(case.get_absolute_url()).status_code == 200  # the receiving body sees what it received

    other = open_case(cw, n=2)
    client.force_login(cw.bureau_officer)
    ok(post_step(client, other, "transfer_out", {"to_department": cw.scjg.pk, "on": "2026-03-06",
                                                  "reason": "属市场监管部门管辖（食品安全法第一百二十二条）"}))
    other.refresh_from_db()
    assert other.status == CaseStatus.TRANSFERRED_OUT
    assert Deadline.objects.get(object_id=str(other.pk), kind="case.verify").state == "cancelled"
    ok(post_step(client, other, "close", {"on": "2026-03-07", "reason": "已移送"}))


def test_ZJ_034_036_037_cooperation_report_names_late_and_overdue_bodies(cw, client):
    from cases import services as S
    from cases.tests.helpers import D

    case = _filed(cw)
    S.assistance_request(actor=cw.bureau_officer, case=case, to_department=cw.scjg, matter="提供登记信息",
                         basis="《行政处罚法》第二十六条", on=D(2026, 9, 29))
    S.assistance_reply(actor=cw.scjg_supervisor, case=case, on=D(2026, 10, 14), reply="已提供")  # due 10-12: late
    S.assistance_request(actor=cw.bureau_officer, case=case, to_department=cw.tianma_gov, matter="协助送达",
                         basis="《行政处罚法》第二十六条", on=D(2026, 10, 20))  # never answered
    client.force_login(cw.bureau_officer)
    assert client.get(reverse("cases:cooperation")).status_code == 404
    client.force_login(cw.guidance)
    body = client.get(reverse("cases:cooperation")).content.decode()
    rows = body.split("<tr>")[2:]
    assert cw.scjg.name in body and cw.tianma_gov.name in body
    scjg_row = next(r for r in rows if cw.scjg.name in r)
    tianma_row = next(r for r in rows if cw.tianma_gov.name in r)
    assert '<span class="tag amber">1</span>' in scjg_row and '<span class="tag red">1</span>' in tianma_row


def test_ZJ_018_verified_evidence_is_shared_with_provenance_and_reverified(cw, client):
    from cases.models import Evidence
    from cases.tests.helpers import file_case, investigate

    source = _filed(cw)
    ev = investigate(cw, source)  # verified, lawful, with a file
    unverified = investigate(cw, source, verify=False)
    target = open_case(cw, n=5, department=cw.tianma_gov, actor=cw.tianma_officer, item=cw.item_stall)
    file_case(cw, target, officers=(cw.t1, cw.t2), actor=cw.tianma_officer)
    target.refresh_from_db()
    client.force_login(cw.bureau_officer)
    url = reverse(STEP, args=[source.pk, "share_evidence"])
    assert f'value="{unverified.pk}"' not in client.get(url).content.decode()  # only verified evidence offered
    missing = client.post(url, {"evidence": ev.pk, "to_case_number": "不存在的案号", "on": "2026-03-10"})
    assert missing.status_code == 422 and "没有案号" in missing.content.decode()
    same_body = client.post(url, {"evidence": ev.pk, "to_case_number": source.number, "on": "2026-03-10"})
    assert same_body.status_code == 422 and "ZJ-018" in same_body.content.decode()
    ok(client.post(url, {"evidence": ev.pk, "to_case_number": target.number, "on": "2026-03-10"}))
    copy = Evidence.objects.get(case=target)
    assert copy.shared_from == ev and copy.sha256 == ev.sha256 and copy.file.name == ev.file.name
    assert not copy.verified and cw.zf.short_name in copy.source  # the receiving body verifies it itself


def test_the_heads_workbench_lists_what_waits_for_the_head(cw, client):
    from cases import services as S
    from cases.tests.helpers import D, at

    case = _filed(cw)
    S.recusal_apply(actor=cw.bureau_officer, case=case, officer=cw.o2, applicant="party", reason="与当事人系亲属",
                    on=D(2026, 3, 7))
    other = _filed(cw)
    S.crime_report(actor=cw.bureau_officer, case=other, report_at=at(D(2026, 3, 10)))
    client.force_login(cw.zf_head)
    body = client.get(reverse("cases:workbench")).content.decode()
    assert "待负责人决定（2）" in body and "回避申请：叶二" in body and "涉嫌犯罪移送审批" in body
    assert 'href="/cases/"' in body  # the navigation offers the workbench to the head
    client.force_login(cw.bureau_officer)
    assert "待负责人决定" not in client.get(reverse("cases:workbench")).content.decode()


def test_the_head_approves_an_emergency_seizure_on_its_page(cw, client):
    """QZ-018-019 through the forms: the measure taken on the spot waits for the head, who sees what was
    done and approves it; the step is then gone."""
    from cases import services as S
    from cases.choices import ActKind
    from cases.models import CaseApproval
    from cases.tests.helpers import at, file_case

    case = open_case(cw)
    file_case(cw, case)
    S.act_record(actor=cw.bureau_officer, case=case, kind=ActKind.SEIZE, started_at=at(dt.date(2026, 3, 9), 9),
                 ended_at=at(dt.date(2026, 3, 9), 10), place="人民路1号", officers=[cw.o1, cw.o2], id_shown=True,
                 record="扣押清单：熟食20公斤", party_signed=True, emergency=True, av_sha256="a" * 64,
                 av_started_at=at(dt.date(2026, 3, 9), 8), av_ended_at=at(dt.date(2026, 3, 9), 11))
    request = CaseApproval.objects.get(case=case, kind="emergency")
    client.force_login(cw.bureau_officer)
    assert post_step(client, case, "emergency_approve", {"approval": request.pk, "approved": "1",
                                                          "on": "2026-03-10"}).status_code == 403
    client.force_login(cw.zf_head)
    page = client.get(reverse(STEP, args=[case.pk, "emergency_approve"])).content.decode()
    assert "扣押清单：熟食20公斤" in page and "不批准，立即解除" in page
    ok(post_step(client, case, "emergency_approve", {"approval": request.pk, "approved": "1", "on": "2026-03-10"}))
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == cw.zf_head
    assert reverse(STEP, args=[case.pk, "emergency_approve"]) not in client.get(case.get_absolute_url()).content.decode()


def test_a_preservation_asked_approved_and_used_through_the_forms(cw, client):
    from cases.models import CaseApproval
    from cases.tests.helpers import file_case

    case = open_case(cw)
    file_case(cw, case)
    client.force_login(cw.bureau_officer)
    ok(post_step(client, case, "measure_request", {"kind": "preservation", "on": "2026-03-09",
                                                    "reason": "账册3本，可能灭失"}))
    asked = CaseApproval.objects.get(case=case, kind="measure")
    client.force_login(cw.zf_head)
    ok(post_step(client, case, "measure_approve", {"approval": asked.pk, "approved": "1", "on": "2026-03-09"}))
    client.force_login(cw.bureau_officer)
    form = client.get(reverse(STEP, args=[case.pk, "act"])).content.decode()
    assert f'value="{asked.pk}"' in form  # offered in the act form
    ok(post_step(client, case, "act", {
        "kind": "preservation", "started_at": "2026-03-10T09:00", "ended_at": "2026-03-10T10:00", "place": "仓库",
        "officers": [cw.o1.pk, cw.o2.pk], "id_shown": "on", "record": "保存物品：账册3本", "party_present": "on",
        "party_signed": "on", "approval": asked.pk}))
    assert Act.objects.get(case=case, kind="preservation").approval_ref.endswith(f"（审批#{asked.pk}）")


def test_a_late_hearing_request_goes_to_the_head_through_the_forms(cw, client):
    from decimal import Decimal

    from cases.tests.helpers import notice, propose, ready_for_notice

    case = ready_for_notice(cw)
    propose(cw, case, fine=Decimal(100000))
    notice(cw, case, on=dt.date(2026, 3, 18))
    client.force_login(cw.bureau_officer)
    late = post_step(client, case, "hearing_request", {"requested_on": "2026-03-26", "late_reason": ""})
    assert late.status_code == 422 and "当事人逾期的理由" in late.content.decode()
    ok(post_step(client, case, "hearing_request", {"requested_on": "2026-03-26", "late_reason": "住院"}))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOTICE_SERVED
    client.force_login(cw.zf_head)
    page = client.get(reverse(STEP, args=[case.pk, "late_hearing"])).content.decode()
    assert "承办人意见：住院" in page
    ok(post_step(client, case, "late_hearing", {"approved": "1", "on": "2026-03-27"}))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.HEARING_REQUESTED


def test_XF_046_a_reports_photo_becomes_evidence_with_its_provenance(cw, client, settings, tmp_path):
    """调取: the photo a citizen sent with the report the case was opened from is registered as evidence —
    the same bytes (hash checked against intake), who provided it, still to be verified."""
    import pytest

    from cases import services as S
    from cases.models import Evidence
    from cases.tests.helpers import file_case
    from core.exceptions import RuleViolation
    from intake.services import NewAttachment, event_submit

    settings.MEDIA_ROOT = tmp_path
    photo = b"\x89PNG\r\n\x1a\n" + b"\x01" * 80
    event = event_submit(channel="citizen", text="人民路1号无证经营熟食，卫生很差", lng=118.7, lat=28.9,
                         attachments=[NewAttachment("shop.png", photo)]).event
    other = event_submit(channel="citizen", text="另一处的问题，与本案无关", lng=118.2, lat=28.3,
                         attachments=[NewAttachment("other.png", photo + b"2")]).event
    case = open_case(cw, events=[event])
    file_case(cw, case)
    attachment, unrelated = event.attachments.get(), other.attachments.get()
    client.force_login(cw.bureau_officer)
    url = reverse(STEP, args=[case.pk, "evidence"])
    page = client.get(url).content.decode()
    assert f"{event.ticket} · 上报 · shop.png" in page and "other.png" not in page
    data = {"kind": "audiovisual", "description": "群众拍摄的经营现场照片", "collected_on": "2026-03-09",
            "collectors": [cw.o1.pk, cw.o2.pk], "method": "调取群众报告所附照片", "lawful": "on"}
    refused = client.post(url, {**data, "report_file": unrelated.pk})
    assert refused.status_code in (400, 422) and not Evidence.objects.filter(case=case).exists()
    ok(client.post(url, {**data, "report_file": attachment.pk}))
    ev = Evidence.objects.get(case=case)
    assert ev.sha256 == attachment.sha256 and ev.file.read() == photo and not ev.verified
    assert event.ticket in ev.source and "报告人提供" in ev.source
    # the stored report file no longer matches the hash taken on intake: it is not evidence
    with open(attachment.file.path, "wb") as handle:
        handle.write(photo + b"tampered")
    with pytest.raises(RuleViolation) as exc:
        S.evidence_add(actor=cw.bureau_officer, case=case, kind="audiovisual", description="再次调取",
                       collected_on=dt.date(2026, 3, 9), collectors=[cw.o1, cw.o2], method="调取",
                       report_file=attachment)
    assert "哈希值不符" in exc.value.message and Evidence.objects.filter(case=case).count() == 1
    with pytest.raises(RuleViolation):
        S.evidence_add(actor=cw.bureau_officer, case=case, kind="audiovisual", description="调取无关附件",
                       collected_on=dt.date(2026, 3, 9), collectors=[cw.o1, cw.o2], method="调取",
                       report_file=unrelated)


def test_XF_033_the_no_penalty_ground_through_the_form(cw, client):
    """The proposal form asks which of 第三十三条's grounds applies to a minor violation, says so per field when it is
    missing or when the party is no first offender, and the case page shows the ground chosen."""
    from decimal import Decimal

    from cases.tests.helpers import D, ready_for_notice, ready_to_decide

    earlier = ready_to_decide(cw, n=8, code=uscc(9))
    S.case_decide(actor=cw.zf_head, case=earlier, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    case = ready_for_notice(cw, n=10, code=uscc(9), act_date=D(2026, 3, 3))
    client.force_login(cw.bureau_officer)
    data = {"on": dt.date.today().isoformat(), "outcome": "no_penalty_minor", "reasons": "及时改正"}
    resp = post_step(client, case, "propose", data)
    assert resp.status_code == 422 and "请选择" in resp.content.decode()
    resp = post_step(client, case, "propose", {**data, "ground": "first"})
    page = resp.content.decode()
    assert resp.status_code == 422 and "不属于初次违法" in page and earlier.number in page
    assert Case.objects.get(pk=case.pk).outcome == ""
    ok(post_step(client, case, "propose", {**data, "ground": "minor"}))
    page = client.get(case.get_absolute_url()).content.decode()
    assert "违法行为轻微，不予行政处罚" in page and "违法行为轻微并及时改正，没有造成危害后果（不予处罚）" in page

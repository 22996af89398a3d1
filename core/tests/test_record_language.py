"""Records are written in Chinese whatever language the person who caused them reads.

The UI follows each user's language, but what the services store — transition reasons, routing
explanations, notifications, deadline labels, approvals, evidence sources, the fields of legal documents —
is the county's record and is read by everyone else (and printed on 行政执法文书). A choice label such as
"留置送达" is a lazy translation: formatted inside a request in English it would be stored as "Left at
residence". These tests do the work in English and then read every text column of every model for an
English phrase from our catalogue.
"""

import datetime as dt
import json
import re
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.translation import trans_real

from cases import services as S
from cases.choices import ActKind, ServiceMethod
from cases.models import CaseApproval, Document
from cases.tests.helpers import D, at, close_case, file_case, open_case, ready_to_decide
from core import clock
from dispatch import services as dispatch
from intake.models import Event
from intake.services import event_submit

OUR_APPS = {"core", "org", "catalogue", "parties", "intake", "dispatch", "cases"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_phrases() -> list[str]:
    """English msgstrs of Chinese msgids, long enough not to occur by chance in Chinese text or codes."""
    catalog = trans_real.translation("en")._catalog
    phrases = set()
    for key, value in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key.split("\x04")[-1]
        if CJK.search(msgid) and value and not CJK.search(value) and re.search(r"[A-Za-z]{4}", value):
            text = re.split(r"%\(|\{", value)[0].strip(" :;,.")  # the fixed start of a formatted message
            if len(text) >= 6 and (text[0].isupper() or " " in text):  # not a JSON key such as "confidence"
                phrases.add(text)
    return sorted(phrases, key=len, reverse=True)


def stored_text() -> list[tuple[str, str]]:
    """Every non-empty text value (char, text and JSON columns) in our apps' tables."""
    out = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        for row in model.objects.values_list(*[f.attname for f in fields]) if fields else ():
            for field, value in zip(fields, row, strict=True):
                if value in (None, "", [], {}):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                out.append((f"{model._meta.label}.{field.name}", text))
    return out


def english_in_records() -> list[tuple[str, str, str]]:
    phrases = english_phrases()
    found = []
    for where, text in stored_text():
        for phrase in phrases:
            if phrase in text:
                found.append((where, phrase, text[:120]))
                break
    return found


def handle_a_grid_report(iw) -> Event:
    """A grid worker's report, signed for, handled and verified."""
    e = event_submit(channel="grid", actor=iw.grid_tianma, text="天马街道人民路有人占道摆摊经营",
                     lng=iw.tianma_point[0], lat=iw.tianma_point[1], category_code="0504").event
    ins = e.instructions.get()
    dispatch.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    dispatch.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    dispatch.event_verify(actor=iw.grid_tianma, event=e, passed=True, note="现场已无摊点")
    return e


def test_the_scanner_finds_an_english_label_stored_by_mistake(iw):
    """The check can fail: a label formatted in English and stored is found."""
    with translation.override("en"):
        reason = f"受理（{Event(channel='grid').get_channel_display()}）"
    e = event_submit(channel="grid", actor=iw.grid_tianma, text="天马街道人民路有人占道摆摊经营",
                     lng=iw.tianma_point[0], lat=iw.tianma_point[1], category_code="0504").event
    assert english_in_records() == []
    e.transitions.update(reason=reason)
    assert {(where, phrase) for where, phrase, _ in english_in_records()} == {
        ("intake.EventTransition.reason", "Grid worker")}


def test_an_event_handled_in_english_is_recorded_in_chinese(iw):
    with translation.override("en"):
        handle_a_grid_report(iw)
        # a hotline call with only a village's name: the operator finds the town and routes it by hand;
        # two returns make a dispute, which the guidance office rules
        call = event_submit(channel="hotline", source=iw.hotline, external_id="H-1",
                            text="小区门口有人私设地锁占用公共车位", address="辉埠镇某小区").event
        dispatch.triage_assign(actor=iw.operator, event=call, department=iw.zf, team=iw.bureau_team,
                               reason="疑似占道", town=iw.huibu)
        dispatch.event_return(actor=iw.bureau_officer, event=call, reason="私设地锁属物业管理，不属城管")
        dispatch.triage_assign(actor=iw.operator, event=call, department=iw.zj, team=iw.zj_team, reason="物业管理")
        dispatch.event_return(actor=iw.zj_officer, event=call, reason="占用公共车位属于执法事项")
        dispatch.dispute_rule(actor=iw.guidance, dispute=call.disputes.get(), department=iw.zf,
                              ruling="占用公共区域私设地锁由综合行政执法部门查处",
                              new_boundary_rule={"matter": "私设地锁", "keywords": ["地锁"]})
        whistle = dispatch.whistle_blow(actor=iw.tianma_officer, title="人民路违建联合拆除", description="需住建协助",
                                        town=iw.tianma, action_at=clock.now() + dt.timedelta(days=1),
                                        place="人民路12号", calls=[(iw.zj, "提供图纸"), (iw.scjg, "查处无照经营")])
    # the overdue sweep runs in the worker, in the default language
    dispatch.deadlines_sweep(now=whistle.calls.first().report_due + dt.timedelta(days=30))
    assert Event.objects.get(pk=call.pk).status == "routed"
    print(*english_in_records(), sep="\n")
    assert english_in_records() == []


def seized_case(cw):
    """A filed case with a seizure: the measure's approval, its record and its 30-day period."""
    other = open_case(cw, n=2)
    file_case(cw, other)
    asked = S.measure_approval_request(actor=cw.bureau_officer, case=other, kind=ActKind.SEIZE,
                                       on=D(2026, 3, 9), reason="熟食20公斤，可能转移")
    S.measure_approval_decide(actor=cw.zf_head, case=other, approval=asked, on=D(2026, 3, 9), approved=True)
    S.act_record(actor=cw.bureau_officer, case=other, kind=ActKind.SEIZE, approval=asked,
                 started_at=at(D(2026, 3, 10), 9), ended_at=at(D(2026, 3, 10), 10), place="仓库",
                 officers=[cw.o1, cw.o2], id_shown=True, record="扣押清单：熟食20公斤", party_signed=True,
                 av_sha256="a" * 64, av_started_at=at(D(2026, 3, 10), 8), av_ended_at=at(D(2026, 3, 10), 11))
    return other


def test_a_case_handled_in_english_is_recorded_and_printed_in_chinese(cw):
    with translation.override("en"):
        case = ready_to_decide(cw)
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
        S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24),
                     method=ServiceMethod.LEFT_AT_RESIDENCE, receiver="当事人", signed=False,
                     refusal_note="拒绝签收", witness="村委会主任")
        S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 4, 1))
        close_case(cw, case, D(2026, 4, 2))
        S.case_archive(actor=cw.bureau_officer, case=case, on=D(2026, 4, 3))
        # a seizure in another case: the measure's approval, its record and its 30-day period
        other = seized_case(cw)
    receipt = Document.objects.get(case=case, doc_type="service_receipt")
    print(*english_in_records(), sep="\n")
    assert receipt.fields["method"] == "留置送达"
    assert CaseApproval.objects.filter(case=other, kind="measure").exists()
    assert english_in_records() == []


def test_the_routing_explanation_is_recorded_in_chinese_and_read_in_the_readers_language(iw, client):
    with translation.override("en"):
        auto = event_submit(channel="grid", actor=iw.grid_tianma, text="天马街道人民路有人占道摆摊经营",
                            lng=iw.tianma_point[0], lat=iw.tianma_point[1], category_code="0504").event
        hand = event_submit(channel="hotline", source=iw.hotline, external_id="H-2", text="有人私设地锁占用公共车位",
                             address="某小区").event
        dispatch.triage_assign(actor=iw.operator, event=hand, department=iw.zf, team=iw.bureau_team,
                               reason="疑似占道", town=iw.huibu)
    routed, triaged, manual = (auto.decisions.get().explanation, *[d.explanation for d in hand.decisions.all()])
    assert routed["summary"] == ("依据事项 330822010002（《城市市容和环境卫生管理条例》第三十四条）；该事项已赋权天马街道，"
                                 "由常山县天马街道办事处（天马片区综合行政执法队）负责")
    low = triaged["triage"][2]
    assert triaged["triage_reasons"] == ["无法确定发生地所在镇街", "未找到责任主体",
                                         f"置信度 {low['confidence']} 低于自动分派阈值 {low['threshold']}"]
    assert manual["summary"] == "指挥中心人工分拨：疑似占道" and manual["town"]["source"] == "指挥中心核定"

    client.force_login(iw.operator)
    page = client.get(f"/intake/events/{auto.pk}/").content.decode()
    assert routed["summary"] in page and "按定位" in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/intake/events/{auto.pk}/").content.decode()
    assert ("By item 330822010002 (《城市市容和环境卫生管理条例》第三十四条); the item is delegated to 天马街道, "
            "常山县天马街道办事处 (天马片区综合行政执法队) is responsible") in page
    assert "(From the position)" in page  # the record of transitions below still quotes the stored sentence
    page = client.get(f"/intake/events/{hand.pk}/").content.decode()
    assert "Routed by the command centre: 疑似占道" in page
    assert ("the town where it happened could not be determined; no responsible body found; "
            f"confidence {low['confidence']} is below the automatic routing threshold {low['threshold']}") in page


def test_notifications_are_recorded_in_chinese_and_read_in_the_readers_language(cw, client):
    from core.models import Notification

    with translation.override("en"):
        case = open_case(cw)
        lead = case.label  # "线索#1" until it is filed
        file_case(cw, case, head=None)  # asks the head: a notice to each head, by name
    notice = Notification.objects.filter(text__startswith="待审批：").latest("pk")
    assert notice.text == f"待审批：立案审批（{lead}）bureau_officer：符合立案条件"
    assert notice.message == "待审批：%(kind)s（%(case)s）%(by)s：%(opinion)s"
    client.force_login(notice.user)
    assert notice.text in client.get("/notifications/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get("/notifications/").content.decode()
    assert f"Awaiting approval: Filing approval ({lead}), bureau_officer: 符合立案条件" in page
    assert re.search(r"\d+ notices", page) and "Article" not in page  # 条 counts notices here, not a law's articles
    # a notice written before its parts were kept is shown as written
    Notification.objects.filter(pk=notice.pk).update(message="", params={})
    assert notice.text in client.get("/notifications/").content.decode()


def test_an_events_record_is_kept_in_chinese_and_read_in_the_readers_language(iw, client):
    e = handle_a_grid_report(iw)
    reasons = [t.reason for t in e.transitions.all()]
    assert reasons[0] == "受理（网格员）" and reasons[2:] == ["签收指令", "反馈处置结果", "核查通过：现场已无摊点"]
    client.force_login(iw.operator)
    client.cookies["django_language"] = "en"
    page = client.get(f"/intake/events/{e.pk}/").content.decode()
    for said in ("Received (Grid worker)", "Instruction signed for", "Outcome reported", "Verified: 现场已无摊点",
                 "<td>System</td>"):
        assert said in page, said
    # the routing's row is said again from its decision, as the card above it is
    routed = e.transitions.get(new="routed")
    assert routed.reason == e.decisions.get().explanation["summary"] and routed.params == {"decision": e.decisions.get().pk}
    assert re.search(r"<td>By item 330822010002 \(.*?\) is responsible</td>", page)
    # a row written before its parts were kept is shown as written
    e.transitions.filter(reason="签收指令").update(message="", params={})
    assert "<td>签收指令</td>" in client.get(f"/intake/events/{e.pk}/").content.decode()
    # so is a routing row from before 2026-12-06, which kept no decision
    e.transitions.filter(new="routed").update(params={})
    assert f"<td>{routed.reason}</td>" in client.get(f"/intake/events/{e.pk}/").content.decode()


def test_a_triage_row_is_said_again_from_its_decisions_reasons():
    from dispatch.routing import transition_said
    from intake.models import EventTransition

    shown = {7: {"summary": "…", "triage_reasons": ["no responsible body found", "confidence 0.20 is below 0.55"]}}
    with translation.override("en"):
        row = EventTransition(new="triage", reason="未找到责任主体；置信度 0.20 低于自动分派阈值 0.55", params={"decision": 7})
        assert transition_said(row, shown) == "no responsible body found; confidence 0.20 is below 0.55"
        assert transition_said(EventTransition(new="triage", reason="原文", params={"decision": 8}), shown) == "原文"


def test_a_cases_record_is_kept_in_chinese_and_read_in_the_readers_language(cw, client):
    case = ready_to_decide(cw)
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24),
                 method=ServiceMethod.LEFT_AT_RESIDENCE, receiver="当事人", signed=False,
                 refusal_note="拒绝签收", witness="村委会主任")
    served = case.transitions.get(new="served")
    assert served.reason == "送达（留置送达）" and served.message == "送达（%(method)s）"
    client.force_login(cw.bureau_officer)
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Served (Left at residence)" in page and "Investigation started" in page
    # the record says what was done, not the step's imperative: same Chinese, the catalogue's "case record"
    decided = case.transitions.get(new="decided")
    assert decided.reason == "作出行政处罚决定" and decided.params == {"_context": "case record"}
    assert "Penalty decision made" in page and "Make the penalty decision" not in page


def test_deadline_labels_are_kept_in_chinese_and_read_in_the_readers_language(cw, client):
    """A deadline's label is the record's (Chinese) and keeps its parts, so the case page, the workbench,
    the command centre's 超期督办 and the reminders say it in the reader's language."""
    from core.models import Deadline

    with translation.override("en"):  # handled in English: stored in Chinese all the same
        case = ready_to_decide(cw)
        S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
        S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                     receiver="当事人")
        other = seized_case(cw)
    payment = Deadline.objects.get(object_id=str(case.pk), kind="case.payment")
    seizure = Deadline.objects.get(object_id=str(other.pk), kind__startswith="case.seizure.")
    assert payment.label == f"{case.number} 缴纳罚款" and payment.shown == payment.label
    assert seizure.label == f"{other.label} 扣押期限（30日）"
    with translation.override("en"):
        assert payment.shown == f"{case.number}: payment of the fine"
        assert seizure.shown == f"{other.label}: {ActKind.SEIZE.label}: time limit (30 days)"
    client.force_login(cw.bureau_officer)
    client.cookies["django_language"] = "en"
    assert f"{case.number}: payment of the fine" in client.get(f"/cases/{case.pk}/").content.decode()
    clue = Deadline.objects.filter(kind="case.verify").first()  # a clue's, before 立案: its register number
    assert clue.label.startswith("线索#")
    with translation.override("en"):
        assert clue.shown.startswith("Clue #") and clue.shown.endswith(": check the clue and decide on filing")
    # how each time was computed is kept the same way: the record's Chinese, the reader's language
    assert payment.basis.startswith("2026-03-24 + ") and payment.basis.endswith(" 日")
    with translation.override("en"):
        assert re.fullmatch(r"2026-03-24 \+ \d+ day\(s\)", payment.basis_shown)
        S.seizure_testing(actor=cw.bureau_officer, case=other, act=other.acts.get(kind=ActKind.SEIZE),
                          started_on=D(2026, 3, 11), ended_on=D(2026, 3, 13), lab="县检测中心",
                          party_notified_on=D(2026, 3, 11))
    seizure.refresh_from_db()
    assert seizure.basis.endswith("；检测3日不计入") and "个工作日" not in seizure.basis
    with translation.override("en"):
        assert seizure.basis_shown.endswith("; 3 day(s) of testing not counted") and "日" not in seizure.basis_shown
    assert "3 day(s) of testing not counted" in client.get(f"/cases/{other.pk}/").content.decode()
    # a row kept before its parts were shows its stored text
    Deadline.objects.filter(pk=payment.pk).update(message="", params={})
    payment.refresh_from_db()
    with translation.override("en"):
        assert payment.shown == f"{case.number} 缴纳罚款"

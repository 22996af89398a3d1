"""部门移送 (ZJ-016): a 业务主管部门 keeps supervision and refers what needs a case to enforcement; the receiving body
answers within the acceptance limit (§4.9), and the department hears what became of its referral at every step
that answers it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cases import services as S
from cases.choices import ServiceMethod
from cases.models import Case
from cases.tests.helpers import D, close_case, file_case, investigate, notice, propose, review_pass, to_review
from core.config import config_get
from core.exceptions import ValidationFailed
from core.models import AuditRecord, Deadline, Notification
from core.workdays import add_working_days
from dispatch import services
from dispatch.access import events_visible_to, report_channels
from intake.choices import Channel, EventStatus, Priority
from intake.models import Event
from intake.services import api_client_create, event_submit
from org.choices import Role

TEXT = "日常检查发现人民路某饭店未取得食品经营许可从事熟食经营，已拍照取证，移送立案查处"


def refer(w, **kw):
    from core import clock

    data = dict(channel=Channel.REFERRAL, actor=w.scjg_supervisor, text=TEXT, lng=w.tianma_point[0],
                lat=w.tianma_point[1], category_code="1001", found_on=clock.today())
    data.update(kw)
    return event_submit(**data).event


def test_a_department_supervisor_refers_on_the_report_page_and_nothing_else(iw, client):
    """The supervisor's post files 部门移送 and only that; the page says what a referral is, and the menu offers
    it as 移送线索."""
    assert report_channels(iw.scjg_supervisor) == [Channel.REFERRAL]
    client.force_login(iw.scjg_supervisor)
    page = client.get(reverse("intake:report")).content.decode()
    assert "<h1>移送线索</h1>" in page and "ZJ-016" in page and 'name="channel"' not in page
    assert 'href="/intake/report/"' in client.get(reverse("home")).content.decode()
    form = {"text": TEXT, "category": iw.cat_food.pk, "priority": "normal", "lng": iw.tianma_point[0],
            "lat": iw.tianma_point[1]}
    refused = client.post(reverse("intake:report"), form)  # when the department found it: the form asks
    assert refused.status_code == 200 and Event.objects.count() == 0
    assert "发现日期" in refused.content.decode() and "field-error" in refused.content.decode()
    r = client.post(reverse("intake:report"), {**form, "found_on": "2026-12-01"})
    assert r.status_code == 302, r.content.decode()[:300]
    event = Event.objects.get()
    assert event.found_on == D(2026, 12, 1)
    assert event.channel == Channel.REFERRAL and event.reporter == iw.scjg_supervisor
    assert event.referring_department_id == iw.scjg.pk
    with pytest.raises(ValidationFailed) as refused:  # a supervisor's finding is a referral, not a grid report
        event_submit(channel=Channel.GRID, actor=iw.scjg_supervisor, text=TEXT, lng=iw.tianma_point[0],
                     lat=iw.tianma_point[1])
    assert refused.value.errors["channel"] == ["业务主管部门不能按“网格员”渠道上报（可选：部门移送）"]
    assert Event.objects.count() == 1


def test_only_referrals_name_a_referring_department(iw):
    """A department system's key refers for its department; a grid worker's report or a hotline call refers for
    nobody, even where the system sending it belongs to a department."""
    system, _key = api_client_create(actor=iw.admin, name="市场监管业务系统", kind="department", department=iw.scjg)
    by_system = event_submit(channel=system.channel, source=system, external_id="SC-1", text=TEXT,
                             lng=iw.tianma_point[0], lat=iw.tianma_point[1]).event  # a system may not know when
    assert by_system.channel == Channel.REFERRAL and by_system.referring_department_id == iw.scjg.pk
    assert by_system.found_on is None and by_system.referral_due is None and by_system.referral_late_days == 0
    grid = event_submit(channel=Channel.GRID, actor=iw.grid_tianma, text="天马街道人民路有人占道摆摊经营",
                        lng=iw.huibu_point[0], lat=iw.huibu_point[1]).event
    assert grid.referring_department_id is None
    hotline = event_submit(channel=Channel.HOTLINE, source=iw.hotline, external_id="H-1", text="文峰路饭店油烟直排",
                           lng=iw.tianma_point[0] + 0.03, lat=iw.tianma_point[1]).event
    assert hotline.referring_department_id is None


def test_a_department_system_must_name_its_department(iw):
    """A department system's reports are its department's referrals: a key for one is refused without the
    department, the field named, in the reader's language, and nothing is created."""
    from intake.models import ApiClient

    with pytest.raises(ValidationFailed) as refused:
        api_client_create(actor=iw.admin, name="部门系统", kind="department")
    assert list(refused.value.errors) == ["department"]
    with translation.override("en"), pytest.raises(ValidationFailed) as in_english:
        api_client_create(actor=iw.admin, name="部门系统", kind="department")
    assert in_english.value.errors["department"][0].startswith("A department system must name its department")
    assert not ApiClient.objects.filter(name="部门系统").exists()


def test_the_department_follows_what_it_referred(iw):
    """Every member of the referring department sees the referral, filed by a colleague or its system; another
    department does not."""
    event = refer(iw)
    colleague = type(iw.scjg_supervisor).objects.create(username="scjg_2", role=Role.DEPT_SUPERVISOR,
                                                         department=iw.scjg)
    assert events_visible_to(colleague).filter(pk=event.pk).exists()
    assert not events_visible_to(iw.zj_officer).filter(pk=event.pk).exists()


def test_a_low_priority_referral_is_answered_within_the_acceptance_limit(iw):
    """referral.acceptance_decision.max_working_days (5, §4.9) caps the feedback limit of a referral's
    instruction: a low-priority instruction would have 10 working days, a referral gets 5; the deadline names
    the setting it came from."""
    event = refer(iw, priority=Priority.LOW)
    instruction = event.instructions.get()
    feedback = Deadline.objects.get(kind="instruction.feedback", object_id=str(instruction.pk))
    assert feedback.rule == "referral.acceptance_decision.max_working_days"
    issued = instruction.issued_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert instruction.feedback_due.date() == add_working_days(issued, config_get(
        "referral.acceptance_decision.max_working_days")).due
    other = event_submit(channel=Channel.GRID, actor=iw.grid_tianma, text="天马街道人民路有人占道摆摊经营",
                         category_code="0504", priority=Priority.LOW, lng=iw.tianma_point[0] + 0.03,
                         lat=iw.tianma_point[1]).event
    assert Deadline.objects.get(kind="instruction.feedback", object_id=str(other.instructions.get().pk)).rule == \
        "dispatch.feedback_working_days.low"
    urgent = refer(iw, priority=Priority.URGENT, text="日常检查发现文峰路某超市销售过期食品，移送查处",
                   lng=iw.tianma_point[0] + 0.05)
    assert Deadline.objects.get(kind="instruction.feedback", object_id=str(urgent.instructions.get().pk)).rule == \
        "dispatch.feedback_working_days.urgent"  # 1 day: sooner than the referral limit, kept


def test_the_department_hears_when_its_referral_is_closed_or_ended(iw):
    """The answer to the referral reaches the department's notices: closed with the outcome; ended by the command
    centre as no matter for anyone."""
    event = refer(iw)
    instruction = event.instructions.get()
    officer = iw.scjg_officer if instruction.department == iw.scjg else iw.tianma_officer
    services.instruction_sign(actor=officer, instruction=instruction)
    services.instruction_feedback(actor=officer, instruction=instruction, outcome="已登记线索，立案调查")
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED  # a department's referral is not waiting for 核查
    notice = Notification.objects.get(department=iw.scjg, text__startswith="贵单位移送")
    assert notice.text == f"贵单位移送的线索 {event.ticket} 已办结：已登记线索，立案调查"
    assert notice.link == event.get_absolute_url()
    with translation.override("en"):
        assert notice.shown == f"The lead your department referred, {event.ticket}, has been closed: 已登记线索，立案调查"
    ended = refer(iw, text="测试数据，请忽略，重复测试一次", lng=iw.huibu_point[0], lat=iw.huibu_point[1],
                  category_code=None, route=False)
    assert ended.status == EventStatus.TRIAGE
    services.event_invalidate(actor=iw.operator, event=ended, reason="测试数据")
    assert Notification.objects.filter(department=iw.scjg, text__contains="经核实不属于可受理的问题").count() == 1


def test_a_case_opened_from_a_referral_reports_back_at_each_answer(iw, cw):
    """ZJ-016 结果反馈: a clue opened from the referral keeps the department; it hears of the filing, the decision
    (the penalty as the decision states it) and the closing, each on its day, each audited."""
    event = refer(iw)
    case = S.case_open(actor=cw.bureau_officer, department=cw.zf, item=cw.item_food, party_kind="org",
                       party_name="常山测试1食品有限公司", party_code=_code(),
                       party_address="常山县天马街道人民路1号", cause="未取得食品经营许可从事食品经营",
                       act_date=D(2026, 3, 2), discovery_date=D(2026, 3, 5), location="天马街道人民路1号",
                       source=f"部门移送 {event.ticket}", summary=TEXT, events=[event])
    assert case.referring_department == cw.scjg
    assert AuditRecord.objects.get(action="cases.case.open", object_id=str(case.pk)).after["referring_department_id"] == cw.scjg.pk
    file_case(cw, case)
    filed = Notification.objects.get(department=cw.scjg, text__contains="已立案")
    case.refresh_from_db()
    assert filed.text == f"贵单位移送的未取得食品经营许可从事食品经营已立案（{case.number}）"
    assert case.referral_feedback_on == D(2026, 3, 6)
    investigate(cw, case)
    to_review(cw, case)
    propose(cw, case)
    notice(cw, case)
    review_pass(cw, case)
    S.waiver_record(actor=cw.bureau_officer, case=case, on=D(2026, 3, 19), statement=b"%PDF-1.4 waiver")
    S.case_decide(actor=cw.zf_head, case=case, decided_on=D(2026, 3, 23), types=["fine"], fine=Decimal(60000))
    decided = Notification.objects.get(department=cw.scjg, text__contains="已作出决定")
    assert decided.text.startswith("贵单位移送的未取得食品经营许可从事食品经营已作出决定：罚款") and "60000" in decided.text
    S.case_serve(actor=cw.bureau_officer, case=case, served_on=D(2026, 3, 24), method=ServiceMethod.DIRECT,
                 receiver="x")
    S.payment_record(actor=cw.bureau_officer, case=case, amount=Decimal(60000), paid_on=D(2026, 4, 1))
    close_case(cw, case, D(2026, 10, 1))
    assert Case.objects.get(pk=case.pk).referral_feedback_on == D(2026, 10, 1)
    assert list(AuditRecord.objects.filter(action="cases.referral.feedback", object_id=str(case.pk))
                .order_by("pk").values_list("after__status", flat=True)) == ["filed", "decided", "closed"]
    assert Notification.objects.filter(department=cw.scjg).count() == 3


def test_answers_told_before_the_feed_are_recovered_for_it(iw, cw):
    """0029: before 0028 an answer was a notice and an audit record only. The backfill pairs them, in order, into
    the feed's rows — the notice's words (said again in English), the record's status and date; a case whose
    records and notices do not pair one to one is left alone, and a case already answered in the feed is not
    answered twice."""
    import importlib

    from django.apps import apps

    from cases.models import ReferralFeedback

    backfill = importlib.import_module("cases.migrations.0029_referral_feedback_from_audit").backfill
    event = refer(iw)
    case = S.case_open(actor=cw.bureau_officer, department=cw.zf, item=cw.item_food, party_kind="org",
                       party_name="常山测试3食品有限公司", party_code=_code(3), party_address="常山县天马街道人民路3号",
                       cause="未取得食品经营许可从事食品经营", act_date=D(2026, 3, 2), discovery_date=D(2026, 3, 5),
                       location="天马街道人民路3号", source=f"部门移送 {event.ticket}", summary=TEXT, events=[event])
    file_case(cw, case)
    from cases.tests.helpers import not_file

    other = S.case_open(actor=cw.bureau_officer, department=cw.zf, item=cw.item_food, party_kind="org",
                        party_name="常山测试4食品有限公司", party_code=_code(4), party_address="常山县天马街道人民路4号",
                        cause="未取得食品经营许可从事食品经营", act_date=D(2026, 3, 2), discovery_date=D(2026, 3, 5),
                        location="天马街道人民路4号", source=f"部门移送 {event.ticket}", summary=TEXT, events=[event])
    not_file(cw, other, D(2026, 3, 10), reason="经核查，当事人已取得食品经营许可证")
    before = {r.case_id: (r.status, r.text, r.message, r.params, r.on) for r in ReferralFeedback.objects.all()}
    assert len(before) == 2
    ReferralFeedback.objects.all().delete()  # as it was before 0028
    Notification.objects.filter(link=other.get_absolute_url()).delete()  # a notice gone: nothing to pair with
    backfill(apps, None)
    assert {r.case_id: (r.status, r.text, r.message, r.params, r.on) for r in ReferralFeedback.objects.all()} == {
        case.pk: before[case.pk]}
    with translation.override("en"):
        assert ReferralFeedback.objects.get().shown.startswith("The case your department referred, ")
    backfill(apps, None)  # run again: the case is answered in the feed already
    assert ReferralFeedback.objects.count() == 1


def test_a_referral_not_taken_on_is_answered_with_the_reason(iw, cw):
    event = refer(iw)
    case = S.case_open(actor=cw.bureau_officer, department=cw.zf, item=cw.item_food, party_kind="org",
                       party_name="常山测试2食品有限公司", party_code=_code(2), party_address="常山县天马街道人民路2号",
                       cause="未取得食品经营许可从事食品经营", act_date=D(2026, 3, 2), discovery_date=D(2026, 3, 5),
                       location="天马街道人民路2号", source=f"部门移送 {event.ticket}", summary=TEXT, events=[event])
    from cases.tests.helpers import not_file

    not_file(cw, case, D(2026, 3, 10), reason="经核查，当事人已取得食品经营许可证")
    assert Notification.objects.get(department=cw.scjg).text == \
        "贵单位移送的未取得食品经营许可从事食品经营不予立案：经核查，当事人已取得食品经营许可证"


def _code(n: int = 1) -> str:
    from cases.tests.helpers import uscc

    return uscc(n)


def test_the_cooperation_page_shows_how_bodies_answered_referrals(iw, client):
    """ZJ-034-036: the guidance office sees, per receiving body, the referrals answered on time, late, not yet
    answered past the limit, and in hand; one sent back (退单) is not held against the body that let it go."""
    from core import clock

    tz = dt.timezone(dt.timedelta(hours=8))
    with clock.frozen(dt.datetime(2026, 10, 9, 10, tzinfo=tz)):
        late = refer(iw)
        unanswered = refer(iw, text="日常检查发现文峰路某超市销售过期食品，移送查处", lng=iw.tianma_point[0] + 0.05)
        returned = refer(iw, text="日常检查发现定阳路某面馆无证经营，移送查处", lng=iw.tianma_point[0] + 0.1)
    body = late.instructions.get().department
    assert unanswered.instructions.get().department == body == returned.instructions.get().department
    officer = iw.scjg_officer if body == iw.scjg else iw.tianma_officer
    ins = late.instructions.get()
    with clock.frozen(ins.feedback_due + dt.timedelta(days=2)):
        services.instruction_sign(actor=officer, instruction=ins)
        services.instruction_feedback(actor=officer, instruction=ins, outcome="已登记线索，立案调查")
    with clock.frozen(dt.datetime(2026, 10, 10, 9, tzinfo=tz)):
        services.event_return(actor=officer, event=returned, reason="不属于本单位职责，属县综合执法局")
    client.force_login(iw.guidance)
    page = client.get(reverse("cases:cooperation")).content.decode()
    section = page.split("部门移送线索的受理答复")[1]
    row = next(r for r in section.split("<tr>")[2:] if body.name in r)
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[1:6] == ["2", "0", '<span class="tag amber">1</span>', '<span class="tag red">1</span>', "0"]
    assert late.get_absolute_url() in row and unanswered.get_absolute_url() in row
    assert returned.get_absolute_url() not in row


def test_the_day_a_lead_was_found_is_checked_and_dates_the_departments_own_limit(iw):
    """§4.9 referral.business_to_enforcement.max_working_days (5): a supervisor says when the department found the
    lead; not after today, not before it happened, only for a referral — each refusal names found_on and writes
    nothing. A lead referred later than 5 working days after it was found is marked late, by how many days."""
    from core import clock

    tz = dt.timezone(dt.timedelta(hours=8))
    cases = [
        (dict(found_on=D(2026, 12, 9)), "发现日期不能晚于今天"),
        (dict(found_on=D(2026, 11, 30), occurred_at=dt.datetime(2026, 12, 1, 9, tzinfo=tz)), "发现日期不能早于发生时间"),
        (dict(found_on="2026-13-01"), "发现日期格式应为 YYYY-MM-DD，如 2026-11-26"),
        (dict(found_on=None), "请填写发现日期：移送时限自发现之日起算（ZJ-016）"),
        (dict(channel=Channel.INSPECTION, actor=iw.tianma_officer, found_on=D(2026, 12, 1)), "发现日期只用于部门移送的线索"),
    ]
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=tz)):
        for kw, message in cases:
            with pytest.raises(ValidationFailed) as refused:
                refer(iw, **kw)
            assert refused.value.errors["found_on"] == [message], kw
        assert Event.objects.count() == 0
        on_time = refer(iw, found_on=D(2026, 11, 30))  # due 12-07 (5 working days): referred that day
        late = refer(iw, found_on=D(2026, 11, 20), text="日常检查发现文峰路某超市销售过期食品，移送查处",
                     lng=iw.tianma_point[0] + 0.05)  # due 11-27: ten days late
    assert (on_time.referral_due, on_time.referral_late_days) == (D(2026, 12, 7), 0)
    assert (late.referral_due, late.referral_late_days) == (D(2026, 11, 27), 10)
    assert AuditRecord.objects.get(action="intake.event.submit", object_id=str(late.pk)).after["referral_due"] == \
        "2026-11-27"


def test_the_cooperation_page_and_the_report_show_a_late_referral(iw, client):
    from core import clock

    tz = dt.timezone(dt.timedelta(hours=8))
    with clock.frozen(dt.datetime(2026, 12, 7, 10, tzinfo=tz)):
        late = refer(iw, found_on=D(2026, 11, 20))
        refer(iw, found_on=D(2026, 12, 4), text="日常检查发现文峰路某超市销售过期食品，移送查处",
              lng=iw.tianma_point[0] + 0.05)
    system, _key = api_client_create(actor=iw.admin, name="市场监管业务系统", kind="department", department=iw.scjg)
    event_submit(channel=system.channel, source=system, external_id="SC-1", text="日常检查发现定阳路某面馆无证经营",
                 lng=iw.tianma_point[0] + 0.1, lat=iw.tianma_point[1])
    client.force_login(iw.scjg_supervisor)
    page = client.get(late.get_absolute_url()).content.decode()
    assert "2026-11-20" in page and "应于 2026-11-27 前移送" in page and "移送超期 10 日" in page
    client.force_login(iw.guidance)
    section = client.get(reverse("cases:cooperation")).content.decode().split("业务主管部门移送时效")[1]
    assert "发现后 5 个工作日内移送" in section
    row = next(r for r in section.split("<tr>")[2:] if iw.scjg.name in r)
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    assert cells[1:5] == ["3", "2", "1", '<span class="tag amber">1</span>']
    assert late.get_absolute_url() in row and "2026-11-20 发现，超期 10 日" in row


def test_a_referral_merged_into_an_earlier_report_follows_it_to_the_end(iw, cw):
    """A referral the same as an earlier report is linked to it (附议), never dropped: the department is told which,
    may open the earlier report, hears when it is closed, and a case opened from the earlier report keeps it."""
    first = event_submit(channel=Channel.GRID, actor=iw.grid_tianma, text=TEXT, lng=iw.tianma_point[0],
                         lat=iw.tianma_point[1], category_code="1001").event
    referral = refer(iw)
    assert referral.status == EventStatus.DUPLICATE and referral.duplicate_of == first
    merged = Notification.objects.get(department=iw.scjg, text__startswith="贵单位移送")
    assert merged.text == f"贵单位移送的线索 {referral.ticket} 与 {first.ticket} 为同一问题，已合并办理"
    assert events_visible_to(iw.scjg_supervisor).filter(pk=first.pk).exists()
    assert not events_visible_to(iw.zj_officer).filter(pk=first.pk).exists()
    case = S.case_open(actor=cw.bureau_officer, department=cw.zf, item=cw.item_food, party_kind="org",
                       party_name="常山测试3食品有限公司", party_code=_code(3), party_address="常山县天马街道人民路3号",
                       cause="未取得食品经营许可从事食品经营", act_date=D(2026, 3, 2), discovery_date=D(2026, 3, 5),
                       location="天马街道人民路3号", source=f"网格员 {first.ticket}", summary=TEXT, events=[first])
    assert case.referring_department == cw.scjg
    instruction = first.instructions.get()
    officer = {iw.scjg: iw.scjg_officer, iw.zf: iw.bureau_officer, iw.tianma_gov: iw.tianma_officer}[
        instruction.department]
    services.instruction_sign(actor=officer, instruction=instruction)
    services.instruction_feedback(actor=officer, instruction=instruction, outcome="已登记线索，立案调查")
    services.event_verify(actor=iw.operator, event=first, passed=True, note="已立案")
    closed = Notification.objects.get(department=iw.scjg, text__contains="已办结")
    assert closed.text == f"贵单位移送的线索 {referral.ticket} 已办结：已登记线索，立案调查"
    assert closed.link == first.get_absolute_url()


def test_lateness_is_counted_on_the_county_calendar_day_the_referral_arrived(iw):
    """The cooperation report counts in SQL: a referral due on 12-07 that arrives at 00:30 on 12-08 (Beijing time,
    still 12-07 in UTC) is late by a day; one at 23:30 on 12-07 is on time — the same answer as each event's own
    ``referral_late_days``; a department system's and its staff's referrals are one department's."""
    from cases.selectors import referral_timeliness
    from core import clock

    tz = dt.timezone(dt.timedelta(hours=8))
    with clock.frozen(dt.datetime(2026, 12, 7, 23, 30, tzinfo=tz)):
        in_time = refer(iw, found_on=D(2026, 11, 30))
    with clock.frozen(dt.datetime(2026, 12, 8, 0, 30, tzinfo=tz)):
        late = refer(iw, found_on=D(2026, 11, 30), text="日常检查发现文峰路某超市销售过期食品，移送查处",
                     lng=iw.tianma_point[0] + 0.05)
    system, _key = api_client_create(actor=iw.admin, name="市场监管业务系统", kind="department", department=iw.scjg)
    undated = event_submit(channel=system.channel, source=system, external_id="SC-2", text="日常检查发现定阳路某面馆无证经营",
                           lng=iw.tianma_point[0] + 0.1, lat=iw.tianma_point[1]).event
    assert (in_time.referral_due, in_time.referral_late_days, late.referral_due, late.referral_late_days) == \
        (D(2026, 12, 7), 0, D(2026, 12, 7), 1)
    assert undated.referring_department_id == iw.scjg.pk and undated.referral_due is None
    [row] = referral_timeliness()
    assert row["department"] == iw.scjg
    assert (row["referred"], row["dated"], row["on_time"], row["late"]) == (3, 2, 1, 1)
    assert row["worst"] == [late] and row["worst"][0].referral_late_days == 1


def test_a_referral_decided_on_the_spot_is_linked_and_told(iw, cw, client):
    """当场处罚 on a referred report (XF-051, ZJ-016): the officer sent to it opens the simple procedure from the
    report's page, the form carries the report, and the decision is linked to it; the referring department is told
    the decision with its number and penalty, as a notice and in its system's feed."""
    from cases.models import ReferralFeedback

    event = refer(iw, text="日常巡查发现人民路工地运输车辆偷倒建筑垃圾，劝导后仍未整改，移送查处", category_code=None)
    assert event.department == cw.zf, event.department
    client.force_login(cw.bureau_officer)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{reverse("cases:spot")}?event={event.pk}"' in page
    form = client.get(reverse("cases:spot"), {"event": event.pk}).content.decode()
    what = event.text[:40]  # no title: the form offers the report's first words as the violation
    assert f'name="event" value="{event.pk}"' in form and f'value="{what}"' in form
    def items(page):
        return page.split('name="item"')[1].split("</select>")[0]

    assert " selected" not in items(form)
    Event.objects.filter(pk=event.pk).update(item=cw.item_litter)  # as routing names it where the catalogue has it
    form = client.get(reverse("cases:spot"), {"event": event.pk}).content.decode()
    assert f'<option value="{cw.item_litter.pk}" selected>' in items(form)  # the report's item, chosen
    resp = client.post(reverse("cases:spot"), {
        "event": event.pk, "item": cw.item_litter.pk, "party_kind": "person", "party_name": "张三",
        "party_address": "天马街道人民路", "violation": what, "place": "人民路", "fine": "100",
        "officers": [cw.o1.pk, cw.o2.pk]})
    case = Case.objects.get(procedure="simple")
    assert resp.status_code == 302 and list(case.events.all()) == [event] and case.referring_department == iw.scjg
    told = Notification.objects.get(department=iw.scjg, text__contains="当场")
    assert told.text.startswith(f"贵单位移送的{what}已当场作出处罚决定（{case.number}）：罚款") and "100" in told.text
    answer = ReferralFeedback.objects.get(case=case)
    assert (answer.status, answer.text, answer.on) == ("spot_decided", told.text, case.decided_on)
    assert AuditRecord.objects.get(action="cases.spot.decide", object_id=str(case.pk)).after["events"] == [event.ticket]
    assert client.get(reverse("cases:spot"), {"event": "x"}).status_code == 404
    # the report's page says how it was handled — no 立案 in the simple procedure — and, once the instruction is
    # signed, proposes the decision as the 处置结果 the officer still reports (the record's language, whoever reads)
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'已当场处罚：<a href="{case.get_absolute_url()}">{case.number}</a>' in page and "已立案办理" not in page
    assert '<textarea name="outcome" rows="2" cols="40" required></textarea>' not in page  # not signed: no form
    services.instruction_sign(actor=cw.bureau_officer, instruction=event.instructions.get())
    proposed = f"已当场作出行政处罚决定（{case.number}，罚款100元）"
    assert f'<textarea name="outcome" rows="2" cols="40" required>{proposed}</textarea>' in \
        client.get(event.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(event.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert f'Decided on the spot: <a href="{case.get_absolute_url()}">' in page and f">{proposed}</textarea>" in page
    resp = client.post(reverse("intake:action", args=[event.pk, "feedback"]), {"outcome": proposed})
    assert resp.status_code == 302
    event.refresh_from_db()
    assert event.outcome == proposed and event.status == EventStatus.CLOSED

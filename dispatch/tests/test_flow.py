"""Dispatch: sign, feedback, verification, returns → dispute → ruling, escalation, transfer, whistle, campaign."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from catalogue.models import BoundaryRule
from core import clock
from core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from core.models import AuditRecord, Deadline, Notification
from dispatch import services
from dispatch.models import Dispute, Instruction
from intake.choices import EventStatus
from intake.models import Event
from intake.services import event_submit


def report(w, **kw):
    data = dict(channel="grid", actor=w.grid_tianma, text="天马街道人民路有人占道摆摊经营", lng=w.tianma_point[0],
                lat=w.tianma_point[1], category_code="0504")
    data.update(kw)
    return event_submit(**data).event


def test_full_loop_sign_feedback_verify_close(iw):
    e = report(iw)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    e.refresh_from_db()
    assert e.status == EventStatus.ACCEPTED
    with pytest.raises(ValidationFailed):
        services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="")
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    e.refresh_from_db()
    assert e.status == EventStatus.RESOLVED  # a grid worker's report waits for 核查, on a clock of its own
    check = Deadline.objects.get(kind="event.verify", object_id=str(e.pk))
    assert check.state == "open" and check.department == iw.guidance_office and check.rule == "dispatch.verify_working_days"
    with pytest.raises(NotPermitted):  # the handler cannot verify its own work
        services.event_verify(actor=iw.tianma_officer, event=e, passed=True, note="自查")
    services.event_verify(actor=iw.grid_tianma, event=e, passed=True, note="现场已无摊点")
    e.refresh_from_db()
    assert e.status == EventStatus.CLOSED and e.closed_at is not None
    assert [t.new for t in e.transitions.all()] == ["triage", "routed", "accepted", "resolved", "closed"]
    assert set(Deadline.objects.filter(object_id=str(ins.pk)).values_list("state", flat=True)) == {"met"}
    assert Deadline.objects.get(kind="event.verify", object_id=str(e.pk)).state == "met"


def test_a_report_left_unverified_is_reminded_then_escalated_to_the_command_centre(iw, client):
    """核查 is work with a time limit (dispatch.verify_working_days, 2): a report answered and not checked is in the
    command centre's 超期督办 like a late instruction, linked to the report, and its 待核查 lists say 已超期."""
    from django.urls import reverse

    from dispatch.selectors import command_snapshot

    e = report(iw)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    check = Deadline.objects.get(kind="event.verify", object_id=str(e.pk))
    assert check.object_type == "intake.event"
    assert check.due_at > timezone.now()
    services.deadlines_sweep(now=check.due_at + dt.timedelta(minutes=1))
    check.refresh_from_db()
    assert check.escalation_level == 1
    snap = command_snapshot(user=iw.operator, now=check.due_at + dt.timedelta(minutes=1))
    late = [d for d in snap["overdue"] if d.pk == check.pk]
    assert late and late[0].link == reverse("intake:event", args=[e.pk])
    assert [x.clock_due for x in snap["to_verify"] if x.pk == e.pk] == [check.due_at]
    client.force_login(iw.operator)
    with clock.frozen(check.due_at + dt.timedelta(minutes=1)):
        assert "核查时限" in client.get(reverse("home")).content.decode()
        services.event_verify(actor=iw.grid_tianma, event=e, passed=True, note="现场已无摊点")
    check.refresh_from_db()
    assert check.state == "late"  # checked, late: the record says so


def test_failed_verification_goes_back_to_the_handler(iw):
    e = report(iw)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已处理完毕")
    services.event_verify(actor=iw.operator, event=e, passed=False, note="摊贩又回来了")
    e.refresh_from_db()
    assert e.status == EventStatus.ACCEPTED
    new = e.instructions.order_by("-issued_at", "-id").first()
    assert new.transferred_from == ins and new.status == Instruction.Status.SIGNED


def test_other_body_cannot_sign(iw):
    e = report(iw)
    with pytest.raises(NotPermitted):
        services.instruction_sign(actor=iw.huibu_officer, instruction=e.instructions.get())
    assert e.instructions.get().status == Instruction.Status.ISSUED


def test_returns_become_a_dispute_and_the_ruling_is_never_argued_twice(iw, client):
    e = report(iw, category_code=None, text="小区门口有人私设地锁占用公共车位", lng=iw.huibu_point[0],
               lat=iw.huibu_point[1])
    assert e.status == EventStatus.TRIAGE
    services.triage_assign(actor=iw.operator, event=e, department=iw.zf, team=iw.bureau_team, reason="疑似占道")
    new_instruction = Notification.objects.get(department=iw.zf, text__startswith="新指令：", link=e.get_absolute_url())
    assert new_instruction.read_at is None
    services.event_return(actor=iw.bureau_officer, event=e, reason="私设地锁属物业管理，不属城管")
    new_instruction.refresh_from_db()
    assert new_instruction.read_at is not None  # returned: no longer work waiting for the bureau
    e.refresh_from_db()
    assert e.status == EventStatus.TRIAGE and e.return_count == 1
    assert e.department is None and e.team is None  # the body that sent it back is not named as responsible
    # the command centre's triage queue says it came back, and why
    client.force_login(iw.operator)
    page = client.get("/command/").content.decode()
    assert f"退单 1 次</span> <span class=\"muted\">{iw.zf.short_name}：私设地锁属物业管理，不属城管</span>" in page
    home = client.get("/").content.decode()
    assert '<a class="card" href="/command/"><div class="stat">1</div><div class="stat-label">待分拨' in home
    to_route = Notification.objects.get(text__startswith="退单待重新分拨：", link=e.get_absolute_url())
    assert to_route.read_at is None
    services.triage_assign(actor=iw.operator, event=e, department=iw.zj, team=iw.zj_team, reason="物业管理")
    to_route.refresh_from_db()
    assert to_route.read_at is not None  # routed again: the call to act is settled for the whole office
    services.event_return(actor=iw.zj_officer, event=e, reason="占用公共车位属于执法事项")
    e.refresh_from_db()
    assert e.status == EventStatus.DISPUTED and e.department is None
    # the bodies that returned it follow it: the ruling's notice links them to the report
    client.force_login(iw.zj_officer)
    assert client.get(f"/intake/events/{e.pk}/").status_code == 200
    client.force_login(iw.operator)
    assert "退单后待指导办裁定" in client.get(f"/intake/events/{e.pk}/").content.decode()
    dispute = Dispute.objects.get(event=e, status="open")
    assert set(dispute.departments.all()) == {iw.zf, iw.zj}
    assert Notification.objects.filter(department=iw.guidance_office, level="escalate").exists()
    disputes = client.get("/command/").content.decode().split("职责争议")[1].split("</ul>")[0]
    assert e.ticket in disputes and {iw.zf.short_name, iw.zj.short_name} <= set(
        disputes.split('class="muted">')[1].split(" · ")[0].split("、"))
    client.force_login(iw.guidance)
    home = client.get("/").content.decode()
    assert "<h3>职责争议待裁定</h3>" in home and f'<a href="/intake/events/{e.pk}/">{e.ticket}</a>' in home
    client.force_login(iw.operator)
    assert "<h3>职责争议待裁定</h3>" not in client.get("/").content.decode()  # the guidance office rules, not the operator
    with pytest.raises(NotPermitted):
        services.dispute_rule(actor=iw.operator, dispute=dispute, department=iw.zf, ruling="x")
    services.dispute_rule(actor=iw.guidance, dispute=dispute, department=iw.zf,
                          ruling="占用公共区域私设地锁由综合行政执法部门查处",
                          new_boundary_rule={"matter": "私设地锁", "keywords": ["地锁"]})
    e.refresh_from_db()
    assert e.status == EventStatus.ROUTED and e.department == iw.zf
    assert not Notification.objects.filter(department=iw.guidance_office, link=e.get_absolute_url(),
                                           text__startswith="职责争议待裁定：", read_at__isnull=True).exists()
    rule = BoundaryRule.objects.get(source="ruling")
    assert rule.keywords == ["地锁"] and rule.penalising_department == iw.zf
    # the same question later goes straight to the ruled body, citing the ruling
    again = report(iw, category_code=None, text="楼下又有人装了地锁", lng=iw.huibu_point[0] + 0.02,
                   lat=iw.huibu_point[1])
    assert again.status == EventStatus.ROUTED and again.department == iw.zf
    assert again.decisions.get().boundary_rule == rule


def _clocks(e):
    return list(Deadline.objects.filter(object_type="intake.event", object_id=str(e.pk)).order_by("pk")
                .values_list("kind", "state"))


def test_triage_and_a_dispute_are_on_the_clock_of_whoever_must_act(iw, client):
    """人工分拨 (dispatch.triage_hours, 2) is the command centre's, 裁定 (dispatch.ruling_working_days, 3) the guidance
    office's: each clock runs while the report waits in that state and stops when it leaves, met or late; an
    overdue one is in 超期督办 linked to the report. Until 2026-12-07 neither had a clock."""
    from dispatch.selectors import command_snapshot

    e = report(iw, category_code=None, text="小区门口有人私设地锁占用公共车位", lng=iw.huibu_point[0],
               lat=iw.huibu_point[1])
    assert e.status == EventStatus.TRIAGE and _clocks(e) == [("event.triage", "open")]
    triage = Deadline.objects.get(kind="event.triage", object_id=str(e.pk))
    assert triage.department == iw.guidance_office and triage.due_at - triage.remind_at < dt.timedelta(hours=1)
    snap = command_snapshot(user=iw.operator, now=triage.due_at + dt.timedelta(minutes=1))
    assert [d.link for d in snap["overdue"] if d.pk == triage.pk] == [f"/intake/events/{e.pk}/"]
    assert [x.clock_due for x in snap["triage"] if x.pk == e.pk] == [triage.due_at]
    client.force_login(iw.operator)  # the report's page says it too
    with clock.frozen(triage.due_at + dt.timedelta(minutes=1)):
        page = client.get(f"/intake/events/{e.pk}/").content.decode()
    assert f"{e.ticket} 人工分拨：时限 {timezone.localtime(triage.due_at):%m-%d %H:%M}" in page and "已超期" in page
    services.triage_assign(actor=iw.operator, event=e, department=iw.zf, team=iw.bureau_team, reason="疑似占道")
    assert _clocks(e)[0] == ("event.triage", "met")
    services.event_return(actor=iw.bureau_officer, event=e, reason="私设地锁属物业管理，不属城管")
    assert _clocks(e)[-1] == ("event.triage", "open")  # back in triage: a new stay, a new clock
    with clock.frozen(timezone.now() + dt.timedelta(hours=3)):  # routed late
        services.triage_assign(actor=iw.operator, event=e, department=iw.zj, team=iw.zj_team, reason="物业管理")
        services.event_return(actor=iw.zj_officer, event=e, reason="占用公共车位属于执法事项")
    e.refresh_from_db()
    assert e.status == EventStatus.DISPUTED
    kinds = _clocks(e)
    assert kinds == [("event.triage", "met"), ("event.triage", "late"), ("event.ruling", "open")]
    ruling = Deadline.objects.get(kind="event.ruling", object_id=str(e.pk))
    assert ruling.department == iw.guidance_office and ruling.rule == "ZJ-017"
    services.dispute_rule(actor=iw.guidance, dispute=Dispute.objects.get(event=e, status="open"), department=iw.zf,
                          ruling="由综合行政执法部门查处")
    assert _clocks(e)[-1] == ("event.ruling", "met")
    assert not Deadline.objects.filter(object_type="intake.event", object_id=str(e.pk), state="open").exists()


def test_reports_waiting_from_before_the_clocks_get_them_at_the_first_sweep(iw):
    """An installation upgraded on 2026-12-07 has reports already waiting in triage, in dispute or for 核查 with no
    clock: the worker's sweep opens each one's, counted from when it entered the state, and then finds none."""
    waiting = report(iw, category_code=None, text="小区门口有人私设地锁占用公共车位", lng=iw.huibu_point[0],
                     lat=iw.huibu_point[1])
    assert waiting.status == EventStatus.TRIAGE
    entered = waiting.transitions.get(new="triage").at
    Deadline.objects.filter(object_type="intake.event").delete()  # as before the upgrade
    counts = services.deadlines_sweep(now=entered + dt.timedelta(hours=1))
    assert counts["clocks_opened"] == 1
    row = Deadline.objects.get(kind="event.triage", object_id=str(waiting.pk), state="open")
    assert row.due_at == entered + dt.timedelta(hours=2)
    assert services.deadlines_sweep(now=entered + dt.timedelta(hours=1))["clocks_opened"] == 0


def test_the_command_centre_ends_a_report_as_invalid_with_its_reason_and_can_take_it_up_again(iw, client):
    """作为无效事件结束: only from triage, only by the command centre, with a reason on the record; the reporter's
    ticket page says 经核实不属于可受理的问题; 恢复受理 routes it like a new report. Until 2026-12-07 the states
    existed and no service or page reached them: a test or abusive report could only be routed to someone."""
    e = report(iw, category_code=None, text="测试测试这是一条测试数据请忽略", lng=iw.huibu_point[0], lat=iw.huibu_point[1])
    assert e.status == EventStatus.TRIAGE
    with pytest.raises(NotPermitted):
        services.event_invalidate(actor=iw.tianma_officer, event=e, reason="测试数据")
    with pytest.raises(ValidationFailed) as exc:
        services.event_invalidate(actor=iw.operator, event=e, reason="无")
    assert "reason" in exc.value.errors
    client.force_login(iw.operator)
    page = client.get(f"/intake/events/{e.pk}/").content.decode()
    assert f"/intake/events/{e.pk}/invalidate/" in page
    resp = client.post(f"/intake/events/{e.pk}/invalidate/", {"reason": "系统测试数据，非真实问题"})
    assert resp.status_code == 302
    e.refresh_from_db()
    assert e.status == EventStatus.INVALID
    assert e.transitions.last().reason == "作为无效事件结束：系统测试数据，非真实问题"
    assert Deadline.objects.get(kind="event.triage", object_id=str(e.pk)).state == "met"  # its triage clock stopped
    client.logout()
    assert "经核实不属于可受理的问题" in client.get(f"/public/track/{e.ticket}/").content.decode()
    assert client.get(f"/open311/v2/requests/{e.ticket}.json").json()[0]["status"] == "closed"
    routed = report(iw)
    with pytest.raises(InvalidTransition):  # a report with a body is returned or handled by it, not ended here
        services.event_invalidate(actor=iw.operator, event=Event.objects.get(pk=routed.pk), reason="系统测试数据")
    client.force_login(iw.operator)
    assert client.post(f"/intake/events/{e.pk}/reinstate/", {"reason": "报告人来电说明确有此事"}).status_code == 302
    e.refresh_from_db()
    assert e.status in (EventStatus.TRIAGE, EventStatus.ROUTED)  # routed again like a new report
    assert e.transitions.filter(old="invalid", new="triage", reason="恢复受理：报告人来电说明确有此事").exists()
    assert AuditRecord.objects.filter(action__in=["intake.event.invalidate", "intake.event.reinstate"]).count() == 2


def test_return_needs_a_reason_and_the_right_body(iw):
    e = report(iw)
    with pytest.raises(ValidationFailed):
        services.event_return(actor=iw.tianma_officer, event=e, reason="不")
    with pytest.raises(NotPermitted):
        services.event_return(actor=iw.huibu_officer, event=e, reason="不是我们的事")
    e.refresh_from_db()
    assert e.status == EventStatus.ROUTED and e.return_count == 0


def test_routing_by_hand_leaves_duplicates_disputes_and_closed_reports_to_their_own_paths(iw):
    """Found by test_event_properties: routing a linked duplicate by hand left it routed *and* counted as the
    main report's 附议. A duplicate is unlinked first, a dispute is the guidance office's to rule on, a
    closed report is the reporter's to reopen."""
    main = report(iw)
    twin = report(iw, text="天马街道人民路又有人占道摆摊经营")
    assert twin.status == EventStatus.DUPLICATE and twin.duplicate_of == main
    with pytest.raises(InvalidTransition) as exc:
        services.triage_assign(actor=iw.operator, event=twin, department=iw.zf, reason="单独处理")
    assert main.ticket in exc.value.message and "取消关联" in exc.value.message
    twin.refresh_from_db()
    main.refresh_from_db()
    assert (twin.status, twin.duplicate_of, main.me_too_count) == (EventStatus.DUPLICATE, main, 1)
    assert not twin.instructions.exists()
    ins = main.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    services.event_verify(actor=iw.operator, event=main, passed=True, note="现场已恢复")
    with pytest.raises(InvalidTransition) as exc:
        services.triage_assign(actor=iw.operator, event=main, department=iw.zf, reason="再派一次")
    assert "重新处理" in exc.value.message
    main.refresh_from_db()
    assert main.status == EventStatus.CLOSED and main.closed_at is not None


def test_overdue_work_is_reminded_then_escalated_once(iw):
    e = report(iw)
    ins = e.instructions.get()
    sign = Deadline.objects.get(kind="instruction.sign", object_id=str(ins.pk))
    assert sign.rule == "dispatch.sign_hours.normal"
    before_remind = services.deadlines_sweep(now=sign.remind_at - dt.timedelta(minutes=1))
    assert before_remind == {"reminded": 0, "escalated": 0, "escalated2": 0, "elapsed": 0, "clocks_opened": 0}
    assert services.deadlines_sweep(now=sign.remind_at + dt.timedelta(minutes=1))["reminded"] == 1
    assert services.deadlines_sweep(now=sign.remind_at + dt.timedelta(minutes=2))["reminded"] == 0
    late = sign.due_at + dt.timedelta(minutes=1)
    assert services.deadlines_sweep(now=late)["escalated"] == 1
    assert services.deadlines_sweep(now=late)["escalated"] == 0  # idempotent
    ins.refresh_from_db()
    assert ins.escalation_level == 1
    assert Notification.objects.filter(department=iw.tianma_gov, level="escalate").count() == 1
    assert Notification.objects.filter(department=iw.guidance_office, level="escalate").count() == 1
    # every reminder and 督办 links to where the work is done
    assert set(Notification.objects.filter(level__in=["remind", "escalate"]).values_list("link", flat=True)) == {
        f"/intake/events/{e.pk}/"}
    assert services.deadlines_sweep(now=sign.escalate2_at + dt.timedelta(minutes=1))["escalated2"] == 1
    with clock.frozen(late):
        services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    sign.refresh_from_db()
    assert sign.state == "late"


def test_feedback_deadline_uses_working_days(iw):
    with clock.frozen(timezone.make_aware(dt.datetime(2026, 9, 30, 10, 0))):
        e = report(iw)
    ins = e.instructions.get()
    fb = Deadline.objects.get(kind="instruction.feedback", object_id=str(ins.pk))
    # 5 working days from 2026-09-30 skip the National Day holiday: 10-08, 10-09, 10-10(调休), 10-12, 10-13
    assert timezone.localtime(fb.due_at).date() == dt.date(2026, 10, 13)
    assert fb.rule == "dispatch.feedback_working_days.normal"


def test_transfer_keeps_history(iw):
    e = report(iw)
    old = e.instructions.get()
    new = services.instruction_transfer(actor=iw.operator, instruction=old, department=iw.zj, team=iw.zj_team,
                                        reason="涉及道路设施维修")
    old.refresh_from_db()
    e.refresh_from_db()
    assert old.status == Instruction.Status.TRANSFERRED and new.transferred_from == old
    assert e.department == iw.zj and e.status == EventStatus.ROUTED
    assert Deadline.objects.filter(object_id=str(old.pk), state="cancelled").count() == 2
    # the old body's call to act is settled; the new body's waits for it
    calls = Notification.objects.filter(text__startswith="新指令：", link=e.get_absolute_url())
    assert calls.get(department=iw.tianma_gov).read_at is not None and calls.get(department=iw.zj).read_at is None
    with pytest.raises(NotPermitted):
        services.instruction_transfer(actor=iw.tianma_officer, instruction=new, department=iw.zf, team=None,
                                      reason="x")


def test_triage_assign_denied_for_officers_changes_nothing(iw):
    e = report(iw, category_code=None, text="有问题")
    audits = AuditRecord.objects.count()
    with pytest.raises(NotPermitted):
        services.triage_assign(actor=iw.tianma_officer, event=e, department=iw.zf, reason="我来")
    e.refresh_from_db()
    assert e.status == EventStatus.TRIAGE and AuditRecord.objects.count() == audits


def test_reopen_within_window_and_rate_once(iw):
    e = report(iw, channel="inspection", actor=iw.tianma_officer)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离，恢复通行")
    e.refresh_from_db()
    assert e.status == EventStatus.CLOSED  # inspection findings need no 核查
    services.event_rate(event=e, score=4, comment="处理及时")
    with pytest.raises(InvalidTransition):
        services.event_rate(event=e, score=5)
    services.event_reopen(event=e, reason="第二天又来摆摊了")
    e.refresh_from_db()
    assert e.status == EventStatus.ROUTED and e.department == iw.tianma_gov and e.rating is None
    ins2 = e.instructions.filter(status="issued").get()
    assert "未解决" in ins2.content and "第二天又来摆摊了" in ins2.content  # the body is told why it is back
    assert Notification.objects.filter(department=iw.tianma_gov, text__contains="第二天又来摆摊了").exists()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins2)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins2, outcome="再次劝离并教育")
    e.refresh_from_db()
    with clock.frozen(e.closed_at + dt.timedelta(days=16)), pytest.raises(InvalidTransition):
        services.event_reopen(event=e, reason="还是没解决")


def test_merge_and_unmerge(iw):
    a = report(iw)
    b = report(iw, lng=iw.huibu_point[0], lat=iw.huibu_point[1], text="辉埠镇有人占道摆摊")
    services.event_merge(actor=iw.operator, event=b, into=a)
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.status == EventStatus.DUPLICATE and b.duplicate_of == a and a.me_too_count == 1
    services.event_unmerge(actor=iw.operator, event=b)
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.duplicate_of is None and b.status == EventStatus.ROUTED and a.me_too_count == 0


def test_whistle_calls_departments_in_one_step(iw):
    w = services.whistle_blow(actor=iw.tianma_officer, title="人民路违建联合拆除", description="需规划、住建协助",
                              town=iw.tianma, action_at=timezone.now() + dt.timedelta(days=1), place="人民路12号",
                              calls=[(iw.zj, "提供图纸"), (iw.scjg, "查处无照经营")])
    assert w.calls.count() == 2
    assert Deadline.objects.filter(kind="whistle.report").count() == 2
    call_zj = w.calls.get(department=iw.zj)
    with pytest.raises(NotPermitted):
        services.whistle_report(actor=iw.scjg_officer, call=call_zj)
    services.whistle_report(actor=iw.zj_officer, call=call_zj, note="王工带队")
    call_zj.refresh_from_db()
    assert call_zj.reported_at is not None
    due = w.calls.get(department=iw.scjg).report_due
    assert services.deadlines_sweep(now=due + dt.timedelta(minutes=1))["escalated"] == 1
    services.whistle_close(actor=iw.tianma_officer, whistle=w, outcome="违建已拆除，无照摊点取缔",
                           done_call_ids=[call_zj.pk])
    w.refresh_from_db()
    assert w.status == "closed"
    rec = AuditRecord.objects.filter(action="dispatch.whistle.close").get()
    assert rec.after["unreported"] == ["常山县市场监督管理局"]


def test_only_a_town_team_blows_the_whistle_for_its_town(iw):
    with pytest.raises(NotPermitted):
        services.whistle_blow(actor=iw.huibu_officer, title="x", description="", town=iw.tianma,
                              action_at=timezone.now(), place="", calls=[(iw.zj, "x")])


def test_campaign_tasks_and_progress(iw):
    c = services.campaign_create(actor=iw.operator, name="窨井盖安全隐患专项排查", description="全县排查",
                                 lead=iw.zf, start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 31),
                                 targets={iw.tianma: 120, iw.huibu: 60}, partners=[iw.zj])
    assert c.tasks.count() == 2 and Instruction.objects.filter(campaign_task__campaign=c).count() == 2
    task = c.tasks.get(town=iw.tianma)
    with pytest.raises(ValidationFailed):
        services.campaign_task_update(actor=iw.tianma_officer, task=task, found=3, fixed=5)
    with pytest.raises(NotPermitted):
        services.campaign_task_update(actor=iw.huibu_officer, task=task, found=3, fixed=1)
    services.campaign_task_update(actor=iw.tianma_officer, task=task, found=14, fixed=9)
    task.refresh_from_db()
    assert (task.found, task.fixed) == (14, 9)


def test_every_status_change_is_checked(iw):
    e = report(iw)
    Event.objects.filter(pk=e.pk).update(status=EventStatus.CLOSED)
    e.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.instruction_sign(actor=iw.tianma_officer, instruction=e.instructions.get())


def test_ticket_page_offers_reopening_only_within_the_window(iw, client):
    e = report(iw, channel="inspection", actor=iw.tianma_officer)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离，恢复通行")
    e.refresh_from_db()
    page = client.get(f"/public/track/{e.ticket}/").content.decode()
    assert "申请重新处理" in page and 'name="action" value="reopen"' in page
    client.force_login(iw.tianma_officer)
    assert "报告人可在" in client.get(f"/intake/events/{e.pk}/").content.decode()
    with clock.frozen(e.closed_at + dt.timedelta(days=16)):
        page = client.get(f"/public/track/{e.ticket}/").content.decode()
        assert 'value="reopen"' not in page and "期限已过" in page
        assert "申请重新处理的期限已过" in client.get(f"/intake/events/{e.pk}/").content.decode()


def test_supervisors_get_one_digest_per_sweep_the_bodies_each_item(iw):
    events = [report(iw, text=t) for t in (
        "人民路有人占道摆摊经营", "东明路口有人摆摊卖水果", "府前路店家占道经营堆放货物")]
    due = max(Deadline.objects.get(kind="instruction.sign", object_id=str(e.instructions.get().pk)).due_at
              for e in events)
    assert services.deadlines_sweep(now=due + dt.timedelta(minutes=1))["escalated"] == 3
    assert Notification.objects.filter(department=iw.tianma_gov, level="escalate").count() == 3  # each item
    digest = Notification.objects.get(department=iw.guidance_office, level="escalate")
    assert digest.text == "督办：本轮新增超期 3 件（常山县天马街道办事处 3件）" and digest.link == "/command/"
    with translation.override("en"):  # and each reader has it in their language
        assert digest.shown == "Escalated: 3 newly overdue this pass (常山县天马街道办事处 (3))"
    # a pass with one item tells the supervisor that item
    sign = Deadline.objects.get(kind="instruction.sign", object_id=str(events[0].instructions.get().pk))
    assert services.deadlines_sweep(now=sign.escalate2_at + dt.timedelta(minutes=1))["escalated2"] == 3
    county = Notification.objects.get(level="escalate", department__region__level="county",
                                      department__kind="government")
    assert county.text.startswith("县级督办：本轮新增超期 3 件")
    with translation.override("en"):
        assert county.shown.startswith("County escalation: 3 newly overdue this pass")


def test_a_pass_with_one_overdue_item_tells_the_supervisors_that_item(iw):
    e = report(iw, text="人民路有人占道摆摊经营")
    sign = Deadline.objects.get(kind="instruction.sign", object_id=str(e.instructions.get().pk))
    services.deadlines_sweep(now=sign.due_at + dt.timedelta(minutes=1))
    digest = Notification.objects.get(department=iw.guidance_office, level="escalate")
    due = f"{timezone.localtime(sign.due_at):%m-%d %H:%M}"
    assert digest.text == f"常山县天马街道办事处：督办：{sign.label} 已超期（时限 {due}）"
    assert digest.link == Notification.objects.get(department=iw.tianma_gov, level="escalate").link != "/command/"
    services.deadlines_sweep(now=sign.escalate2_at + dt.timedelta(minutes=1))
    county = Notification.objects.get(level="escalate", department__kind="government", department__region__level="county")
    assert county.text == f"县级督办：常山县天马街道办事处 {sign.label} 严重超期"
    assert sign.label == f"指令#{sign.object_id}（{e.ticket}） 签收"
    with translation.override("en"):  # the deadline's label is said again inside the notice
        label = f"Instruction #{sign.object_id} ({e.ticket}): sign for"
        assert sign.shown == label
        assert digest.shown == f"常山县天马街道办事处: overdue: {label} (due {due})"
        assert county.shown == f"County escalation: 常山县天马街道办事处, {label} is long overdue"


def test_sweep_links_each_notice_to_its_event_with_one_instruction_read_per_batch(iw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    events = [report(iw, text=t) for t in (
        "人民路有人占道摆摊经营", "东明路口有人摆摊卖水果", "府前路店家占道经营堆放货物")]
    due = max(Deadline.objects.get(kind="instruction.sign", object_id=str(e.instructions.get().pk)).due_at
              for e in events)
    with CaptureQueriesContext(connection) as ctx:
        assert services.deadlines_sweep(now=due + dt.timedelta(minutes=1))["escalated"] == 3
    reads = [q["sql"] for q in ctx.captured_queries
             if q["sql"].startswith("SELECT") and 'FROM "dispatch_instruction"' in q["sql"]]
    assert len(reads) == 1, reads
    links = set(Notification.objects.filter(department=iw.tianma_gov, level="escalate").values_list("link", flat=True))
    assert links == {f"/intake/events/{e.pk}/" for e in events}


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_feedback_and_verification_carry_photos_by_stage(iw):
    from intake.services import NewAttachment

    e = report(iw)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    audit = AuditRecord.objects.count()
    with pytest.raises(ValidationFailed) as exc:  # a bad file refuses the whole feedback
        services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩",
                                      attachments=[NewAttachment("after.png", PNG), NewAttachment("x.exe", b"MZ\x90")])
    assert "“x.exe”类型不支持" in exc.value.errors["attachments[2]"][0]
    e.refresh_from_db()
    assert e.status == EventStatus.ACCEPTED and not e.attachments.exists() and AuditRecord.objects.count() == audit
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行",
                                  attachments=[NewAttachment("after.png", PNG)])
    after = e.attachments.get()
    assert (after.stage, after.added_by) == ("feedback", iw.tianma_officer)
    assert AuditRecord.objects.filter(action="dispatch.instruction.feedback").last().after["attachments"] == [after.sha256]
    services.event_verify(actor=iw.grid_tianma, event=e, passed=True, note="现场已无摊点",
                          attachments=[NewAttachment("check.png", PNG + b"1")])
    assert list(e.attachments.values_list("stage", flat=True)) == ["feedback", "verify"]


def test_feedback_photo_can_be_required(iw):
    from core.services import config_set
    from intake.services import NewAttachment

    with pytest.raises(ValidationFailed) as exc:
        config_set(actor=iw.guidance, key="dispatch.feedback_photo_required", value=1, valid_from=dt.date(2020, 1, 1),
                   reason="试行")
    assert "value" in exc.value.errors
    config_set(actor=iw.guidance, key="dispatch.feedback_photo_required", value=True, valid_from=dt.date(2020, 1, 1),
               reason="县指挥中心通知：反馈须附处置后照片")
    e = report(iw)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    with pytest.raises(ValidationFailed) as exc:
        services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    assert exc.value.errors == {"attachments": ["须附处置后照片"]}
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行",
                                  attachments=[NewAttachment("after.png", PNG)])
    assert Event.objects.get(pk=e.pk).status == EventStatus.RESOLVED


def test_the_event_page_takes_feedback_photos_and_shows_them_by_stage(iw, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    e = report(iw)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    client.force_login(iw.tianma_officer)
    page = client.get(reverse("intake:event", args=[e.pk])).content.decode()
    assert 'name="photos"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(reverse("intake:action", args=[e.pk, "feedback"]),
                           {"outcome": "已劝离摊贩，恢复通行", "photos": SimpleUploadedFile("after.png", PNG)})
    assert response.status_code == 302
    shown = client.get(reverse("intake:event", args=[e.pk])).content.decode()
    assert "照片/附件 · 处置后" in shown and e.attachments.get().stage == "feedback"


def test_nearby_reports_in_other_words_are_offered_to_the_operator_to_merge(iw, client):
    """A hotline call and a grid worker's report of one manhole, in different words: too unlike to link
    automatically, near enough in place and time to be put to the operator, who merges with one click."""
    from django.urls import reverse

    from intake.selectors import duplicate_candidates

    lng, lat = iw.tianma_point
    grid = report(iw, text="人民路12号门口窨井盖破损缺失，已设置临时围挡", category_code="0410")
    call = event_submit(channel="hotline", source=iw.hotline, external_id="H-77", text="市民来电：路口有个井口没盖子，晚上很危险",
                        lng=lng + 0.001, lat=lat).event  # about 100 m east, no category
    far = report(iw, text="人民路窨井盖破损", category_code="0410", lng=lng + 0.01, lat=lat)  # about 1 km away
    stall = report(iw, text="人民路12号门口占道摆摊", category_code="0504", lng=lng, lat=lat + 0.0002)
    call.refresh_from_db()
    assert call.status != EventStatus.DUPLICATE  # the words differ: not linked automatically
    found = duplicate_candidates(call)
    assert [c.event for c in found][:1] == [grid] and far not in [c.event for c in found]
    assert 80 <= found[0].distance_m <= 120 and found[0].similarity < 0.25 and found[0].mergeable
    assert stall not in [c.event for c in duplicate_candidates(grid)]  # another category is another problem
    client.force_login(iw.leader)  # sees every report, merges none
    response = client.get(reverse("intake:event", args=[call.pk]))
    assert response.status_code == 200 and "疑似重复" not in response.content.decode()
    client.force_login(iw.operator)
    page = client.get(reverse("intake:event", args=[call.pk])).content.decode()
    assert "疑似重复" in page and f'value="{grid.ticket}"' in page
    client.post(reverse("intake:action", args=[call.pk, "merge"]), {"into": grid.ticket})
    call.refresh_from_db()
    grid.refresh_from_db()
    assert call.duplicate_of == grid and grid.me_too_count == 1
    assert call not in [c.event for c in duplicate_candidates(grid)]  # a duplicate is not offered again


def test_a_report_is_never_merged_into_finished_work(iw):
    from intake.selectors import duplicate_candidates

    old = report(iw, text="人民路12号门口窨井盖破损缺失", category_code="0410")
    ins = old.instructions.get()
    services.instruction_sign(actor=iw.zj_officer, instruction=ins)  # repairs: 住建局
    services.instruction_feedback(actor=iw.zj_officer, instruction=ins, outcome="已更换井盖")
    services.event_verify(actor=iw.operator, event=old, passed=True, note="现场已修复")
    again = report(iw, text="人民路12号门口窨井盖又坏了", category_code="0410")
    again.refresh_from_db()
    assert again.status != EventStatus.DUPLICATE  # the first is closed: not linked automatically either
    (shown,) = [c for c in duplicate_candidates(again) if c.event == old]
    assert not shown.mergeable  # shown as history, not offered
    with pytest.raises(ValidationFailed) as exc:
        services.event_merge(actor=iw.operator, event=again, into=old)
    assert "into" in exc.value.errors
    again.refresh_from_db()
    assert again.status != EventStatus.DUPLICATE and again.instructions.filter(status="issued").exists()


def test_a_report_a_body_signed_for_is_not_merged_away(iw, client):
    """合并为重复 only before a body signs for the report (MERGEABLE): signed work is finished or sent back by that
    body. The page offers no merge then, neither the form nor the candidates' one-click button."""
    from django.urls import reverse

    from intake.selectors import duplicate_candidates

    first = report(iw, text="人民路12号门口窨井盖破损缺失", category_code="0410")
    second = report(iw, text="有人差点摔倒，路面下水道盖板缺了一块", category_code="0410")
    second.refresh_from_db()
    assert second.status == EventStatus.ROUTED
    services.instruction_sign(actor=iw.zj_officer, instruction=second.instructions.get())
    second.refresh_from_db()
    (shown,) = [c for c in duplicate_candidates(second) if c.event == first]
    assert not shown.mergeable
    client.force_login(iw.operator)
    page = client.get(reverse("intake:event", args=[second.pk])).content.decode()
    assert reverse("intake:action", args=[second.pk, "merge"]) not in page
    with pytest.raises(InvalidTransition) as exc:
        services.event_merge(actor=iw.operator, event=second, into=first)
    assert exc.value.errors == {"status": ["已签收处置中"]} and "未签收" in exc.value.message
    second.refresh_from_db()
    assert second.status == EventStatus.ACCEPTED and second.duplicate_of is None
    assert second.instructions.get().status == "signed"
    first.refresh_from_db()
    assert first.me_too_count == 0
    # before it is signed for, the same report merges, from the same page
    assert reverse("intake:action", args=[first.pk, "merge"]) in client.get(reverse("intake:event", args=[first.pk])).content.decode()


def test_the_reporter_says_not_fixed_with_a_photo_from_the_ticket_page(iw, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    e = report(iw, channel="inspection", actor=iw.tianma_officer)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离，恢复通行")
    page = client.get(f"/public/track/{e.ticket}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="photos"' in page
    client.post(f"/public/track/{e.ticket}/", {"action": "reopen", "reason": "摊贩第二天又回来了",
                                                "photos": SimpleUploadedFile("again.png", PNG)})
    e.refresh_from_db()
    assert e.status == EventStatus.ROUTED and e.attachments.get().stage == "reopen"
    assert AuditRecord.objects.filter(action="intake.event.reopen").get().after["attachments"] == [
        e.attachments.get().sha256]
    # a bad file: told why, nothing reopened
    services.instruction_sign(actor=iw.tianma_officer, instruction=e.instructions.get(status="issued"))
    services.instruction_feedback(actor=iw.tianma_officer, instruction=e.instructions.get(status="signed"),
                                  outcome="再次劝离")
    response = client.post(f"/public/track/{e.ticket}/", {"action": "reopen", "reason": "还是没解决，又来了",
                                                           "photos": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
                           follow=True)
    e.refresh_from_db()
    assert e.status == EventStatus.CLOSED and e.attachments.count() == 1
    assert "类型不支持" in response.content.decode()


def test_the_reporter_rates_once_and_the_ticket_page_shows_the_rating(iw, client):
    """The rating given on the ticket page stays on it (a phone number in the comment is not shown), and the
    form is no longer offered; a second rating is refused, writing nothing."""
    e = report(iw, channel="inspection", actor=iw.tianma_officer)
    ins = e.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离，恢复通行")
    assert 'value="rate"' in client.get(f"/public/track/{e.ticket}/").content.decode()
    client.post(f"/public/track/{e.ticket}/", {"action": "rate", "score": "4", "comment": "处理及时，有事打13905701234"})
    page = client.get(f"/public/track/{e.ticket}/").content.decode()
    assert "<dt>评价</dt><dd>4 分：处理及时，有事打" in page and "13905701234" not in page
    assert 'value="rate"' not in page
    response = client.post(f"/public/track/{e.ticket}/", {"action": "rate", "score": "1"}, follow=True)
    assert "已经评价过" in response.content.decode()
    e.refresh_from_db()
    assert (e.rating, AuditRecord.objects.filter(action="intake.event.rate").count()) == (4, 1)


def test_a_body_whose_instruction_was_moved_still_follows_the_report(iw, client):
    """流转: the body the work was moved from keeps reading the report its 新指令 notice links to (it answered
    404 before; found by crawling the demo as each persona) — read only: the new body acts on it."""
    e = report(iw, text="城南路小店售卖过期食品", category_code="1001", actor=None, channel="hotline", source=iw.hotline,
               external_id="T-move-1")
    assert e.department == iw.scjg
    services.instruction_transfer(actor=iw.operator, instruction=e.instructions.get(), department=iw.zj,
                                  team=iw.zj_team, reason="涉及房屋安全")
    client.force_login(iw.scjg_supervisor)
    page = client.get(e.get_absolute_url())
    assert page.status_code == 200 and "流转" in page.content.decode()
    assert f'action="/intake/events/{e.pk}/feedback/"' not in page.content.decode()
    client.force_login(iw.huibu_officer)  # a body that never had it still does not
    assert client.get(e.get_absolute_url()).status_code == 404


def test_an_action_on_a_report_one_may_not_see_is_not_found(iw, client):
    """POSTing an action to a report outside one's view answers 404, as its page does (it was a 500: the
    refusal escaped the view), and changes nothing."""
    e = report(iw)  # 天马街道's
    client.force_login(iw.huibu_officer)
    assert client.get(e.get_absolute_url()).status_code == 404
    for action in ("sign", "return", "feedback", "verify", "assign"):
        assert client.post(f"/intake/events/{e.pk}/{action}/", {"reason": "x"}).status_code == 404, action
    e.refresh_from_db()
    assert e.status == EventStatus.ROUTED and e.instructions.get().status == "issued"

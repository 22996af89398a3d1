"""我的待办: what waits for each user's action, and the notifications (reminders, 督办) reaching them."""

from django.utils import timezone

from core.models import AuditRecord, Notification
from dispatch import services
from dispatch.access import acts_for, departments_acted_for
from dispatch.selectors import my_work, notifications_for
from dispatch.tests.test_flow import report
from org.models import Department


def test_departments_acted_for_agrees_with_acts_for(iw):
    for user in iw.personas.values():
        listed = set(departments_acted_for(user).values_list("pk", flat=True))
        for department in Department.objects.all():
            assert (department.pk in listed) == acts_for(user, department), (user.username, department.code)


def test_instructions_wait_for_the_body_that_must_sign_and_answer(iw):
    event = report(iw)
    instruction = event.instructions.get()
    assert instruction.department == iw.tianma_gov
    work = my_work(user=iw.tianma_officer)
    assert list(work["to_sign"]) == [instruction] and work["to_answer_count"] == 0
    assert my_work(user=iw.huibu_officer)["to_sign_count"] == 0  # another town's team
    services.instruction_sign(actor=iw.tianma_officer, instruction=instruction)
    work = my_work(user=iw.tianma_officer)
    assert work["to_sign_count"] == 0 and list(work["to_answer"]) == [instruction]
    services.instruction_feedback(actor=iw.tianma_officer, instruction=instruction, outcome="已劝离摊贩，恢复通行")
    assert my_work(user=iw.tianma_officer)["to_answer_count"] == 0
    assert [e.pk for e in my_work(user=iw.grid_tianma)["to_verify"]] == [event.pk]  # 核查 by the town's grid worker
    assert my_work(user=iw.tianma_officer)["to_verify_count"] == 0  # never one's own work
    assert event.pk in [e.pk for e in my_work(user=iw.operator)["to_verify"]]


def test_notifications_reach_the_body_and_are_cleared_with_an_audit_record(iw):
    report(iw)
    unread = my_work(user=iw.tianma_officer)["notifications"]
    assert any(n.text.startswith("新指令") for n in unread)
    assert not notifications_for(iw.huibu_officer).exists()
    county = Department.objects.get(code="GOV")
    Notification.objects.create(department=county, level=Notification.Level.ESCALATE, text="县级督办：测试")
    assert notifications_for(iw.leader).filter(text="县级督办：测试").exists()
    assert not notifications_for(iw.tianma_officer).filter(text="县级督办：测试").exists()
    count = services.notifications_mark_read(actor=iw.tianma_officer)
    assert count >= 1 and my_work(user=iw.tianma_officer)["unread_count"] == 0
    assert AuditRecord.objects.filter(action="core.notifications.read").get().after["count"] == count
    assert services.notifications_mark_read(actor=iw.tianma_officer) == 0
    assert AuditRecord.objects.filter(action="core.notifications.read").count() == 1


def test_each_member_of_a_body_reads_its_notifications_for_themselves(iw):
    office = iw.operator.department
    assert iw.guidance.department == office
    ducu = Notification.objects.create(department=office, level=Notification.Level.ESCALATE, text="督办：测试")
    settled = Notification.objects.create(department=office, text="历史通知", read_at=timezone.now())
    for user in (iw.operator, iw.guidance):
        unread = list(my_work(user=user)["notifications"])
        assert ducu in unread and settled not in unread  # read_at settles a notification for everyone
    assert services.notifications_mark_read(actor=iw.operator) >= 1
    assert ducu not in my_work(user=iw.operator)["notifications"]
    assert ducu in my_work(user=iw.guidance)["notifications"]  # the colleague still has it
    assert list(ducu.reads.values_list("user__username", flat=True)) == ["operator"]
    assert services.notifications_mark_read(actor=iw.guidance) >= 1
    assert my_work(user=iw.guidance)["unread_count"] == 0 and ducu.reads.count() == 2


def test_home_page_shows_my_work(iw, client):
    event = report(iw)
    client.force_login(iw.tianma_officer)
    page = client.get("/").content.decode()
    assert "我的待办" in page and f"/intake/events/{event.pk}/" in page and "新指令" in page
    r = client.post("/notifications/read/")
    assert r.status_code == 302 and "新指令" not in client.get("/").content.decode()
    client.force_login(iw.citizen)
    assert "我的待办" not in client.get("/").content.decode()


def test_notifications_are_dated_by_the_service_clock(iw):
    import datetime as dt

    from django.utils import timezone

    from core import clock

    at = timezone.now() - dt.timedelta(days=40)
    with clock.frozen(at):
        services.notify(department=iw.tianma_gov, text="回放的历史通知")
    assert Notification.objects.get(text="回放的历史通知").created_at == at


def test_a_campaign_instruction_can_be_signed_and_answered_on_the_campaign_page(iw, client):
    import datetime as dt

    from dispatch.models import Instruction

    campaign = services.campaign_create(actor=iw.operator, name="窨井盖安全隐患专项排查", description="全县排查",
                                        lead=iw.zj, start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 31),
                                        targets={iw.tianma: 80})
    instruction = Instruction.objects.get(campaign_task__campaign=campaign)
    assert my_work(user=iw.tianma_officer)["to_sign_count"] == 1
    client.force_login(iw.huibu_officer)  # not its task: no buttons, and the POST is refused
    assert f"/command/campaigns/instructions/{instruction.pk}/sign/" not in client.get("/command/campaigns/").content.decode()
    client.post(f"/command/campaigns/instructions/{instruction.pk}/sign/")
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.ISSUED
    client.force_login(iw.tianma_officer)
    assert f"/command/campaigns/instructions/{instruction.pk}/sign/" in client.get("/command/campaigns/").content.decode()
    assert client.post(f"/command/campaigns/instructions/{instruction.pk}/sign/").status_code == 302
    client.post(f"/command/campaigns/instructions/{instruction.pk}/feedback/", {"outcome": "已排查80处，发现3处破损"})
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.DONE and instruction.feedback.startswith("已排查")
    assert my_work(user=iw.tianma_officer)["to_answer_count"] == 0


def test_command_centre_lists_late_duties_not_a_partys_elapsed_period(iw, client):
    from core.models import Deadline
    from dispatch.selectors import command_snapshot

    past = timezone.now() - timezone.timedelta(days=3)
    common = dict(object_type="cases.case", object_id="1", department=iw.zf, due_at=past, rule="XF-TEST")
    duty = Deadline.objects.create(kind="case.publish", label="某案 处罚决定公开", **common)
    Deadline.objects.create(kind="case.payment", label="某案 缴纳罚款", party_period=True, **common)
    snap = command_snapshot(user=iw.operator)
    assert list(snap["overdue"]) == [duty] and snap["overdue_count"] == 1
    client.force_login(iw.operator)
    page = client.get("/command/").content.decode()
    assert "某案 处罚决定公开" in page and "某案 缴纳罚款" not in page
    # each late duty links to where its work is done, so the operator can chase it from the list
    assert '<a href="/cases/1/">某案 处罚决定公开</a>' in page
    late_sign = report(iw).instructions.get()
    Deadline.objects.filter(kind="instruction.sign", object_id=str(late_sign.pk)).update(due_at=past)
    page = client.get("/command/").content.decode()
    assert f'<a href="/intake/events/{late_sign.event_id}/">' in page


def test_map_points_open_now_or_a_recent_period_and_a_category(iw, client):
    old = report(iw, channel="inspection", actor=iw.tianma_officer)  # closed before the next one arrives
    ins = old.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    open_report = report(iw)
    client.force_login(iw.operator)
    now_open = client.get("/command/points.json").json()
    assert [p["t"] for p in now_open["points"]] == [open_report.ticket] and now_open["total"] == 1
    assert now_open["unplaced"] == 0
    call = report(iw, channel="hotline", source=iw.hotline, external_id="12345-9", lng=None, lat=None,
                  address="辉埠镇东山村村委会", text="村委会门口有人焚烧垃圾")  # only an address: not on the map
    assert call.town == iw.huibu and call.lng is None
    now_open = client.get("/command/points.json").json()
    assert now_open["total"] == 1 and now_open["unplaced"] == 1 and now_open["since"] is None
    # the caption's link: the event list of open reports with only an address
    listed = client.get("/intake/events/", {"status": "open", "located": "no"}).content.decode()
    assert call.ticket in listed and open_report.ticket not in listed and old.ticket not in listed
    assert '<option value="no" selected>' in listed  # the filter shows what it filters
    located = client.get("/intake/events/", {"status": "open", "located": "yes"}).content.decode()
    assert open_report.ticket in located and call.ticket not in located and old.ticket not in located
    assert "选择一个有效的选项" in client.get("/intake/events/", {"located": "maybe"}).content.decode()
    assert "command/points.json" in client.get("/command/").content.decode()
    week = client.get("/command/points.json", {"days": 7}).json()
    assert {p["t"] for p in week["points"]} == {open_report.ticket, old.ticket}
    assert {p["s"] for p in week["points"]} == {"routed", "closed"}
    same = client.get("/command/points.json", {"days": 7, "category": old.category_id}).json()
    assert same["total"] == 2
    from intake.models import EventCategory

    elsewhere = EventCategory.objects.exclude(pk=old.category_id).first()
    assert client.get("/command/points.json", {"days": 7, "category": elsewhere.pk}).json()["points"] == []
    r = client.get("/command/points.json", {"days": 5})
    assert r.status_code == 400 and "days" in r.json()["errors"]
    assert client.get("/command/points.json", {"category": "x"}).status_code == 400
    client.force_login(iw.tianma_officer)
    assert client.get("/command/points.json").status_code == 404  # the map is the command centre's


def test_beyond_the_points_sent_the_map_counts_every_report_per_cell(iw):
    """More reports than the map takes as points: the cluster and heat views get every report counted on a
    500 m grid in the database (peers: maps of more than 30k points), not the newest only."""
    from dispatch.selectors import MAP_CELL_PER_DEGREE, event_points
    from intake.models import Event

    x, y = iw.tianma_point[0] + 0.002, iw.tianma_point[1] + 0.002  # well inside a cell, away from its edges
    texts = ["人民路有人占道摆摊经营", "文峰路共享单车乱停放", "定阳路工地夜间施工噪声扰民", "柚香路小广告贴满电线杆",
             "府前路窨井盖破损有人跌倒"]
    # three in one cell (100 m apart), two in another cell 2 km east
    spots = [(x, y), (x + 0.001, y), (x, y + 0.001), (x + 0.02, y), (x + 0.021, y)]
    events = [report(iw, text=t, lng=a, lat=b, category_code=None) for t, (a, b) in zip(texts, spots, strict=True)]
    assert all(e.duplicate_of_id is None for e in events)
    Event.objects.filter(pk=events[0].pk).update(me_too_count=4)
    Event.objects.filter(pk=events[3].pk).update(me_too_count=30)  # weighs at most 9 more, as a heat point does

    small = event_points(user=iw.operator, limit=2)
    assert small["total"] == 5 and len(small["points"]) == 2
    cells = sorted(small["cells"])
    assert [(n, w) for _, _, n, w in cells] == [(3, 7), (2, 11)]
    assert sum(n for _, _, n, _ in cells) == small["total"]
    for cx, cy, _, _ in cells:  # each centre is the middle of a 0.005° cell
        assert abs(cx * MAP_CELL_PER_DEGREE % 1 - .5) < 1e-6 and abs(cy * MAP_CELL_PER_DEGREE % 1 - .5) < 1e-6
    assert "cells" not in event_points(user=iw.operator)  # all sent as points: nothing more to count


def test_notification_page_keeps_history_and_marks_one_read_for_me_only(iw, client):
    office = iw.operator.department
    first = Notification.objects.create(department=office, level=Notification.Level.ESCALATE, text="督办：第一条")
    second = Notification.objects.create(department=office, level=Notification.Level.REMIND, text="提醒：第二条")
    elsewhere = Notification.objects.create(department=iw.scjg, text="市场监管局的通知")
    client.force_login(iw.operator)
    page = client.get("/notifications/").content.decode()
    assert "督办：第一条" in page and "提醒：第二条" in page and "市场监管局的通知" not in page
    assert "督办：第一条" not in client.get("/notifications/", {"level": "remind"}).content.decode()
    r = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/?unread=1"})
    assert r.status_code == 302 and r["Location"] == "/notifications/?unread=1"
    unread = client.get("/notifications/", {"unread": "1"}).content.decode()
    assert "督办：第一条" not in unread and "提醒：第二条" in unread
    assert "督办：第一条" in client.get("/notifications/").content.decode()  # history keeps it
    assert first in my_work(user=iw.guidance)["notifications"]  # the colleague still has it unread
    assert second in my_work(user=iw.operator)["notifications"]
    assert client.post(f"/notifications/{elsewhere.pk}/read/").status_code == 404  # not mine to read
    assert not elsewhere.reads.exists()
    r = client.post("/notifications/read/", {"next": "https://evil.example/"})
    assert r["Location"] == "/"  # never redirected off-site


def test_a_case_deadline_escalation_links_to_the_case(iw):
    from core.models import Deadline

    past = timezone.now() - timezone.timedelta(days=2)
    Deadline.objects.create(kind="case.publish", object_type="cases.case", object_id="41", department=iw.zf,
                            label="某案 处罚决定公开", due_at=past, rule="XF-TEST")
    services.deadlines_sweep()
    links = set(Notification.objects.filter(level="escalate").values_list("link", flat=True))
    assert links == {"/cases/41/"}


def test_a_call_to_action_is_settled_once_acted_on(iw):
    event = report(iw)
    assert any(n.text.startswith("新指令") for n in my_work(user=iw.tianma_officer)["notifications"])
    instruction = event.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=instruction)
    assert not any(n.text.startswith("新指令") for n in my_work(user=iw.tianma_officer)["notifications"])
    services.instruction_feedback(actor=iw.tianma_officer, instruction=instruction, outcome="已劝离摊贩，恢复通行")
    assert any(n.text.startswith("待核查") for n in my_work(user=iw.operator)["notifications"])
    event.refresh_from_db()
    services.event_verify(actor=iw.grid_tianma, event=event, passed=True, note="现场已恢复通行")
    assert not any(n.text.startswith("待核查") for n in my_work(user=iw.operator)["notifications"])
    assert Notification.objects.filter(text__startswith="待核查", read_at__isnull=False).count() == 1  # kept, settled


def test_a_failed_verification_call_is_settled_by_the_answer(iw):
    """核查未通过 gives the body a 新指令 that is signed already (it holds the work): its notice is settled when
    the body answers it, not left in everyone's unread list once the work is done."""
    event = report(iw)
    instruction = event.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=instruction)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=instruction, outcome="已劝离摊贩，恢复通行")
    event.refresh_from_db()
    services.event_verify(actor=iw.grid_tianma, event=event, passed=False, note="摊贩又回来了，仍占道")
    unread = [n.text for n in my_work(user=iw.tianma_officer)["notifications"]]
    assert any(t.startswith("新指令：核查未通过") for t in unread)
    again = event.instructions.get(status="signed")
    services.instruction_feedback(actor=iw.tianma_officer, instruction=again, outcome="再次劝离，已设置隔离桩")
    assert not any(n.text.startswith("新指令") for n in my_work(user=iw.tianma_officer)["notifications"])
    assert Notification.objects.filter(text__startswith="新指令：核查未通过", read_at__isnull=False).count() == 1

def test_the_map_never_builds_html_from_report_texts(iw, client):
    """Source check on the rendered command centre (the suite runs no JavaScript; the escaping itself was
    checked in Chromium): popups and labels are DOM text nodes, never HTML strings with report text in them."""
    import re

    client.force_login(iw.operator)
    page = client.get("/command/").content.decode()
    script = page[page.index("<script>", page.index('id="map"')):]
    assert "bindPopup(popup(p))" in script and "createTextNode((p.c?p.c+'：':'')+p.n)" in script
    assert not re.search(r"bindPopup\(\s*['\"]", script) and "innerHTML" not in script
    assert not re.search(r"bindTooltip\(\s*f\.properties", script)
    assert 'id="map-data" type="application/json"' in page  # town outlines via json_script, not |safe


def test_the_map_offers_points_clusters_and_heat_from_vendored_files(iw, client):
    """The three views of the map and the libraries they need, served from static/vendor (no internet):
    every script and stylesheet the page names exists, and the cluster view gives the map a maxZoom
    (Leaflet.markercluster refuses a map without one)."""
    import re
    from pathlib import Path

    from django.conf import settings

    client.force_login(iw.operator)
    page = client.get("/command/").content.decode()
    for view in ("points", "cluster", "heat"):
        assert f'<option value="{view}">' in page
    assets = re.findall(r'(?:src|href)="/static/(vendor/[^"]+)"', page)
    assert {"vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js",
            "vendor/leaflet.heat-0.2.0/leaflet-heat.js"} <= set(assets)
    static = Path(settings.BASE_DIR) / "static"
    assert all((static / a).is_file() for a in assets), assets
    assert "maxZoom:18" in page and "L.markerClusterGroup(" in page


def test_the_command_centre_sees_reports_waiting_for_verification(iw, client):
    from dispatch.selectors import command_snapshot

    grid = report(iw)  # a grid worker's report: verified before closing
    own = report(iw, channel="inspection", actor=iw.tianma_officer, text="巡查发现府前路店家占道经营")  # closes at once
    for e in (grid, own):
        ins = e.instructions.get()
        services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
        services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    snap = command_snapshot(user=iw.operator)
    assert list(snap["to_verify"]) == [grid] and snap["to_verify_count"] == 1
    client.force_login(iw.operator)
    page = client.get("/command/").content.decode()
    assert "待核查（1）" in page and grid.ticket in page and own.ticket not in page
    services.event_verify(actor=iw.operator, event=grid, passed=True, note="现场已无摊点")
    assert command_snapshot(user=iw.operator)["to_verify_count"] == 0


def test_departments_worked_for_agrees_with_works_for(iw):
    from dispatch.access import departments_worked_for, works_for

    for user in iw.personas.values():
        listed = set(departments_worked_for(user).values_list("pk", flat=True))
        for department in Department.objects.all():
            assert (department.pk in listed) == works_for(user, department), (user.username, department.code)


def test_the_bodys_legal_reviewer_and_the_leader_do_not_work_its_instructions(iw, client):
    """The bureau's legal reviewer belongs to the bureau but reviews its cases (法制审核); signing, answering
    and returning its instructions is its officers' work. Their 我的待办 does not list the instructions, the
    event page offers them no 签收, and the services refuse them."""
    import pytest
    from django.urls import reverse

    from core.exceptions import NotPermitted

    event = report(iw)
    moved = services.instruction_transfer(actor=iw.operator, instruction=event.instructions.get(),
                                          department=iw.zf, team=iw.bureau_team, reason="需县级立案查处")
    assert my_work(user=iw.bureau_officer)["to_sign_count"] == 1
    assert my_work(user=iw.legal_reviewer)["to_sign_count"] == 0
    # nor the notices of that work; what is addressed to the bureau about its cases still reaches them
    assert notifications_for(iw.bureau_officer).filter(text__startswith="新指令：").exists()
    assert not notifications_for(iw.legal_reviewer).filter(text__startswith="新指令：").exists()
    case_notice = Notification.objects.create(department=iw.zf, level=Notification.Level.REMIND,
                                              text="即将超期：常综执案〔2026〕1号 法制审核，时限 03-31 23:59")
    assert case_notice in notifications_for(iw.legal_reviewer) and case_notice in notifications_for(iw.bureau_officer)
    import datetime as dt

    services.deadlines_sweep(now=moved.sign_due + dt.timedelta(minutes=5))  # 督办 of the unsigned instruction
    ducu = Notification.objects.get(department=iw.zf, level=Notification.Level.ESCALATE)
    assert ducu.field_work and "签收" in ducu.text
    assert ducu in notifications_for(iw.bureau_officer) and ducu not in notifications_for(iw.legal_reviewer)
    page = reverse("intake:event", args=[event.pk])
    client.force_login(iw.legal_reviewer)
    body = client.get(page).content.decode()
    assert client.get(page).status_code == 200 and reverse("intake:action", args=[event.pk, "sign"]) not in body
    for who in (iw.legal_reviewer, iw.leader):
        with pytest.raises(NotPermitted):
            services.instruction_sign(actor=who, instruction=moved)
        with pytest.raises(NotPermitted):
            services.event_return(actor=who, event=event, reason="不属于本单位职责")
    client.force_login(iw.bureau_officer)
    assert reverse("intake:action", args=[event.pk, "sign"]) in client.get(page).content.decode()
    services.instruction_sign(actor=iw.bureau_officer, instruction=moved)
    with pytest.raises(NotPermitted):
        services.instruction_feedback(actor=iw.legal_reviewer, instruction=moved, outcome="已处置完毕")


def test_instructions_the_system_composes_are_said_in_the_readers_language(iw, client):
    """The record stays Chinese (the instruction and its notice); an English reader of 我的待办 gets the
    instruction — and a transferred one with what it was before — and its 新指令 notice in English."""
    event = report(iw)
    first = event.instructions.get()
    assert first.content.startswith("请处置：") and first.message
    moved = services.instruction_transfer(actor=iw.operator, instruction=first, department=iw.zf,
                                          team=iw.bureau_team, reason="需县级立案查处")
    assert moved.content.startswith("（流转自") and "请处置：" in moved.content
    notice = Notification.objects.filter(department=iw.zf, text__startswith="新指令：（流转自").get()
    client.force_login(iw.bureau_officer)
    client.cookies["django_language"] = "en"
    home = client.get("/").content.decode()
    assert "(Transferred from" in home and "Please handle:" in home
    assert "请处置" not in home and "流转自" not in home
    assert notice.text.startswith("新指令：")  # the record is unchanged

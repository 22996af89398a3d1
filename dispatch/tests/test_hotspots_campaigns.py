"""热点预警 (bursts against each category's own history) and the campaign lifecycle a hot spot leads to:
发起 on a page, towns' tasks and instructions, progress, 结束 with results."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.exceptions import NotPermitted, ValidationFailed
from core.models import AuditRecord, Deadline
from dispatch import services
from dispatch.models import Campaign, Instruction
from dispatch.selectors import hot_spots
from intake.models import Event
from org.choices import RegionLevel

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 12, 0))


def _events(category, town, n, *, days_ago_from, days_ago_to):
    """n reports spread evenly between two ages (in days before NOW)."""
    span = days_ago_from - days_ago_to
    for i in range(n):
        age = days_ago_from - span * i / max(n - 1, 1)
        Event.objects.create(channel="grid", text=f"{category.name}{i}", category=category, town=town,
                             received_at=NOW - dt.timedelta(days=age))


def test_a_burst_is_flagged_against_its_own_history_and_normal_rates_are_not(iw):
    # 店外经营 in 天马: 2 reports in the 8 weeks before, 7 this week → flagged.
    _events(iw.cat_stall, iw.tianma, 2, days_ago_from=60, days_ago_to=10)
    _events(iw.cat_stall, iw.tianma, 7, days_ago_from=6, days_ago_to=0.5)
    # 食品安全 in 天马: 2 a week for 8 weeks, 2 this week → its normal rate, not flagged.
    _events(iw.cat_food, iw.tianma, 16, days_ago_from=62, days_ago_to=8)
    _events(iw.cat_food, iw.tianma, 2, days_ago_from=6, days_ago_to=1)
    spots = hot_spots(user=iw.operator, now=NOW)
    assert [(h.category_id, h.town_id, h.count, h.before) for h in spots] == [
        (iw.cat_stall.pk, iw.tianma.pk, 7, 2)]
    h = spots[0]
    assert h.expected == pytest.approx(2.5 * 7 / 56)  # the others did not rise: no volume factor
    assert h.p_value < 1e-6 and h.per_week_before == pytest.approx(0.25)
    # 窨井盖破损 in 辉埠: never before, 4 this week → below the minimum of 5, not flagged; a fifth is.
    _events(iw.cat_repair, iw.huibu, 4, days_ago_from=5, days_ago_to=1)
    assert (iw.cat_repair.pk, iw.huibu.pk) not in {(h.category_id, h.town_id) for h in hot_spots(user=iw.operator,
                                                                                               now=NOW)}
    _events(iw.cat_repair, iw.huibu, 1, days_ago_from=0.2, days_ago_to=0.2)
    assert (iw.cat_repair.pk, iw.huibu.pk) in {(h.category_id, h.town_id) for h in hot_spots(user=iw.operator, now=NOW)}


def test_a_category_that_rose_only_as_much_as_everything_else_is_not_a_hot_spot(iw):
    # 3 a week for 8 weeks, 12 this week: alone, that is a hot spot ...
    _events(iw.cat_stall, iw.tianma, 24, days_ago_from=62, days_ago_to=8)
    _events(iw.cat_stall, iw.tianma, 12, days_ago_from=6, days_ago_to=0.5)
    assert [h.category_id for h in hot_spots(user=iw.operator, now=NOW)] == [iw.cat_stall.pk]
    # ... but not when every other category rose fourfold too (a new channel, a busy week).
    _events(iw.cat_food, iw.tianma, 24, days_ago_from=62, days_ago_to=8)
    _events(iw.cat_food, iw.tianma, 12, days_ago_from=6, days_ago_to=0.5)
    assert hot_spots(user=iw.operator, now=NOW) == []


def test_a_rise_spread_over_several_towns_is_flagged_county_wide(iw):
    from org.models import Region

    third = Region.objects.create(code="330822102", name="球川镇", level=RegionLevel.TOWNSHIP, parent=iw.county)
    for town in (iw.tianma, iw.huibu, third):  # 2 each: no town alone reaches the minimum
        _events(iw.cat_repair, town, 2, days_ago_from=5, days_ago_to=1)
    spots = hot_spots(user=iw.operator, now=NOW)
    assert [(h.category_id, h.town_id, h.count) for h in spots] == [(iw.cat_repair.pk, None, 6)]


def test_the_command_centre_shows_hot_spots_with_a_way_to_start_a_campaign(iw, client):
    _events(iw.cat_stall, iw.tianma, 6, days_ago_from=3, days_ago_to=0.1)
    now = timezone.now()
    Event.objects.filter(category=iw.cat_stall).update(received_at=now - dt.timedelta(hours=5))
    client.force_login(iw.operator)
    page = client.get("/command/", headers={"HX-Request": "true"}).content.decode()
    assert "热点预警" in page and "店外经营 · 天马街道" in page and "6件" in page
    assert f"/command/campaigns/new/?category={iw.cat_stall.pk}&amp;town={iw.tianma.pk}&amp;n=6" in page
    client.force_login(iw.leader)  # county leaders see the warning but do not run campaigns
    page = client.get("/command/", headers={"HX-Request": "true"}).content.decode()
    assert "店外经营 · 天马街道" in page and "/command/campaigns/new/" not in page


def test_a_campaign_is_started_on_its_page_from_a_hot_spot(iw, client):
    client.force_login(iw.operator)
    page = client.get(f"/command/campaigns/new/?category={iw.cat_repair.pk}&town={iw.tianma.pk}&n=12").content.decode()
    assert "窨井盖破损专项整治" in page and "天马街道近期“窨井盖破损”报告 12 件" in page
    # in English the page is English, but the proposed name and reason are for the county's record
    client.cookies["django_language"] = "en"
    page = client.get(f"/command/campaigns/new/?category={iw.cat_repair.pk}&town={iw.tianma.pk}&n=12").content.decode()
    assert "窨井盖破损专项整治" in page and "热点预警：天马街道近期“窨井盖破损”报告 12 件" in page
    del client.cookies["django_language"]
    # a link that names nothing proposes nothing (a letter in the category was a server error)
    for query in ["?category=abc", f"?category={iw.cat_repair.pk}&town=x", "?category="]:
        r = client.get(f"/command/campaigns/new/{query}")
        assert r.status_code == 200
    assert "天马街道近期" not in client.get(f"/command/campaigns/new/?category={iw.cat_repair.pk}&town=x").content.decode()
    form = {"name": "窨井盖破损专项整治", "category": iw.cat_repair.pk, "description": "热点预警：全县排查",
            "lead": iw.zf.pk, "partners": [iw.zj.pk], "start": "2026-11-20", "end": "2026-12-20",
            f"target_{iw.tianma.pk}": "40", f"target_{iw.huibu.pk}": ""}
    r = client.post("/command/campaigns/new/", form)
    assert r.status_code == 302
    c = Campaign.objects.get()
    assert [(t.town, t.team, t.target) for t in c.tasks.all()] == [(iw.tianma, iw.tianma_team, 40)]
    assert list(c.partner_departments.all()) == [iw.zj] and c.category == iw.cat_repair
    assert Instruction.objects.get(campaign_task__campaign=c).department == iw.tianma_gov
    assert AuditRecord.objects.filter(action="dispatch.campaign.create").count() == 1


@pytest.mark.parametrize("change, field, message", [
    ({"target_TIANMA": "", "target_HUIBU": ""}, None, "至少为一个镇街填写排查目标"),
    ({"target_TIANMA": "-3"}, "target_TIANMA", ""),
    ({"end": "2026-11-01"}, "end", "结束日期不能早于开始日期"),
    ({"description": ""}, "description", ""),
])
def test_a_bad_campaign_form_names_the_field_and_writes_nothing(iw, client, change, field, message):
    client.force_login(iw.operator)
    form = {"name": "占道经营专项整治", "description": "说明", "lead": iw.zf.pk, "start": "2026-11-20",
            "end": "2026-12-20", f"target_{iw.tianma.pk}": "10"}
    for k, v in change.items():
        form[k.replace("TIANMA", str(iw.tianma.pk)).replace("HUIBU", str(iw.huibu.pk))] = v
    r = client.post("/command/campaigns/new/", form)
    assert r.status_code == 400
    errors = r.context["form"].errors
    key = "__all__" if field is None else field.replace("TIANMA", str(iw.tianma.pk))
    assert key in errors and (message in " ".join(errors[key]))
    assert not Campaign.objects.exists() and not Instruction.objects.exists()


def test_only_the_command_centre_starts_or_finishes_a_campaign(iw, client):
    client.force_login(iw.tianma_officer)
    assert client.get("/command/campaigns/new/").status_code == 404
    c = services.campaign_create(actor=iw.operator, name="窨井盖安全隐患专项排查", description="全县排查", lead=iw.zf,
                                 start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 31), targets={iw.tianma: 10})
    with pytest.raises(NotPermitted):
        services.campaign_finish(actor=iw.tianma_officer, campaign=c, results="完成")
    client.post(f"/command/campaigns/{c.pk}/finish/", {"results": "完成"})
    c.refresh_from_db()
    assert c.status == Campaign.Status.ACTIVE


def test_finishing_a_campaign_records_results_and_stops_its_reminders(iw, client):
    c = services.campaign_create(actor=iw.operator, name="窨井盖安全隐患专项排查", description="全县排查", lead=iw.zf,
                                 start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 31),
                                 targets={iw.tianma: 10, iw.huibu: 5})
    tianma = c.tasks.get(town=iw.tianma)
    services.instruction_sign(actor=iw.tianma_officer, instruction=tianma.instructions.get())
    services.instruction_feedback(actor=iw.tianma_officer, instruction=tianma.instructions.get(), outcome="排查12处")
    services.campaign_task_update(actor=iw.tianma_officer, task=tianma, found=12, fixed=10)
    with pytest.raises(ValidationFailed) as exc:
        services.campaign_finish(actor=iw.operator, campaign=c, results="  ")
    assert "results" in exc.value.errors
    client.force_login(iw.operator)
    client.post(f"/command/campaigns/{c.pk}/finish/", {"results": "排查12处，整改10处"})
    c.refresh_from_db()
    assert (c.status, c.results) == (Campaign.Status.FINISHED, "排查12处，整改10处")
    huibu = Instruction.objects.get(campaign_task__campaign=c, department=iw.huibu_gov)
    assert huibu.status == Instruction.Status.CANCELLED  # never signed: withdrawn, not escalated
    assert not Deadline.objects.filter(object_type="dispatch.instruction", object_id=str(huibu.pk),
                                       state=Deadline.State.OPEN).exists()
    record = AuditRecord.objects.get(action="dispatch.campaign.finish")
    assert record.after["found"] == 12 and record.after["cancelled_instructions"] == [huibu.pk]
    page = client.get("/command/campaigns/").content.decode()
    assert "成效" in page and "排查12处，整改10处" in page and "结束专项整治" not in page
    with pytest.raises(ValidationFailed):
        services.campaign_finish(actor=iw.operator, campaign=c, results="再次")
    with pytest.raises(ValidationFailed):
        services.campaign_task_update(actor=iw.tianma_officer, task=tianma, found=13, fixed=13)


def test_a_hot_spot_already_under_a_campaign_points_to_it_instead_of_offering_another(iw, client):
    _events(iw.cat_repair, iw.tianma, 6, days_ago_from=3, days_ago_to=0.1)
    Event.objects.filter(category=iw.cat_repair).update(received_at=timezone.now() - dt.timedelta(hours=5))
    c = services.campaign_create(actor=iw.operator, name="窨井盖安全隐患专项排查", description="排查", lead=iw.zf,
                                 start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 31), targets={iw.huibu: 5},
                                 category=iw.cat_repair)
    assert hot_spots(user=iw.operator)[0].campaign is None  # the campaign does not cover 天马
    c.tasks.create(town=iw.tianma, team=iw.tianma_team, target=5)
    assert hot_spots(user=iw.operator)[0].campaign == c
    client.force_login(iw.operator)
    page = client.get("/command/", headers={"HX-Request": "true"}).content.decode()
    assert "专项整治进行中" in page and f"#campaign-{c.pk}" in page and "/command/campaigns/new/" not in page


def test_the_sweep_tells_the_command_centre_of_a_new_hot_spot_once(iw):
    from core import clock
    from core.models import Notification

    def alerts(at):
        with clock.frozen(at):
            return services.hotspot_alerts()

    _events(iw.cat_stall, iw.tianma, 6, days_ago_from=3, days_ago_to=0.1)
    assert alerts(NOW) == 1
    note = Notification.objects.get(department=iw.guidance_office, text__startswith="热点预警：")
    assert note.text == "热点预警：店外经营·天马街道 近7天6件，此前未见"
    with translation.override("en"):
        assert note.shown == "Hot spot: 店外经营 · 天马街道, 6 in the last 7 days; none before"
    assert note.link == f"/intake/events/?category={iw.cat_stall.pk}&town={iw.tianma.pk}&received_from=2026-11-13"
    assert alerts(NOW + dt.timedelta(hours=1)) == 0  # the next passes stay quiet
    assert AuditRecord.objects.filter(action="dispatch.hotspot.alert").count() == 1
    # A week later, still rising: it is said again.
    _events(iw.cat_stall, iw.tianma, 12, days_ago_from=-6, days_ago_to=-7.5)
    assert alerts(NOW + dt.timedelta(days=8)) == 1
    # A campaign on it: nothing more to say.
    _events(iw.cat_stall, iw.tianma, 30, days_ago_from=-14, days_ago_to=-15.5)
    services.campaign_create(actor=iw.operator, name="占道经营专项整治", description="排查", lead=iw.zf,
                             start=dt.date(2026, 11, 20), end=dt.date(2026, 12, 31), targets={iw.tianma: 5},
                             category=iw.cat_stall)
    assert alerts(NOW + dt.timedelta(days=16)) == 0
    assert Notification.objects.filter(text__startswith="热点预警：").count() == 2

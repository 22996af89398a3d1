"""The 镇街 of a report decides whether the town team (赋权, ZJ-009) or a county body is responsible: from the
position, else the town the reporter or sending system names, else the one town the address names; how it
was found is kept on the event and shown in the routing explanation."""

import datetime as dt

import pytest

from dispatch.models import RoutingDecision
from intake.models import Event
from intake.services import event_submit
from org.geo import town_named_in

STALL = "有人占道摆摊经营，影响通行"  # 占道经营: delegated to 天马街道 in the test world


@pytest.mark.parametrize("address, town", [
    ("辉埠镇东山村村委会门口", "辉埠镇"),
    ("常山县天马街道人民路58号", "天马街道"),
    ("天马人民路58号", "天马街道"),  # without 街道
    ("辉埠 东山村", "辉埠镇"),
    ("天马街道和辉埠镇交界的路口", None),  # two towns: a person decides
    ("人民路58号", None),
    ("", None),
])
def test_the_one_town_an_address_names(iw, address, town):
    found = town_named_in(address)
    assert (found.name if found else None) == town


def test_a_report_without_a_position_goes_to_the_town_its_address_names(iw):
    event = event_submit(channel="citizen", text=STALL, category_code="0504", address="天马街道人民路58号").event
    assert event.town == iw.tianma and event.town_source == "address"
    decision = event.decisions.get()
    assert decision.method == RoutingDecision.Method.AUTO and event.department == iw.tianma_gov
    assert decision.explanation["town"] == {"name": "天马街道", "source": "按地址中的镇街名"}
    from core.models import AuditRecord

    record = AuditRecord.objects.get(action="intake.event.submit")
    assert (record.after["town"], record.after["town_source"]) == (iw.tianma.pk, "address")


def test_without_position_or_town_the_report_waits_for_a_person(iw):
    event = event_submit(channel="citizen", text=STALL, category_code="0504", address="人民路58号").event
    assert event.town is None and event.town_source == ""
    assert event.status == "triage"
    assert "无法确定发生地所在镇街" in event.decisions.get().explanation["triage_reasons"]


def test_the_position_wins_and_a_named_town_comes_before_the_address(iw):
    at_point = event_submit(channel="citizen", text=STALL, category_code="0504", address="辉埠镇东山村", lng=iw.tianma_point[0],
                            lat=iw.tianma_point[1]).event
    assert (at_point.town, at_point.town_source) == (iw.tianma, "point")
    assert at_point.decisions.get().explanation["town"]["source"] == "按定位"
    given = event_submit(channel="hotline", source=iw.hotline, external_id="H-1", text=STALL, category_code="0504",
                         address="天马街道人民路", town_code="330822115").event
    assert (given.town, given.town_source) == (iw.huibu, "given")


def test_the_public_page_offers_the_towns_for_a_report_without_a_position(iw, client):
    page = client.get("/public/report/").content.decode()
    assert 'name="town"' in page and "辉埠镇" in page and "按定位或地址确定" in page
    r = client.post("/public/report/", {"text": STALL, "priority": "normal", "category": iw.cat_stall.pk, "address": "东山村口",
                                        "town": iw.tianma.pk})
    assert r.status_code == 302, r.content.decode()[:300]
    event = Event.objects.get()
    assert (event.town, event.town_source) == (iw.tianma, "given") and event.department == iw.tianma_gov
    assert client.post("/public/report/", {"text": STALL, "priority": "normal", "address": "x",
                                           "town": 999999}).status_code == 200  # not a town: the form says so
    assert Event.objects.count() == 1
    client.force_login(iw.operator)  # the routing explanation says how the town was found
    assert "发生地镇街：天马街道（报告人或来源系统所填）" in client.get(f"/intake/events/{event.pk}/").content.decode()


def test_the_command_centre_records_the_town_when_it_routes_by_hand(iw, client):
    event = event_submit(channel="citizen", text=STALL, category_code="0504", address="东山村村口").event
    assert event.town is None and event.status == "triage"
    client.force_login(iw.operator)
    url = f"/intake/events/{event.pk}/assign/"
    page = client.post(url, {"department": iw.huibu_gov.pk, "reason": "电话回访：东山村属辉埠镇", "town": "x"},
                       follow=True).content.decode()
    assert "不是本县的乡镇(街道)" in page
    event.refresh_from_db()
    assert event.town is None and event.status == "triage"  # nothing written
    page = client.post(url, {"department": iw.huibu_gov.pk, "reason": "电话回访", "town": iw.county.pk},
                       follow=True).content.decode()
    assert "不是乡镇(街道)" in page  # a region, but not a town: refused by dispatch.triage_assign
    event.refresh_from_db()
    assert event.town is None and event.status == "triage"
    client.post(url, {"department": iw.huibu_gov.pk, "reason": "电话回访：东山村属辉埠镇", "town": iw.huibu.pk})
    event.refresh_from_db()
    assert (event.town, event.town_source, event.department) == (iw.huibu, "staff", iw.huibu_gov)
    assert event.decisions.last().explanation["town"] == {"name": "辉埠镇", "source": "指挥中心核定"}
    from core.models import AuditRecord

    record = AuditRecord.objects.filter(action="dispatch.route.manual").get()
    assert (record.before["town"], record.after["town"]) == (None, iw.huibu.pk)
    assert "发生地镇街：辉埠镇（指挥中心核定）" in client.get(f"/intake/events/{event.pk}/").content.decode()


def test_an_open311_request_with_only_an_address_string_gets_its_town(iw, client):
    r = client.post("/open311/v2/requests.json", {"api_key": iw.open311_key, "service_code": "0504",
                                                  "description": STALL, "address_string": "天马街道人民路58号"})
    assert r.status_code == 201, r.content
    event = Event.objects.get(ticket=r.json()[0]["service_request_id"])
    assert (event.town, event.town_source, event.lng) == (iw.tianma, "address", None)
    assert event.department == iw.tianma_gov  # delegated to the town: its body, not the county bureau
    public = client.get(f"/open311/v2/requests/{event.ticket}.json").json()[0]
    assert public["address"] == "天马街道人民路" and public["lat"] is None  # the street, not the house number


# 天马街道 (EAST) and 辉埠镇 (WEST) meet at longitude 118.5; 0.0002° of longitude is about 19 m here
NEAR_BORDER = (118.5002, 28.9)


def test_a_position_near_a_border_has_a_person_confirm_the_town_when_the_town_is_responsible(iw, client):
    """占道经营 is the town's where it happened (赋权): a fix 19 m from 辉埠镇 could be either town's, so the
    command centre confirms the town before it goes to 天马街道 — the explanation says how near, and why."""
    event = event_submit(channel="citizen", text=STALL, category_code="0504", address="人民路口", lng=NEAR_BORDER[0],
                         lat=NEAR_BORDER[1]).event
    assert (event.town, event.town_source, event.status) == (iw.tianma, "point", "triage")
    expl = event.decisions.get().explanation
    (near,) = expl["border"]["towns"]
    assert near["name"] == "辉埠镇" and 15 <= near["metres"] <= 25 and expl["border"]["address_town"] == ""
    assert expl["body"]["department"] == iw.tianma_gov.name  # the proposal stands; the town is what is unsure
    assert f"定位距辉埠镇仅约{near['metres']}米，须核定发生地是否属天马街道" in expl["triage_reasons"]
    client.force_login(iw.operator)
    page = client.get(f"/intake/events/{event.pk}/").content.decode()
    assert f"定位靠近镇街边界：距辉埠镇约 {near['metres']} 米" in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/intake/events/{event.pk}/").content.decode()
    assert f"about {near['metres']} m from 辉埠镇" in page and "confirm that it happened in 天马街道" in page


def test_near_a_border_an_address_naming_the_town_or_a_county_body_routes_at_once(iw):
    """The address that names the town of the fix confirms it; a county body's work (食品) does not depend
    on the town. Both are routed at once, the nearness kept in the explanation; one naming the other town,
    or a fix farther than ``routing.border_margin_m``, is not treated so."""
    from core.services import config_set

    named = event_submit(channel="citizen", text=STALL, category_code="0504", address="天马街道人民路口",
                         lng=NEAR_BORDER[0], lat=NEAR_BORDER[1]).event
    assert named.status == "routed" and named.department == iw.tianma_gov
    assert named.decisions.get().explanation["border"]["address_town"] == "天马街道"
    other = event_submit(channel="citizen", text="早点铺占道摆摊卖早餐", category_code="0504", address="辉埠镇东山村口",
                         lng=NEAR_BORDER[0], lat=NEAR_BORDER[1]).event
    expl = other.decisions.get().explanation
    assert other.status == "triage" and expl["border"]["address_town"] == "辉埠镇"
    assert [t["code"] for t in expl["triage"]] == ["near_border"]
    food = event_submit(channel="citizen", text="路口小店卖过期食品", category_code="1001", address="人民路口",
                        lng=NEAR_BORDER[0], lat=NEAR_BORDER[1]).event
    assert food.status == "routed" and food.department != iw.tianma_gov
    assert food.decisions.get().explanation["border"]["towns"][0]["name"] == "辉埠镇"
    far = event_submit(channel="citizen", text="商贩占道摆摊卖菜", category_code="0504", address="人民路口", lng=118.502,
                       lat=28.9).event  # about 190 m
    assert far.status == "routed" and "border" not in far.decisions.get().explanation
    config_set(actor=iw.guidance, key="routing.border_margin_m", value=0, valid_from=dt.date(2026, 1, 1),
               reason="试点：不核定边界")
    off = event_submit(channel="citizen", text="水果摊占道摆摊，堵住路口", category_code="0504", address="人民路口",
                       lng=NEAR_BORDER[0], lat=NEAR_BORDER[1]).event
    assert off.status == "routed" and "border" not in off.decisions.get().explanation

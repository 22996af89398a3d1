"""Open311 GeoReport v2: discovery, services, definitions, POST/GET requests, tokens, JSON and XML, errors."""

import xml.etree.ElementTree as ET

BASE = "/open311/v2"


def test_discovery_json_and_xml(iw, client):
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format").text == "text/xml"


def test_services_and_definition(iw, client):
    services = client.get(f"{BASE}/services.json").json()
    assert {s["service_code"] for s in services} == {"0504", "1001", "0410"}
    assert services[0]["type"] == "realtime"
    xml = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services" and len(xml.findall("service")) == 3
    definition = client.get(f"{BASE}/services/0504.json").json()
    assert definition["service_code"] == "0504" and definition["attributes"][0]["code"] == "priority"
    r = client.get(f"{BASE}/services/9999.json")
    assert r.status_code == 404 and r.json() == [{"code": 404, "description": "service_code '9999' not found"}]


def test_post_request_needs_api_key_and_service_code(iw, client):
    r = client.post(f"{BASE}/requests.json", {"service_code": "0504", "lat": 28.9, "long": 118.7, "description": "占道"})
    assert r.status_code == 403 and r.json()[0]["code"] == 403
    r = client.post(f"{BASE}/requests.xml", {"api_key": iw.open311_key, "lat": 28.9, "long": 118.7})
    assert r.status_code == 400
    err = ET.fromstring(r.content)
    assert err.tag == "errors" and err.find("error/code").text == "400"
    r = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504"})
    assert r.status_code == 400 and "location" in r.json()[0]["description"]
    r = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 31.2,
                                              "long": 121.4, "description": "上海的问题"})
    assert r.status_code == 400 and "不在本县" in r.json()[0]["description"]


def test_post_then_get_requests(iw, client):
    r = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 28.9,
                                              "long": 118.7, "description": "人民路占道摆摊经营", "first_name": "三",
                                              "last_name": "张", "phone": "13800000000"})
    assert r.status_code == 201, r.content
    sid = r.json()[0]["service_request_id"]
    one = client.get(f"{BASE}/requests/{sid}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == "0504"
    assert one["agency_responsible"] == "常山县天马街道办事处"
    assert "13800000000" not in str(one) and "张" not in str(one)  # never the reporter
    listing = client.get(f"{BASE}/requests.json", {"status": "open"}).json()
    assert [x["service_request_id"] for x in listing] == [sid]
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"service_code": "1001"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"start_date": "2001-01-01T00:00:00Z",
                                                 "end_date": "2001-02-01T00:00:00Z"}).json() == []
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
    xml = ET.fromstring(client.get(f"{BASE}/requests/{sid}.xml").content)
    assert xml.find("request/service_request_id").text == sid
    assert client.get(f"{BASE}/tokens/{sid}.json").json() == [{"service_request_id": sid, "token": sid}]
    assert client.get(f"{BASE}/requests/NOPE.json").status_code == 404


def test_unknown_format_and_jurisdiction(iw, client):
    assert client.get(f"{BASE}/services.csv").status_code == 400
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "beijing"}).status_code == 404


def test_expected_datetime_is_the_feedback_deadline_the_body_works_to(iw, client):
    from django.utils import timezone

    from dispatch import services
    from intake.models import Event

    r = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 28.9,
                                              "long": 118.7, "description": "人民路占道摆摊经营"})
    sid = r.json()[0]["service_request_id"]
    instruction = Event.objects.get(ticket=sid).instructions.get()
    one = client.get(f"{BASE}/requests/{sid}.json").json()[0]
    assert one["expected_datetime"] == timezone.localtime(instruction.feedback_due).isoformat()
    assert instruction.feedback_due.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in \
        client.get(f"/public/track/{sid}/").content.decode()
    services.instruction_sign(actor=iw.tianma_officer, instruction=instruction)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=instruction, outcome="已劝离摊贩，恢复通行")
    assert client.get(f"{BASE}/requests/{sid}.json").json()[0]["expected_datetime"] == ""


def _post(client, iw, text):
    r = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 28.9,
                                              "long": 118.7, "description": text})
    assert r.status_code == 201, r.content
    return r.json()[0]["service_request_id"]


def test_a_step_taken_again_says_why(iw, client):
    """Honest states (peers §3.2): a report moved to another body (流转) is told "转交其他单位" with Open311's
    internal_referral, not "分派" a second time; a failed 核查 and a reporter's reopening say so too — on the
    ticket page and in the updates alike."""
    from dispatch import services
    from intake.models import Event

    sid = _post(client, iw, "人民路占道摆摊经营")
    event = Event.objects.get(ticket=sid)
    services.instruction_sign(actor=iw.tianma_officer, instruction=event.instructions.get())
    moved = services.instruction_transfer(actor=iw.operator, instruction=event.instructions.get(status="signed"),
                                          department=iw.zf, team=iw.bureau_team, reason="需县级立案查处")
    services.instruction_sign(actor=iw.bureau_officer, instruction=moved)
    services.instruction_feedback(actor=iw.bureau_officer, instruction=moved, outcome="已责令当事人撤除摊位")
    services.event_verify(actor=iw.operator, event=event, passed=False, note="现场核查，摊位仍在")
    again = event.instructions.filter(status="signed").get()
    services.instruction_feedback(actor=iw.bureau_officer, instruction=again, outcome="已依法暂扣摊位设施")
    services.event_verify(actor=iw.operator, event=event, passed=True, note="复核，已恢复通行")
    services.event_reopen(event=event, reason="第二天又来摆摊了")
    updates = client.get(f"{BASE}/servicerequestupdates.json", {"service_request_id": sid}).json()
    said = [(u["status"], u["description"]) for u in updates]
    assert ("internal_referral", "已转交其他单位办理") in said
    assert [d for _s, d in said].count("已分派办理单位") == 1
    assert ("in_progress", "核查未通过，继续处置") in said
    assert said[-1] == ("action_scheduled", "报告人反映问题未解决，已重新交办")
    page = client.get(f"/public/track/{sid}/").content.decode()
    assert all(d in page for _s, d in said)
    client.cookies["django_language"] = "en"
    page = client.get(f"/public/track/{sid}/").content.decode()
    assert "已转交" not in page and "核查未通过" not in page


def test_get_requests_is_paginated_with_a_link_to_the_next_page(iw, client):
    # Texts far apart so none is linked as a duplicate of another.
    sids = [_post(client, iw, text) for text in ("人民路占道摆摊经营", "文峰路共享单车乱停放堵塞盲道",
                                                 "紫港街道夜间广场舞音响扰民")]
    first = client.get(f"{BASE}/requests.json", {"page_size": 2})
    assert [x["service_request_id"] for x in first.json()] == sids[::-1][:2]  # newest first
    link = first["Link"]
    assert link.endswith('>; rel="next"') and "page=2" in link and "page_size=2" in link
    second = client.get(link[link.index("<") + 1:link.index(">")].replace("http://testserver", ""))
    assert [x["service_request_id"] for x in second.json()] == [sids[0]]
    assert not second.has_header("Link")
    assert client.get(f"{BASE}/requests.json", {"page": 3, "page_size": 2}).json() == []
    for bad in ({"page": "0"}, {"page": "x"}, {"page_size": "1001"}, {"page_size": "-1"}):
        r = client.get(f"{BASE}/requests.json", bad)
        assert r.status_code == 400 and next(iter(bad)) in r.json()[0]["description"], bad
    r = client.get(f"{BASE}/requests.xml", {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"})
    assert r.status_code == 400 and ET.fromstring(r.content).find("error/description").text.startswith("start_date")


def test_service_request_updates_follow_each_public_step(iw, client):
    from dispatch import services
    from intake.models import Event
    from intake.services import event_submit

    sid = _post(client, iw, "人民路占道摆摊经营")
    event = Event.objects.get(ticket=sid)
    instruction = event.instructions.get()
    services.instruction_sign(actor=iw.tianma_officer, instruction=instruction)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=instruction, outcome="已劝离摊贩，恢复通行")
    # A department referral is never published, nor are its steps.
    event_submit(channel="referral", text="移送：某企业涉嫌无证经营", lng=118.7, lat=28.9, category_code="0504")

    updates = client.get(f"{BASE}/servicerequestupdates.json").json()
    assert {u["service_request_id"] for u in updates} == {sid}
    assert [u["status"] for u in updates] == ["open", "action_scheduled", "in_progress", "fixed"]
    assert [u["description"] for u in updates] == ["已受理，待分拨", "已分派办理单位", "办理单位已签收，处置中",
                                                   "已处置，待核查"]
    steps = list(event.transitions.order_by("at", "pk"))
    assert [u["update_id"] for u in updates] == [str(t.pk) for t in steps]
    assert all(set(u) == {"update_id", "service_request_id", "status", "updated_datetime", "description",
                          "media_url"} for u in updates)
    # Incremental fetching: a window after the last step is empty; paging works as for requests.
    last = updates[-1]["updated_datetime"]
    assert client.get(f"{BASE}/servicerequestupdates.json", {"start_date": "2099-01-01T00:00:00Z",
                                                               "end_date": "2099-01-02T00:00:00Z"}).json() == []
    assert client.get(f"{BASE}/servicerequestupdates.json", {"start_date": last}).json()[-1]["status"] == "fixed"
    paged = client.get(f"{BASE}/servicerequestupdates.json", {"page_size": 3})
    assert len(paged.json()) == 3 and 'rel="next"' in paged["Link"]
    xml = ET.fromstring(client.get(f"{BASE}/servicerequestupdates.xml", {"service_request_id": sid}).content)
    assert xml.tag == "service_requests_updates" and len(xml.findall("request_update")) == 4
    assert xml.find("request_update/status").text == "open"
    assert client.get(f"{BASE}/servicerequestupdates.json", {"end_date": "soon"}).status_code == 400
    # The ticket page tells the reporter the same steps in the same words.
    page = client.get(f"/public/track/{sid}/").content.decode()
    assert all(u["description"] in page for u in updates)

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

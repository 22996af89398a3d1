"""回传: a sending system (12345 hotline) reads what happened to the reports it sent — routed, signed,
returned, fixed, closed — with the outcome to answer the caller, by polling one feed from where it left off."""

import datetime as dt

from django.utils import timezone

from core import clock
from dispatch import services
from dispatch.selectors import current_instruction
from intake.models import Event

URL = "/api/intake/updates"


def post(client, key, n, **kw):
    payload = {"external_id": f"12345-{n}", "text": "天马街道人民路有人占道摆摊经营", "address": f"人民路{n}号",
               "town": "天马街道", "category": "0504"}
    payload.update(kw)
    r = client.post("/api/intake/events", payload, content_type="application/json", HTTP_X_API_KEY=key)
    assert r.status_code == 201, r.content
    return Event.objects.get(ticket=r.json()["ticket"])


def read(client, key, **params):
    with clock.frozen(timezone.now() + dt.timedelta(minutes=6)):  # past the 5-minute hold-back
        return client.get(URL, params, HTTP_X_API_KEY=key)


def test_the_hotline_follows_its_report_to_the_outcome(iw, client):
    event = post(client, iw.hotline_key, 1)
    ins = current_instruction(event)
    services.instruction_sign(actor=iw.tianma_officer, instruction=ins)
    services.instruction_feedback(actor=iw.tianma_officer, instruction=ins, outcome="已劝离摊贩，恢复通行")
    services.event_verify(actor=iw.operator, event=event, passed=True, note="回访，摊贩已离开")
    body = read(client, iw.hotline_key).json()
    steps = [(u["old"], u["new"]) for u in body["updates"]]
    assert steps[0] == ("", "triage") and steps[-1][1] == "closed"
    assert [u["id"] for u in body["updates"]] == sorted(u["id"] for u in body["updates"])
    last = body["updates"][-1]
    assert last["ticket"] == event.ticket and last["external_id"] == "12345-1" and last["new_label"] == "已办结"
    assert last["event"]["outcome"] == "已劝离摊贩，恢复通行" and last["event"]["closed_at"]
    assert last["event"]["department"] == "常山县天马街道办事处" and last["event"]["explanation"]
    assert last["event"]["town"] == "天马街道" and last["event"]["town_source"] == "given"  # the payload's town
    assert body["next_after"] == last["id"]
    again = read(client, iw.hotline_key, after=body["next_after"]).json()
    assert again == {"updates": [], "next_after": body["next_after"]}  # nothing new: the same place


def test_pages_follow_on_and_each_system_reads_only_its_own(iw, client):
    for n in range(3):
        post(client, iw.hotline_key, n, address=f"文峰路{n}号")
    everything = read(client, iw.hotline_key).json()["updates"]
    first = read(client, iw.hotline_key, limit=2).json()
    second = read(client, iw.hotline_key, limit=2, after=first["next_after"]).json()
    assert [u["id"] for u in first["updates"] + second["updates"]] == [u["id"] for u in everything][:4]
    assert read(client, iw.drone_key).json()["updates"] == []


def test_a_change_just_recorded_is_held_back(iw, client):
    post(client, iw.hotline_key, 1)
    assert client.get(URL, HTTP_X_API_KEY=iw.hotline_key).json()["updates"] == []
    with clock.frozen(timezone.now() + dt.timedelta(minutes=4)):
        assert client.get(URL, HTTP_X_API_KEY=iw.hotline_key).json()["updates"] == []
    assert read(client, iw.hotline_key).json()["updates"]


def test_bad_paging_is_refused_by_field(iw, client):
    for params, field in (({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"after": -1}, "after")):
        r = client.get(URL, params, HTTP_X_API_KEY=iw.hotline_key)
        assert r.status_code == 422 and field in r.json()["errors"], r.content
    assert client.get(URL, {"after": "x"}, HTTP_X_API_KEY=iw.hotline_key).status_code == 422
    assert client.get(URL).status_code == 401


def test_a_page_costs_the_same_queries_however_many_reports(iw, client, django_assert_max_num_queries):
    for n in range(8):
        post(client, iw.hotline_key, n, address=f"府前路{n}号")
    with django_assert_max_num_queries(6):
        body = read(client, iw.hotline_key).json()
    assert len(body["updates"]) >= 16

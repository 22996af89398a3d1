"""A refusal is said in the user's language: Chinese by default, English when the user chose English
(pages: the language cookie) or the calling system asked for it (API and Open311: ``Accept-Language``).
Whatever the language, the fields are the same and nothing is written."""


import pytest
from django.urls import reverse

from intake.models import Event

pytestmark = pytest.mark.django_db


def api_post(client, key, payload, **headers):
    return client.post("/api/intake/events", payload, content_type="application/json", HTTP_X_API_KEY=key, **headers)


def test_api_refusals_follow_accept_language(iw, client):
    bad = {"text": "", "lng": 121.0, "lat": 31.0, "priority": "now"}
    zh = api_post(client, iw.hotline_key, bad)
    assert zh.status_code == 422 and zh["Content-Language"] == "zh-hans"
    assert zh.json()["message"] == "事件信息有误"
    assert zh.json()["errors"]["text"] == ["请填写事件描述"]
    assert zh.json()["errors"]["location"] == ["位置(121.00000, 31.00000)不在本县范围内"]

    en = api_post(client, iw.hotline_key, bad, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert en.status_code == 422 and en["Content-Language"] == "en"
    body = en.json()
    assert body["message"] == "The report has errors"
    assert set(body["errors"]) == set(zh.json()["errors"]) == {"text", "location", "priority"}
    assert body["errors"]["text"] == ["Describe the problem"]
    assert body["errors"]["location"] == ["The position (121.00000, 31.00000) is outside the county"]
    assert body["errors"]["priority"] == ["Priority “now” is not valid: urgent/high/normal/low"]
    # the schema's own checks and the key check too
    schema = api_post(client, iw.hotline_key, {"text": ["x"], "lng": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert schema.json()["errors"]["text"] == ["Must be text"] and schema.json()["errors"]["lng"] == ["Must be a number"]
    assert api_post(client, "oe_wrong", {"text": "x"}, HTTP_ACCEPT_LANGUAGE="en").json()["message"] == \
        "Log in or give a valid API key"
    assert Event.objects.count() == 0


def test_open311_errors_follow_accept_language(iw, client):
    r = client.post("/open311/v2/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 31.2,
                                                  "long": 121.4, "description": "占道经营"},
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "location: The position (121.40000, 31.20000) is outside the county" in r.json()[0]["description"]
    assert Event.objects.count() == 0


def test_a_browsers_accept_language_does_not_turn_pages_english(iw, client):
    """Pages stay Chinese until the user switches, whatever the browser sends (core.middleware)."""
    r = client.post("/public/report/", {"text": "人民路占道经营", "priority": "normal"}, HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert "请提供位置（经纬度）或地址" in page and "Give a position" not in page


def test_public_page_refusal_in_english(iw, client):
    client.cookies["django_language"] = "en"
    r = client.post("/public/report/", {"text": "人民路占道经营", "priority": "normal", "reporter_phone": "12345",
                                        "address": ""})
    page = r.content.decode()
    assert r.status_code == 200
    assert "Give a position (longitude and latitude) or an address" in page
    assert "“12345” is not a valid phone number" in page
    assert "请提供位置" not in page
    assert Event.objects.count() == 0


def test_a_dispatch_refusal_in_english(iw, client):
    from dispatch.tests.test_whistle_pages import manhole_campaign_task

    task = manhole_campaign_task(iw)
    url = reverse("dispatch:campaign_progress", args=[task.pk])
    client.force_login(iw.tianma_officer)
    client.cookies["django_language"] = "en"
    page = client.post(url, {"found": "2", "fixed": "5"}, follow=True).content.decode()
    assert "Fixed cannot exceed found, and neither can be negative" in page
    task.refresh_from_db()
    assert (task.found, task.fixed) == (0, 0)
    # an officer of another town is refused in English too
    client.force_login(iw.huibu_officer)
    page = client.post(url, {"found": "2", "fixed": "1"}, follow=True).content.decode()
    assert "Only the team given the task can report progress" in page

"""Intake: validation, idempotency, duplicates, routing with its explanation."""

import base64
import datetime as dt

import pytest
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.models import AuditRecord
from intake.choices import EventStatus
from intake.models import Event
from intake.services import NewAttachment, event_submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def submit(w, **kw):
    data = dict(channel="grid", actor=w.grid_tianma, text="天马街道人民路有人占道摆摊经营，影响通行", lng=w.tianma_point[0],
                lat=w.tianma_point[1], category_code="0504")
    data.update(kw)
    return event_submit(**data)


def test_grid_photo_report_goes_to_town_team_when_item_delegated(iw):
    result = submit(iw, attachments=[NewAttachment("photo.png", PNG)])
    e = result.event
    assert result.created and e.status == EventStatus.ROUTED
    assert e.town == iw.tianma and e.department == iw.tianma_gov and e.team == iw.tianma_team
    assert e.item == iw.item_stall
    decision = e.decisions.get()
    assert decision.explanation["delegation"]["town"] == "天马街道"
    assert decision.explanation["item"]["basis"] == ["《城市市容和环境卫生管理条例》第三十四条"]
    assert "赋权天马街道" in decision.explanation["summary"]
    att = e.attachments.get()
    assert att.content_type == "image/png" and len(att.sha256) == 64
    assert e.instructions.get().department == iw.tianma_gov


def test_same_matter_in_town_without_delegation_goes_to_holder(iw):
    e = submit(iw, actor=iw.admin, channel="inspection", lng=iw.huibu_point[0], lat=iw.huibu_point[1], text="辉埠镇街边占道摆摊经营").event
    assert e.town == iw.huibu and e.department == iw.zf and e.team == iw.bureau_team
    assert e.decisions.get().explanation["holder"]["department"] == "常山县综合行政执法局"


def test_boundary_row_decides_and_is_shown(iw):
    e = submit(iw, category_code=None, text="山上有人夜里偷倒建筑垃圾和渣土").event
    d = e.decisions.get()
    assert e.department == iw.zf
    assert d.boundary_rule == iw.rule_waste
    assert d.explanation["boundary_rule"]["keywords_found"] == ["建筑垃圾", "渣土"]


def test_non_enforcement_category_goes_to_its_department(iw):
    e = submit(iw, category_code="0410", text="人民路窨井盖破损，有安全隐患").event
    assert e.department == iw.zj and e.status == EventStatus.ROUTED


def test_nothing_known_goes_to_triage_with_reasons(iw):
    e = submit(iw, category_code=None, text="这里有个问题请处理一下").event
    assert e.status == EventStatus.TRIAGE and e.department is None
    assert "未找到责任主体" in e.decisions.get().explanation["triage_reasons"]


@pytest.mark.parametrize("field,kwargs,message", [
    ("location", {"lng": 120.2, "lat": 30.3}, "不在本县范围内"),
    ("location", {"lng": None, "lat": None, "address": ""}, "请提供位置"),
    ("occurred_at", {"occurred_at": "2099-01-01T00:00:00+08:00"}, "不能晚于当前时间"),
    ("text", {"text": ""}, "请填写事件描述"),
    ("text", {"text": "长" * 2001}, "不能超过2000字"),
    ("category", {"category_code": "9999"}, "不存在"),
    ("priority", {"priority": "asap"}, "紧急程度"),
    ("attachments[1]", {"attachments": [NewAttachment("a.exe", b"MZ\x90\x00binary")]}, "类型不支持"),
    ("town", {"lng": None, "lat": None, "address": "某路", "town_code": "杭州"}, "不是本县"),
    ("reporter_phone", {"reporter_phone": "12345"}, "不是有效的电话号码"),
    ("reporter_name", {"reporter_name": "名" * 51}, "不能超过50字"),
])
def test_bad_input_names_the_field_and_writes_nothing(iw, field, kwargs, message):
    events, audits = Event.objects.count(), AuditRecord.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        submit(iw, **kwargs)
    assert any(message in m for m in exc.value.errors[field]), exc.value.errors
    assert Event.objects.count() == events and AuditRecord.objects.count() == audits


def test_near_duplicate_is_linked_with_me_too_and_never_dropped(iw):
    first = submit(iw).event
    second = submit(iw, lng=iw.tianma_point[0] + 0.0004, text="人民路有人占道摆摊经营，堵住了路").event
    assert second.status == EventStatus.DUPLICATE and second.duplicate_of == first
    first.refresh_from_db()
    assert first.me_too_count == 1
    far = submit(iw, lng=iw.tianma_point[0] + 0.05, text="人民路有人占道摆摊经营").event
    assert far.duplicate_of is None
    other_text = submit(iw, lng=iw.tianma_point[0] + 0.0002, text="楼下小吃店门口油烟很大").event
    assert other_text.duplicate_of is None
    assert Event.objects.count() == 4


def test_old_report_outside_window_is_not_a_duplicate(iw):
    submit(iw, received_at=timezone.now() - dt.timedelta(days=10))
    assert submit(iw).event.duplicate_of is None


def api_post(client, key, payload, path="/api/intake/events"):
    return client.post(path, payload, content_type="application/json", HTTP_X_API_KEY=key)


def test_hotline_api_call_is_idempotent(iw, client):
    payload = {"external_id": "12345-20261126-0001", "text": "辉埠镇有人占道摆摊经营", "address": "辉埠镇中心街",
               "town": "辉埠镇", "category": "0504"}
    r1 = api_post(client, iw.hotline_key, payload)
    assert r1.status_code == 201, r1.content
    body = r1.json()
    assert body["created"] is True and body["department"] == "常山县综合行政执法局" and body["explanation"]
    count = Event.objects.count()
    r2 = api_post(client, iw.hotline_key, payload)
    assert r2.status_code == 200 and r2.json()["ticket"] == body["ticket"] and r2.json()["created"] is False
    assert Event.objects.count() == count
    assert client.get(f"/api/intake/events/{body['ticket']}", HTTP_X_API_KEY=iw.hotline_key).json()["ticket"] == \
        body["ticket"]
    # another system cannot read it
    assert client.get(f"/api/intake/events/{body['ticket']}", HTTP_X_API_KEY=iw.drone_key).status_code == 404


def test_api_rejects_missing_or_bad_key(iw, client):
    assert api_post(client, "", {"text": "x"}).status_code == 401
    assert api_post(client, "oe_wrong", {"text": "x"}).status_code == 401


def test_api_validation_error_is_422_with_fields(iw, client):
    r = api_post(client, iw.hotline_key, {"text": "x", "lng": 121.0, "lat": 31.0})
    assert r.status_code == 422
    assert "location" in r.json()["errors"]
    r = api_post(client, iw.hotline_key, {"lng": 118.5})
    assert r.status_code == 422 and "text" in r.json()["errors"]
    assert Event.objects.count() == 0


def test_drone_batch_all_or_nothing_and_idempotent(iw, client):
    png = base64.b64encode(PNG).decode()
    dets = [{"external_id": f"d{i}", "text": f"河道边发现建筑垃圾渣土堆放{i}", "lng": iw.huibu_point[0] + i * 0.01,
             "lat": iw.huibu_point[1], "attachments": [{"name": f"{i}.png", "content_base64": png}]} for i in range(3)]
    bad = dets + [{"external_id": "d9", "text": "越界", "lng": 125.0, "lat": 40.0}]
    r = api_post(client, iw.drone_key, {"flight_id": "F20261126-1", "detections": bad}, "/api/intake/events/batch")
    assert r.status_code == 422 and "detections[3].location" in r.json()["errors"]
    assert Event.objects.count() == 0
    r = api_post(client, iw.drone_key, {"flight_id": "F20261126-1", "detections": dets}, "/api/intake/events/batch")
    assert r.status_code == 201 and r.json()["created"] == 3
    assert Event.objects.filter(channel="drone", external_id__startswith="F20261126-1:").count() == 3
    r = api_post(client, iw.drone_key, {"flight_id": "F20261126-1", "detections": dets}, "/api/intake/events/batch")
    assert r.status_code == 200 and r.json()["existing"] == 3 and Event.objects.count() == 3


def test_bad_base64_attachment(iw, client):
    r = api_post(client, iw.hotline_key, {"text": "占道", "town": "天马街道", "address": "x",
                                          "attachments": [{"name": "a.png", "content_base64": "@@@"}]})
    assert r.status_code == 422 and "attachments[1]" in r.json()["errors"]


def test_api_schema_errors_are_said_in_chinese_and_bad_json_in_our_shape(iw, client):
    r = client.post("/api/intake/events", "{bad", content_type="application/json", HTTP_X_API_KEY=iw.hotline_key)
    assert r.status_code == 400 and r.json()["code"] == "bad_request" and "JSON" in r.json()["message"]
    r = api_post(client, iw.hotline_key, {"text": ["x"], "lng": "abc", "lat": 28.9, "occurred_at": "yesterday",
                                          "external_id": "x" * 101})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors["text"] == ["应为文本"] and errors["lng"] == ["应为数字"]
    assert errors["occurred_at"][0].startswith("应为 ISO 8601") and errors["external_id"] == ["不能超过100个字符"]
    assert Event.objects.count() == 0


def test_a_boundary_row_whose_items_are_all_delegated_to_the_town_goes_to_the_town(iw):
    """ZJ-009: the row names its items; the text matches none of their wording, but every one is delegated
    to the town where it happened, so the town handles it, not the row's county body."""
    from catalogue.models import BoundaryRule, ItemDelegation

    BoundaryRule.objects.create(
        code="ZZBJ-0009", matter="占道经营", criteria="擅自占用城市道路经营的，由综合行政执法部门查处",
        keywords=["流动摊贩"], penalising_department=iw.zf, supervising_department=iw.zj,
        item_codes=["330822010002"], source_document="清单", source_date=dt.date(2021, 11, 1))
    text = "每天傍晚有流动摊贩聚集，影响通行"  # none of the item's wording (擅自占用城市道路摆摊经营)
    e = submit(iw, category_code=None, text=text).event
    x = e.decisions.get().explanation
    assert "item" not in x and x["delegation"] == {"town": "天马街道", "items": ["330822010002"],
                                                  "rule": "ZJ-009 / 行政处罚法第二十四条"}
    assert e.department == iw.tianma_gov and e.status == EventStatus.ROUTED
    assert x["summary"] == ("依据职责边界清单 ZZBJ-0009“占道经营”；清单所列事项（330822010002）均已赋权天马街道，"
                            "由常山县天马街道办事处（天马片区综合行政执法队）负责")
    # in a town without that delegation the row's county body keeps it
    e = submit(iw, category_code=None, text=text, lng=iw.huibu_point[0], lat=iw.huibu_point[1]).event
    assert e.department == iw.zf and "delegation" not in e.decisions.get().explanation
    # and when only some of the row's items are delegated to the town, so does the county body (an edit of
    # the row takes effect at once: routing's copy of the rows notices it)
    assert not ItemDelegation.objects.filter(item=iw.item_litter).exists()
    rule = BoundaryRule.objects.get(code="ZZBJ-0009")
    rule.item_codes = ["330822010002", "330822010001"]
    rule.save()
    e = submit(iw, category_code=None, text=text + "。", lng=iw.tianma_point[0] + 0.02).event
    assert e.department == iw.zf

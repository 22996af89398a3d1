"""XF-050 confidentiality of reporters and of what the public sees (peers §3.5: privacy and anonymity)."""

import pytest

from core.models import AuditRecord
from core.privacy import mask_identifiers
from core.validators import mask_phone, validate_phone
from dispatch.access import reporter_contact
from intake.models import Event
from intake.services import event_submit

BASE = "/open311/v2"
ID = "330822199001011234"


def report(w, **kw):
    data = dict(channel="citizen", text="人民路有人占道摆摊经营，影响通行", lng=w.tianma_point[0], lat=w.tianma_point[1],
                category_code="0504", reporter_name="王小明", reporter_phone="13912345678")
    data.update(kw)
    return event_submit(**data).event


def test_phone_numbers_are_normalised_and_masked():
    assert validate_phone("+86 139 1234 5678") == "13912345678"
    assert validate_phone("0570-8765432") == "0570-8765432"
    assert validate_phone("") == ""
    assert mask_phone("13912345678") == "139****5678"
    text = mask_identifiers(f"我叫李四，电话139 1234 5678，身份证{ID}，卡号6222020200112233445，座机0570-8765432")
    assert text == "我叫李四，电话[电话]，身份证[身份证号码]，卡号[账号]，座机[电话]"


def test_XF_050_open311_get_masks_personal_data_and_blurs_the_point(iw, client):
    r = client.post(f"{BASE}/requests.json", {
        "api_key": iw.open311_key, "service_code": "0504", "lat": 28.912345, "long": 118.712345,
        "description": f"张三在人民路摆摊，我是张三的邻居，电话13912345678，身份证{ID}",
        "address_string": "天马街道人民路12号门口", "last_name": "张", "first_name": "三", "phone": "13800000000"})
    assert r.status_code == 201, r.content
    one = client.get(f"{BASE}/requests/{r.json()[0]['service_request_id']}.json").json()[0]
    assert "13912345678" not in one["description"] and ID not in one["description"]
    assert "张某在人民路摆摊" in one["description"] and "[电话]" in one["description"]
    assert (one["lat"], one["long"]) == (28.912, 118.712)
    assert one["address"] == "天马街道人民路"  # the street, not the door: the same ~100 m as the point
    event = Event.objects.get()
    assert (event.lat, event.lng) == (28.912345, 118.712345)  # staff keep the exact point
    assert event.address == "天马街道人民路12号门口"


def test_XF_050_confidential_report_over_open311(iw, client):
    bad = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 28.9,
                                                "long": 118.7, "description": "占道", "attribute[confidential]": "maybe"})
    assert bad.status_code == 400 and "confidential" in bad.json()[0]["description"]
    assert Event.objects.count() == 0
    r = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 28.9,
                                              "long": 118.7, "description": "隔壁楼下占道摆摊，我住302",
                                              "address_string": "天马街道文峰路8号", "attribute[confidential]": "true"})
    assert r.status_code == 201
    assert Event.objects.get().confidential is True
    one = client.get(f"{BASE}/requests/{r.json()[0]['service_request_id']}.json").json()[0]
    assert one["description"] == "" and one["service_code"] == "0504"
    assert one["address"] == Event.objects.get().town.name  # only the town: the street could tell who complained
    definition = client.get(f"{BASE}/services/0504.json").json()
    assert [a["code"] for a in definition["attributes"]] == ["priority", "confidential"]


@pytest.mark.parametrize("channel", ["referral", "inspection"])
def test_XF_050_referrals_and_inspection_findings_are_not_published(iw, client, channel):
    event = report(iw, channel=channel, reporter_name="", reporter_phone="")
    assert client.get(f"{BASE}/requests.json").json() == []
    assert client.get(f"{BASE}/requests/{event.ticket}.json").status_code == 404
    public = report(iw, lng=iw.tianma_point[0] + 0.05)
    assert [x["service_request_id"] for x in client.get(f"{BASE}/requests.json").json()] == [public.ticket]


def test_XF_050_who_sees_the_reporter(iw):
    open_report = report(iw)
    assert open_report.department == iw.tianma_gov
    handler = reporter_contact(iw.tianma_officer, open_report)
    assert (handler.name, handler.phone, handler.can_reveal) == ("王小明", "139****5678", True)
    assert reporter_contact(iw.tianma_officer, open_report, revealed=True).phone == "13912345678"
    grid = reporter_contact(iw.grid_tianma, open_report, revealed=True)
    assert (grid.name, grid.phone, grid.can_reveal) == ("王小明", "", False)
    from dispatch import services

    moved = report(iw, lng=iw.tianma_point[0] + 0.02)  # moved to the bureau: its reviewer does not call back
    services.instruction_transfer(actor=iw.operator, instruction=moved.instructions.get(), department=iw.zf,
                                  team=iw.bureau_team, reason="需县级立案查处")
    moved.refresh_from_db()
    assert reporter_contact(iw.bureau_officer, moved).can_reveal
    reviewer = reporter_contact(iw.legal_reviewer, moved, revealed=True)
    assert (reviewer.name, reviewer.phone, reviewer.can_reveal) == ("王小明", "", False)

    secret = report(iw, confidential=True, lng=iw.tianma_point[0] + 0.05)
    handler = reporter_contact(iw.tianma_officer, secret, revealed=True)
    assert (handler.name, handler.phone, handler.can_reveal) == ("（保密）", "", False)
    assert "指挥中心" in handler.note
    operator = reporter_contact(iw.operator, secret, revealed=True)
    assert (operator.name, operator.phone, operator.can_reveal) == ("王小明", "13912345678", True)
    assert reporter_contact(iw.grid_tianma, secret).name == "（保密）"


def test_XF_050_revealing_a_phone_is_audited_and_refused_when_confidential(iw, client):
    open_report = report(iw)
    secret = report(iw, confidential=True, lng=iw.tianma_point[0] + 0.05)
    client.force_login(iw.tianma_officer)
    page = client.get(f"/intake/events/{open_report.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page and "查看完整号码" in page
    r = client.post(f"/intake/events/{open_report.pk}/contact/")
    assert r.status_code == 200 and "13912345678" in r.content.decode() and r["Cache-Control"] == "no-store"
    seen = AuditRecord.objects.filter(action="intake.event.contact_view")
    assert seen.count() == 1 and seen.get().object_id == str(open_report.pk)

    page = client.get(f"/intake/events/{secret.pk}/").content.decode()
    assert "王小明" not in page and "5678" not in page and "查看完整号码" not in page
    assert client.post(f"/intake/events/{secret.pk}/contact/").status_code == 403
    assert seen.count() == 1


def test_public_report_form_takes_confidentiality_and_checks_the_phone(iw, client):
    form = {"text": "人民路有人占道摆摊经营", "lng": iw.tianma_point[0], "lat": iw.tianma_point[1], "priority": "normal",
            "reporter_name": "王小明", "reporter_phone": "139-1234"}
    r = client.post("/public/report/", form)
    assert r.status_code == 200 and "不是有效的电话号码" in r.content.decode()
    assert Event.objects.count() == 0
    r = client.post("/public/report/", {**form, "reporter_phone": "13912345678", "confidential": "on"})
    assert r.status_code == 302
    event = Event.objects.get()
    assert event.confidential and event.reporter_phone == "13912345678"


def test_public_ticket_page_masks_identifiers_in_the_outcome(iw, client):
    event = report(iw)
    Event.objects.filter(pk=event.pk).update(outcome=f"已约谈摊主（电话13700001111，身份证{ID}），已清理")
    page = client.get(f"/public/track/{event.ticket}/").content.decode()
    assert "已约谈摊主" in page and "13700001111" not in page and ID not in page


def test_hotline_api_carries_the_confidentiality_request(iw, client):
    r = client.post("/api/intake/events", {"external_id": "12345-1", "text": "辉埠镇有人占道摆摊经营", "town": "辉埠镇",
                                           "address": "辉埠镇中心街", "category": "0504", "reporter_name": "赵六",
                                           "reporter_phone": "13700001111", "confidential": True},
                    content_type="application/json", HTTP_X_API_KEY=iw.hotline_key)
    assert r.status_code == 201, r.content
    event = Event.objects.get()
    assert event.confidential and event.reporter_phone == "13700001111"
    bad = client.post("/api/intake/events", {"external_id": "12345-2", "text": "占道", "town": "辉埠镇", "address": "街",
                                             "reporter_phone": "call me"},
                      content_type="application/json", HTTP_X_API_KEY=iw.hotline_key)
    assert bad.status_code == 422 and "reporter_phone" in bad.json()["errors"]
    assert Event.objects.count() == 1


def test_report_photos_are_shown_only_to_those_who_see_the_report(iw, client):
    from intake.services import NewAttachment

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    event = event_submit(channel="grid", actor=iw.grid_tianma, text="人民路有人占道摆摊经营", lng=iw.tianma_point[0],
                         lat=iw.tianma_point[1], category_code="0504",
                         attachments=[NewAttachment("photo.png", png)]).event
    attachment = event.attachments.get()
    url = f"/intake/events/{event.pk}/attachments/{attachment.pk}"
    client.force_login(iw.tianma_officer)
    assert f'src="{url}"' in client.get(f"/intake/events/{event.pk}/").content.decode()
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "image/png"
    assert b"".join(resp.streaming_content) == png and resp["X-Content-Type-Options"] == "nosniff"
    client.force_login(iw.huibu_officer)  # another town's team: not its report
    assert client.get(url).status_code == 404
    client.force_login(iw.citizen)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(f"/media/{attachment.file.name}").status_code == 404  # never public


def test_a_case_opened_from_a_confidential_report_warns_and_masks_the_prefilled_text(iw, client):
    secret = report(iw, confidential=True, text="我家楼下人民路有人占道摆摊经营，我的电话13912345678")
    client.force_login(iw.tianma_officer)
    import re

    page = client.get(f"/cases/new/?event={secret.pk}").content.decode()
    summary = re.search(r'<textarea name="summary"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "报告人要求保密（XF-050）" in page and "13912345678" not in summary and "[电话]" in summary
    plain = report(iw, lng=iw.tianma_point[0] + 0.05, text="人民路有人占道摆摊经营，联系13912345678")
    page = client.get(f"/cases/new/?event={plain.pk}").content.decode()
    assert "报告人要求保密（XF-050）" not in page


@pytest.mark.parametrize("address, public", [
    ("人民路12号门口", "人民路"), ("辉埠镇东山村3组15号", "辉埠镇东山村"), ("新都花园5幢2单元301", "新都花园"),
    ("天马街道人民路12-3号", "天马街道人民路"), ("文峰路与定阳路交叉口", "文峰路与定阳路交叉口"), ("二环路", "二环路"),
    ("一号公路88号", "一号公路"), ("3#楼前", ""), ("", ""),
])
def test_public_address_keeps_the_street_not_the_door(address, public):
    from core.privacy import public_address

    assert public_address(address) == public
    assert public_address(address, town="天马街道", confidential=True) == "天马街道"



@pytest.mark.parametrize("text, public", [
    # the names citizens introduce (examples from shared/data/complaints), wherever they recur
    ("大家好，我叫苏波，男，3组村民", "大家好，我叫苏某，男，3组村民"),
    ("责成该公司法人张耀照履行合同，张耀照至今未付", "责成该公司法人张某履行合同，张某至今未付"),
    ("米粉厂（法人代表黄云满）利用地下室", "米粉厂（法人代表黄某）利用地下室"),
    ("有个名叫吴成梓的人，他", "有个名叫吴某的人，他"), ("户主谢周自户口", "户主谢某户口"),
    ("我叫欧阳娜娜，家住", "我叫欧阳某，家住"), ("老屋组村民朱军建违章在", "老屋组村民朱某违章在"),
    ("开发商总经理孙琳都抱怨", "开发商总经理孙某抱怨"),
    # titles and common words are not names
    ("负责人王局长说", "负责人王局长说"), ("户主严重违反规定", "户主严重违反规定"), ("负责人应当引咎辞职", "负责人应当引咎辞职"),
    ("法人和举办者", "法人和举办者"), ("张先生反映", "张先生反映"), ("村民房屋开裂", "村民房屋开裂"),
    ("村民申请安装自来水", "村民申请安装自来水"), ("为保障村民方便出行", "为保障村民方便出行"),
])
def test_XF_050_names_the_text_introduces_are_masked_for_the_public(text, public):
    from core.privacy import redact_public

    assert redact_public(text) == public


def test_XF_050_open311_masks_a_third_persons_name_but_staff_and_decisions_keep_it(iw, client):
    from cases import rules

    r = client.post(f"{BASE}/requests.json", {
        "api_key": iw.open311_key, "service_code": "0504", "lat": 28.912345, "long": 118.712345,
        "description": "人民路饭店负责人吴平海天天占道经营，吴平海还堆放杂物"})
    assert r.status_code == 201, r.content
    one = client.get(f"{BASE}/requests/{r.json()[0]['service_request_id']}.json").json()[0]
    assert one["description"] == "人民路饭店负责人吴某天天占道经营，吴某还堆放杂物"
    assert Event.objects.get().text == "人民路饭店负责人吴平海天天占道经营，吴平海还堆放杂物"
    # a published decision names a legal person's 法定代表人; the persons it hides are the case's own list
    decision = "当事人常山县某某饭店有限公司，法定代表人吴平海，证人李四"
    assert rules.redact(decision, party_name="常山县某某饭店有限公司", is_person=False, other_names=["李四"]) == \
        "当事人常山县某某饭店有限公司，法定代表人吴平海，证人李某"

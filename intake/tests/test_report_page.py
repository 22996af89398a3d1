"""The grid worker's phone form (/intake/report/), including what its offline queue relies on: a report's
own reference makes a resend idempotent, the time written down on the phone is the time it occurred, and
the queue gets JSON answers (201 filed, 200 filed before, 422 with the fields that are wrong)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditRecord
from intake.models import Event

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
REF = "3f1c2a9e-7b4d-4c1e-9a8b-0d2e4f6a8b10"


def post(client, w, data=None, **headers):
    payload = {"text": "人民路12号门口窨井盖破损缺失", "category": "", "priority": "normal",
               "lng": w.tianma_point[0], "lat": w.tianma_point[1]}
    payload.update(data or {})
    return client.post(reverse("intake:report"), payload, **headers)


def test_the_page_carries_the_queue(iw, client):
    client.force_login(iw.grid_tianma)
    page = client.get(reverse("intake:report")).content.decode()
    assert 'data-user="grid_tianma"' in page and 'name="client_ref"' in page and 'name="observed_at"' in page
    assert "js/report-queue.js" in page and 'id="queue-text"' in page and '"kept"' in page
    sw = client.get(reverse("intake:report_sw"))
    assert sw["Content-Type"].startswith("application/javascript") and sw["Cache-Control"] == "no-cache"
    assert b'"/intake/report/"' in sw.content  # the page it keeps for offline use
    again = client.get(reverse("intake:report_sw"), HTTP_IF_NONE_MATCH=sw["ETag"])  # a phone revalidating
    assert again.status_code == 304 and again.content == b""
    assert client.get(reverse("intake:report_sw"), HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert 'name="client_ref"' not in client.get("/public/report/").content.decode()  # the public page keeps nothing


def test_a_resent_report_is_filed_once(iw, client):
    client.force_login(iw.grid_tianma)
    first = post(client, iw, {"client_ref": REF, "photos": SimpleUploadedFile("a.png", PNG)},
                 HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and first.json()["created"] is True, first.content.decode()
    ticket = first.json()["ticket"]
    again = post(client, iw, {"client_ref": REF, "photos": SimpleUploadedFile("a.png", PNG)},
                 HTTP_ACCEPT="application/json")  # the answer was lost on the way: the phone sends it again
    assert again.status_code == 200 and again.json()["ticket"] == ticket and again.json()["created"] is False
    event = Event.objects.get(ticket=ticket)
    assert Event.objects.filter(reporter=iw.grid_tianma).count() == 1 and event.attachments.count() == 1
    assert event.external_id == REF and event.channel == "grid"
    # the reference is the reporter's own: another worker's report with the same reference is another report
    client.force_login(iw.tianma_officer)
    other = post(client, iw, {"client_ref": REF}, HTTP_ACCEPT="application/json")
    assert other.status_code == 201 and other.json()["ticket"] != ticket
    # the ordinary form submission answers with the event page
    client.force_login(iw.grid_tianma)
    page = post(client, iw, {"client_ref": REF})
    assert page.status_code == 302 and page.url == event.get_absolute_url()


def test_a_report_kept_offline_keeps_the_time_it_was_written(iw, client):
    client.force_login(iw.grid_tianma)
    written = (dt.datetime.now(dt.timezone(dt.timedelta(hours=8))) - dt.timedelta(hours=5)).replace(microsecond=0)
    r = post(client, iw, {"client_ref": REF, "observed_at": written.isoformat()}, HTTP_ACCEPT="application/json")
    assert r.status_code == 201
    event = Event.objects.get(ticket=r.json()["ticket"])
    assert event.occurred_at == written and event.received_at > written  # received when it reached us


def test_the_queue_is_told_which_field_is_wrong_and_nothing_is_written(iw, client):
    client.force_login(iw.grid_tianma)
    audit = AuditRecord.objects.count()
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    r = post(client, iw, {"client_ref": REF, "text": "", "observed_at": future}, HTTP_ACCEPT="application/json")
    assert r.status_code == 422 and "text" in r.json()["errors"]
    r = post(client, iw, {"client_ref": REF, "observed_at": future}, HTTP_ACCEPT="application/json")
    assert r.status_code == 422 and r.json()["errors"], r.json()
    assert "未来" in str(r.json()["errors"]) or "晚于" in str(r.json()["errors"])
    r = post(client, iw, {"client_ref": "not a ref!"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 422 and "client_ref" in r.json()["errors"]
    assert not Event.objects.exists() and AuditRecord.objects.count() == audit


def test_photos_go_through_the_phone_form_and_the_public_page(iw, client):
    """Regression: both forms refused every photo ("未提交文件。请检查表单的编码类型") because a plain
    FileField cannot take the list a multiple-file input gives."""
    client.force_login(iw.grid_tianma)
    r = post(client, iw, {"photos": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG + b"2")]})
    assert r.status_code == 302, r.content.decode()[:300]
    event = Event.objects.get(reporter=iw.grid_tianma)
    assert sorted(event.attachments.values_list("original_name", flat=True)) == ["a.png", "b.png"]
    bad = post(client, iw, {"photos": SimpleUploadedFile("x.exe", b"MZ\x90\x00")})
    assert bad.status_code == 200 and "类型不支持" in bad.content.decode()  # the form shows why
    client.logout()
    r = client.post("/public/report/", {"text": "人民路窨井盖破损，有人差点摔倒", "priority": "normal", "category": "",
                                        "lng": iw.tianma_point[0], "lat": iw.tianma_point[1],
                                        "photos": SimpleUploadedFile("c.png", PNG + b"3")})
    assert r.status_code == 302, r.content.decode()[:300]
    assert Event.objects.get(channel="citizen").attachments.get().original_name == "c.png"


def test_each_reporter_files_under_their_own_channel(iw, client):
    """A grid worker's report is 网格员, an officer's 检查发现; the command centre chooses 视频/物联感知 (its video
    patrol, the default) or 检查发现, and nothing else."""
    client.force_login(iw.grid_tianma)
    assert 'name="channel"' not in client.get(reverse("intake:report")).content.decode()
    post(client, iw, {"text": "人民路有人占道摆摊经营"})
    client.force_login(iw.tianma_officer)
    assert 'name="channel"' not in client.get(reverse("intake:report")).content.decode()
    post(client, iw, {"text": "文峰路饭店油烟直排", "lng": iw.tianma_point[0] + 0.02})
    assert list(Event.objects.order_by("pk").values_list("channel", flat=True)) == ["grid", "inspection"]
    client.force_login(iw.operator)
    page = client.get(reverse("intake:report")).content.decode()
    assert 'name="channel"' in page and '<option value="sensor" selected>' in page
    post(client, iw, {"text": "监控发现定阳路渣土车抛洒", "channel": "sensor", "lng": iw.tianma_point[0] + 0.04})
    assert Event.objects.latest("pk").channel == "sensor"
    r = post(client, iw, {"text": "冒充网格员上报", "channel": "grid", "lng": iw.tianma_point[0] + 0.06},
             HTTP_ACCEPT="application/json")
    assert r.status_code == 422 and "channel" in r.json()["errors"] and Event.objects.count() == 3


def test_the_service_refuses_a_channel_the_reporter_does_not_file_under(iw):
    """The rule lives in ``event_submit``, not only in the form's choices: any caller passing a signed-in
    reporter and another post's channel is refused with the field named, in the reader's language, and
    nothing is written; a system sending through the API chooses its channel by its client."""
    import pytest
    from django.utils import translation

    from core.exceptions import ValidationFailed
    from intake.services import event_submit

    where = {"lng": iw.tianma_point[0], "lat": iw.tianma_point[1]}
    with pytest.raises(ValidationFailed) as grid_as_citizen:
        event_submit(channel="citizen", actor=iw.grid_tianma, text="人民路有人占道摆摊经营", **where)
    assert grid_as_citizen.value.errors["channel"] == ["网格员不能按“群众”渠道上报（可选：网格员）"]
    with pytest.raises(ValidationFailed) as citizen_as_sensor:
        event_submit(channel="sensor", actor=iw.citizen, text="人民路有人占道摆摊经营", **where)
    assert list(citizen_as_sensor.value.errors) == ["channel"]
    with translation.override("en"), pytest.raises(ValidationFailed) as leader:
        event_submit(channel="inspection", actor=iw.leader, text="人民路有人占道摆摊经营", **where)
    assert leader.value.errors["channel"] == ["County leader may not file reports"]
    with pytest.raises(ValidationFailed) as operator_as_grid:
        event_submit(channel="grid", actor=iw.operator, text="人民路有人占道摆摊经营", **where)
    assert "视频/物联感知、检查发现" in operator_as_grid.value.errors["channel"][0]
    assert Event.objects.count() == 0
    assert event_submit(channel="inspection", actor=iw.tianma_officer, text="文峰路饭店油烟直排", **where).created
    assert event_submit(channel="grid", source=iw.hotline, external_id="G-1", text="文峰路共享单车乱停放",
                        **where).event.channel == "grid"


def test_the_command_centre_takes_down_a_callers_report_with_the_caller(iw, client):
    """A citizen's call to the duty phone: filed as 群众 with the caller's name and number (validated, masked
    like any reporter's, kept from the handling body when the caller asks), not as the operator's own report."""
    client.force_login(iw.operator)
    page = client.get(reverse("intake:report")).content.decode()
    assert '<option value="citizen">' in page and 'name="reporter_phone"' in page
    r = post(client, iw, {"text": "来电：府前路路灯下有人占道卖水果", "channel": "citizen", "reporter_name": "周先生",
                          "reporter_phone": "1391234"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 422 and "reporter_phone" in r.json()["errors"] and not Event.objects.exists()
    r = post(client, iw, {"text": "来电：府前路路灯下有人占道卖水果", "channel": "citizen", "reporter_name": "周先生",
                          "reporter_phone": "13912345678", "confidential": "on"})
    assert r.status_code == 302
    call = Event.objects.get()
    assert (call.channel, call.reporter_name, call.reporter_phone, call.confidential) == (
        "citizen", "周先生", "13912345678", True)
    # the grid worker's form has no caller fields: their reports are theirs
    client.force_login(iw.grid_tianma)
    assert 'name="reporter_phone"' not in client.get(reverse("intake:report")).content.decode()

"""The anonymous public page cannot flood the command centre; the address it counts cannot be forged."""

import datetime as dt

import pytest
from django.test import RequestFactory, override_settings

from core import clock
from core.origin import client_ip
from intake.choices import PUBLIC_STEP_TEXT
from intake.models import Event
from intake.services import event_submit

pytestmark = pytest.mark.django_db

TEXTS = ["人民路有人占道摆摊经营", "文峰路共享单车乱停放", "定阳路工地夜间施工噪声扰民", "柚香路小广告贴满电线杆",
         "府前路窨井盖破损有人跌倒", "东明路饭店油烟直排"]


def _form(iw, text):
    # far-apart texts and points would not matter: duplicates are submissions too and count the same
    return {"text": text, "lng": iw.tianma_point[0], "lat": iw.tianma_point[1], "priority": "normal"}


def test_one_address_gets_five_reports_an_hour_then_a_clear_429_and_nothing_written(iw, client):
    for text in TEXTS[:5]:
        assert client.post("/public/report/", _form(iw, text), REMOTE_ADDR="203.0.113.7").status_code == 302
    r = client.post("/public/report/", _form(iw, TEXTS[5]), REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 429 and "每小时最多提交5件" in r.content.decode()
    assert TEXTS[5] in r.content.decode()  # the form keeps what the citizen wrote
    assert Event.objects.count() == 5
    # another address is not affected; nor are systems with a key, or staff
    assert client.post("/public/report/", _form(iw, TEXTS[5]), REMOTE_ADDR="203.0.113.8").status_code == 302
    event_submit(channel="citizen", source=iw.open311, text="浙里办转来的报告", lng=118.7, lat=28.9)
    # an hour later the address may report again
    with clock.frozen(clock.now() + dt.timedelta(hours=1, minutes=1)):
        assert client.post("/public/report/", _form(iw, "又一处占道经营"), REMOTE_ADDR="203.0.113.7").status_code == 302


def test_a_client_cannot_choose_its_address_with_x_forwarded_for(client):
    rf = RequestFactory()
    direct = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(direct) == "203.0.113.7"  # not from a trusted proxy: the header is ignored
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(proxied) == "203.0.113.9"  # the proxy's own entry, not what the client wrote first
    with override_settings(OPENENFORCE_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.2"]):
        chain = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.2")
        assert client_ip(chain) == "203.0.113.9"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_one_transaction_outside_any_test_transaction(iw, monkeypatch):
    """event_submit opens its own transaction: it works where no caller opened one (a view, a worker), and a
    failure after the event was saved leaves nothing behind."""
    from core.models import AuditRecord

    event_submit(channel="citizen", text="人民路有人占道摆摊经营", lng=118.7, lat=28.9, category_code="0504")
    assert Event.objects.count() == 1
    before = AuditRecord.objects.count()

    def broken_routing(**kwargs):
        raise RuntimeError("routing failed")

    monkeypatch.setattr("dispatch.services.route_event", broken_routing)
    with pytest.raises(RuntimeError):
        event_submit(channel="citizen", text="文峰路共享单车乱停放", lng=118.71, lat=28.91, category_code="1001")
    assert Event.objects.count() == 1 and AuditRecord.objects.count() == before


def test_a_signed_in_citizen_is_counted_by_account_not_by_the_village_address(iw, client):
    for text in TEXTS[:5]:  # the neighbours behind the village's one address use up its anonymous limit
        assert client.post("/public/report/", _form(iw, text), REMOTE_ADDR="203.0.113.7").status_code == 302
    client.force_login(iw.citizen)
    for text in TEXTS[:5]:
        assert client.post("/public/report/", _form(iw, text + "（二）"), REMOTE_ADDR="203.0.113.7").status_code == 302
    r = client.post("/public/report/", _form(iw, TEXTS[5]), REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 429 and "每个账号每小时最多提交5件" in r.content.decode()
    assert Event.objects.filter(reporter=iw.citizen).count() == 5 and Event.objects.count() == 10


def test_a_signed_in_citizen_finds_their_reports_on_the_home_page(iw, client):
    client.force_login(iw.citizen)
    page = client.get("/").content.decode()
    assert 'href="/public/report/"' in page and "dict_items" not in page and "概况" not in page
    r = client.post("/public/report/", _form(iw, TEXTS[0]), REMOTE_ADDR="203.0.113.7")
    event = Event.objects.get()
    assert r.status_code == 302 and event.reporter == iw.citizen
    page = client.get("/").content.decode()
    assert "我反映的问题" in page and f'href="/public/track/{event.ticket}/"' in page
    told = PUBLIC_STEP_TEXT[event.status]  # the step as the ticket page tells it, not the internal state
    assert f'tag">{told}</span>' in page and told != event.get_status_display()
    # the staff page of their own report stays closed to them: it has the handling's internals
    assert client.get(f"/intake/events/{event.pk}/").status_code == 404

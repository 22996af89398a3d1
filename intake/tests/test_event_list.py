"""The staff event list: filters, paging that keeps them, and the audited CSV export."""

import csv
import io

import pytest

from core.models import AuditRecord
from intake.services import event_submit

pytestmark = pytest.mark.django_db


def _export(client, **params):
    r = client.get("/intake/events/export.csv", params)
    assert r.status_code == 200, r.content[:500]
    body = b"".join(r.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def reports(iw):
    stall = event_submit(channel="citizen", text="人民路占道摆摊经营，联系电话13912345678", lng=118.52, lat=28.9,
                         category_code="0504", reporter_name="王小明", reporter_phone="13912345678").event
    noise = event_submit(channel="hotline", text="=HYPERLINK(\"http://x\") 夜间施工噪声扰民", lng=118.52,
                         lat=28.9, category_code="1001").event
    return stall, noise


def test_filters_narrow_the_list_and_the_pager_keeps_them(iw, client, reports):
    stall, noise = reports
    client.force_login(iw.operator)
    page = client.get("/intake/events/").content.decode()
    assert stall.ticket in page and noise.ticket in page
    page = client.get("/intake/events/", {"channel": "hotline"}).content.decode()
    assert noise.ticket in page and stall.ticket not in page
    page = client.get("/intake/events/", {"q": "摆摊"}).content.decode()
    assert stall.ticket in page and noise.ticket not in page
    page = client.get("/intake/events/", {"q": noise.ticket.lower()}).content.decode()
    assert noise.ticket in page and stall.ticket not in page
    page = client.get("/intake/events/", {"received_from": "2001-01-01", "received_to": "2001-01-31"}).content.decode()
    assert stall.ticket not in page and noise.ticket not in page
    assert 'href="/intake/events/export.csv?channel=hotline' in \
        client.get("/intake/events/", {"channel": "hotline"}).content.decode()


def test_a_bad_filter_says_which_field_and_exports_nothing(iw, client, reports):
    client.force_login(iw.operator)
    page = client.get("/intake/events/", {"received_from": "2026-03-01", "received_to": "2026-02-01"}).content.decode()
    assert "结束日期不能早于开始日期" in page
    before = AuditRecord.objects.filter(action="intake.events.export").count()
    r = client.get("/intake/events/export.csv", {"received_from": "not-a-date"})
    assert r.status_code == 400 and "受理日期自" in r.content.decode()
    assert AuditRecord.objects.filter(action="intake.events.export").count() == before


def test_export_is_audited_masks_people_and_defuses_formulas(iw, client, reports):
    stall, noise = reports
    client.force_login(iw.operator)
    rows = _export(client)
    header, body = rows[0], rows[1:]
    assert header[0] == "受理编号" and len(header) == 22 and all(len(r) == 22 for r in body)
    by_ticket = {r[0]: r for r in body}
    assert set(by_ticket) == {stall.ticket, noise.ticket}
    text = header.index("描述")
    assert "13912345678" not in by_ticket[stall.ticket][text] and "[电话]" in by_ticket[stall.ticket][text]
    assert "王小明" not in str(rows) and "13912345678" not in str(rows)  # the reporter is never exported
    assert by_ticket[noise.ticket][text].startswith("'=HYPERLINK")
    record = AuditRecord.objects.filter(action="intake.events.export").latest("seq")
    assert record.actor_name == iw.operator.username and record.after["rows"] == 2
    assert [r[0] for r in _export(client, category=stall.category_id)[1:]] == [stall.ticket]
    assert AuditRecord.objects.filter(action="intake.events.export").latest("seq").after == {
        "filters": {"category": str(stall.category_id)}, "rows": 1}


def test_export_holds_only_what_the_user_may_see(iw, client, reports):
    client.force_login(iw.citizen)
    assert _export(client)[1:] == []


def test_a_grid_worker_finds_their_own_reports_on_the_home_page_and_in_the_list(iw, client):
    client.force_login(iw.grid_tianma)
    page = client.get("/").content.decode()
    assert 'href="/intake/report/"' in page and "还没有上报过事件" in page
    mine = [event_submit(channel="grid", actor=iw.grid_tianma, text=f"天马街道人民路有人占道摆摊经营{i}号摊",
                         lng=iw.tianma_point[0] + i * 0.01, lat=iw.tianma_point[1], category_code="0504",
                         reporter_name="网格员").event for i in range(10)]
    other = event_submit(channel="citizen", text="天马街道文峰路夜间施工噪声扰民", lng=iw.tianma_point[0],
                         lat=iw.tianma_point[1] + 0.01, category_code="1001").event
    page = client.get("/").content.decode()
    assert "我上报的事件" in page and "全部 10 件" in page and "10 件在办" in page
    assert mine[-1].ticket in page and mine[2].ticket in page and mine[1].ticket not in page  # the latest 8
    assert other.ticket not in page
    listed = client.get("/intake/events/", {"reported": "on"}).content.decode()
    assert all(e.ticket in listed for e in mine) and other.ticket not in listed
    assert other.ticket in client.get("/intake/events/").content.decode()  # their town's events stay visible
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "My reports" in page and "all 10" in page and "10 still being handled" in page
    # people who do not report from the field get neither the button nor the section; an operator who has
    # reported nothing gets the button without the grid worker's empty-list hint
    client.force_login(iw.guidance)
    page = client.get("/").content.decode()
    assert 'href="/intake/report/"' not in page and "My reports" not in page
    client.force_login(iw.operator)
    page = client.get("/").content.decode()
    assert 'href="/intake/report/"' in page and "My reports" not in page

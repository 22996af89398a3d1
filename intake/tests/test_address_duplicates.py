"""Reports that carry only an address (a 12345 call, most department systems) are compared with the others
by their address: the same place, the same category and town, similar wording within the window → linked
(附议) like two nearby photo reports; alike addresses in other words → 疑似重复 for the command centre."""

import pytest
from django.urls import reverse

from intake.choices import EventStatus
from intake.selectors import duplicate_candidates
from intake.services import address_key, event_submit

STALL = "人民路58号门口有人占道摆摊经营，影响通行"


def call(w, n, **kw):
    data = dict(channel="hotline", source=w.hotline, external_id=f"12345-{n}", text=STALL, category_code="0504",
                address="常山县天马街道人民路58号")
    data.update(kw)
    return event_submit(**data).event


@pytest.mark.parametrize("address, key", [
    ("浙江省衢州市常山县天马街道人民路58号", "人民路58号"),
    ("天马街道 人民路 58号", "人民路58号"),
    ("人民路58号（农贸市场东门）", "人民路58号农贸市场东门"),
    ("大桥头乡大桥头村村委会", "大桥头村村委会"),
    ("辉埠镇", ""),
    ("", ""),
])
def test_the_place_an_address_names(address, key):
    assert address_key(address) == key


def test_two_calls_about_one_address_are_linked(iw):
    first = call(iw, 1)
    assert first.town == iw.tianma and first.lng is None and first.status != EventStatus.DUPLICATE
    again = call(iw, 2, address="人民路 58号", town_code="330822001", text="人民路58号有人摆摊占道经营，堵住了路")
    assert again.status == EventStatus.DUPLICATE and again.duplicate_of == first
    first.refresh_from_db()
    assert first.me_too_count == 1
    elsewhere = call(iw, 3, address="天马街道人民路12号")
    other_problem = call(iw, 4, text="人民路58号楼下小吃店油烟很大", category_code=None)
    assert elsewhere.duplicate_of is None and other_problem.duplicate_of is None


def test_a_call_about_the_place_of_a_photo_report_is_linked_to_it(iw):
    photo_report = event_submit(channel="grid", actor=iw.grid_tianma, text="人民路58号门口占道摆摊经营", address="人民路58号",
                                lng=iw.tianma_point[0], lat=iw.tianma_point[1], category_code="0504").event
    hotline = call(iw, 1)
    assert hotline.duplicate_of == photo_report


@pytest.mark.parametrize("address", ["天马街道村口", "天马街道路边"])
def test_a_vague_address_links_nothing(iw, address):
    call(iw, 1, address=address)
    assert call(iw, 2, address=address).duplicate_of is None


def test_the_command_centre_sees_calls_about_the_same_address_in_other_words(iw, client):
    photo_report = event_submit(channel="grid", actor=iw.grid_tianma, text="占道经营，流动摊贩", address="人民路58号",
                                lng=iw.tianma_point[0], lat=iw.tianma_point[1], category_code="0504").event
    hotline = call(iw, 1, text="门口天天有人摆地摊卖菜，车都过不去", address="天马街道人民路58号农贸市场")
    assert hotline.duplicate_of is None  # different words: a person judges
    [found] = duplicate_candidates(hotline)
    assert found.event == photo_report and found.distance_m is None and found.mergeable
    assert 0.5 <= found.address_similarity < 1
    assert [c.event for c in duplicate_candidates(photo_report)] == [hotline]
    elsewhere = call(iw, 2, text="摆地摊", address="天马街道文峰路3号")
    assert elsewhere not in [c.event for c in duplicate_candidates(photo_report)]
    client.force_login(iw.operator)
    page = client.get(reverse("intake:event", args=[hotline.pk])).content.decode()
    assert "地址相近" in page and photo_report.ticket in page

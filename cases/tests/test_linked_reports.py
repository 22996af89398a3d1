"""A case or an on-the-spot decision is made of the reports the officers may see — checked in the service, not
only by the pages (``access_event``): no caller links another body's report, nor answers a referral it never saw."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import services as S
from cases.choices import PartyKind
from cases.models import Case
from cases.tests.helpers import D
from core.exceptions import NotPermitted, ValidationFailed
from core.models import AuditRecord, Notification
from intake.choices import Channel
from intake.services import event_submit

STALL = "人民路菜场门口有人占道摆摊经营，堵塞通行"


def report(iw, point, text=STALL):
    return event_submit(channel=Channel.GRID, actor=iw.grid_tianma, text=text, lng=point[0], lat=point[1],
                        category_code="0504", route=False).event


def spot(cw, **kw):
    args = dict(actor=cw.tianma_officer, department=cw.tianma_gov, item=cw.item_stall, party_kind=PartyKind.PERSON,
                party_name="李四", party_code="", party_address="天马街道人民路", violation="占道摆摊经营",
                place="人民路菜场门口", at=dt.datetime(2026, 9, 28, 10, tzinfo=dt.UTC), officers=[cw.t1, cw.t2],
                types=["fine"], fine=Decimal(100), town=cw.tianma)
    args.update(kw)
    return S.spot_decide(**args)


def test_a_town_team_decides_on_its_own_towns_report_not_on_another_towns(iw, cw):
    """The 天马 team may see the report made in 天马 and the decision is linked to it; a report made in 辉埠, routed
    nowhere near it, is refused by ticket — and the refusal writes no case, no document, no audit."""
    here = report(iw, iw.tianma_point)
    there = report(iw, iw.huibu_point, text="辉埠镇集镇路口有人占道摆摊经营")
    with pytest.raises(NotPermitted) as refused:
        spot(cw, events=[here, there])
    assert refused.value.errors == {"event": [f"不能关联本人无权查看的事件：{there.ticket}"]}
    assert there.ticket in refused.value.message and here.ticket not in refused.value.message
    assert Case.objects.count() == 0 and not AuditRecord.objects.filter(action__startswith="cases.").exists()
    case = spot(cw, events=[here, here])  # the same report twice is linked once
    assert list(case.events.all()) == [here]
    assert AuditRecord.objects.get(action="cases.spot.decide").after["events"] == [here.ticket]


def test_a_clue_cannot_be_opened_on_a_referral_the_officer_cannot_see(iw, cw):
    """A clue opened by the 辉埠 team on a 天马 referral it never saw would name the department and answer it
    (ZJ-016): refused; the same clue without the report opens, referring nobody; nobody is told anything."""
    referral = event_submit(channel=Channel.REFERRAL, actor=iw.scjg_supervisor, text=STALL, lng=iw.tianma_point[0],
                            lat=iw.tianma_point[1], category_code="0504", found_on=D(2026, 9, 1), route=False).event
    fields = dict(actor=cw.huibu_officer, department=cw.huibu_gov, item=cw.item_stall, party_kind=PartyKind.PERSON,
                  party_name="李四", party_code="", party_address="辉埠镇", cause="占道摆摊经营",
                  act_date=D(2026, 9, 1), discovery_date=D(2026, 9, 2), location="辉埠镇集镇路口", source="巡查发现",
                  summary=STALL, town=cw.huibu)
    with pytest.raises(NotPermitted) as refused:
        S.case_open(**fields, events=[referral])
    assert refused.value.errors["event"] == [f"不能关联本人无权查看的事件：{referral.ticket}"]
    assert Case.objects.count() == 0
    case = S.case_open(**fields)
    assert case.referring_department is None and not case.events.exists()
    assert not Notification.objects.filter(department=cw.scjg).exists()
    # the county-wide administrator may link any report
    linked = S.case_open(**{**fields, "actor": cw.admin, "party_name": "王五"}, events=[referral])
    assert linked.referring_department == cw.scjg


def test_a_merged_report_is_handled_on_the_one_it_was_merged_into(iw, cw, client):
    """附议: a report merged into an earlier one is not linked to a case of its own — the refusal names the report
    to handle instead and writes nothing; its page offers neither 立案 nor 当场处罚, the earlier one's does."""
    from dispatch import services as dispatch

    first, again = (event_submit(channel=Channel.GRID, actor=iw.grid_tianma, text=text, lng=iw.tianma_point[0],
                                 lat=iw.tianma_point[1], category_code="0504").event
                    for text in (STALL, "人民路菜场门口又有人占道摆摊经营"))
    if again.duplicate_of_id is None:  # the near-duplicate check links it on intake; else the command centre merges
        dispatch.event_merge(actor=iw.operator, event=again, into=first)
    again.refresh_from_db()
    assert again.duplicate_of == first
    with pytest.raises(ValidationFailed) as refused:
        spot(cw, events=[again])
    assert refused.value.errors == {"event": [f"事件{again.ticket}已并入{first.ticket}，请在{first.ticket}上办理"]}
    assert Case.objects.count() == 0
    for e in (first, again):
        e.department = cw.tianma_gov
        e.save()
    client.force_login(cw.tianma_officer)
    assert f'href="/cases/spot/?event={again.pk}"' not in client.get(again.get_absolute_url()).content.decode()
    assert f'href="/cases/spot/?event={first.pk}"' in client.get(first.get_absolute_url()).content.decode()
    assert list(spot(cw, events=[first]).events.all()) == [first]

"""XF-051 “有法定依据”: an on-the-spot decision is made only on an item whose law provides the penalty, within its
statutory range; the 当场处罚 form lists only the items that can be so decided, and says so when a report's item
cannot."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cases import rules, selectors
from cases import services as S
from cases.choices import PartyKind
from cases.models import Case
from core.exceptions import RuleViolation
from intake.choices import Channel
from intake.services import event_submit

AT = dt.datetime(2026, 9, 28, 10, tzinfo=dt.UTC)


def tiers(*ranges, basis="fixed"):
    return [{"basis": basis, "min": str(lo), "max": str(hi), "text": f"{lo}–{hi}"} for lo, hi in ranges]


def spot(cw, item, *, party_kind=PartyKind.PERSON, types=("fine",), fine=Decimal(50)):
    return S.spot_decide(actor=cw.bureau_officer, department=cw.zf, item=item, party_kind=party_kind,
                         party_name="张三", party_code="", party_address="天马街道", violation="乱扔垃圾",
                         place="人民路", at=AT, officers=[cw.o1, cw.o2], types=list(types), fine=fine)


def refusal(cw, item, **kw):
    with pytest.raises(RuleViolation) as refused:
        spot(cw, item, **kw)
    assert Case.objects.count() == 0
    return refused.value


def test_fixed_fine_range_is_known_only_when_every_tier_is_a_fixed_amount(db):
    assert rules.fixed_fine_range(tiers((50, 200), (1000, 5000))) == (Decimal(50), Decimal(5000))
    assert rules.fixed_fine_range(tiers((50, 200)) + tiers((1, 3), basis="illegal_gains")) == (None, None)
    assert rules.fixed_fine_range([]) == (None, None)
    assert rules.simple_procedure_item(penalty_types=["fine"], fine_tiers=tiers((3000, 30000)))
    assert not rules.simple_procedure_item(penalty_types=["fine"], fine_tiers=tiers((3001, 30000)))
    assert rules.simple_procedure_item(penalty_types=["warning", "fine"], fine_tiers=tiers((10000, 30000)))
    assert not rules.simple_procedure_item(penalty_types=["revoke_permit"], fine_tiers=[])
    assert rules.simple_procedure_item(penalty_types=["fine"], fine_tiers=tiers((1, 3), basis="goods_value"))
    hint = rules.spot_penalty_hint
    assert hint(penalty_types=["warning", "fine"], fine_tiers=tiers((20, 50))) == "警告、罚款20–50元"
    assert hint(penalty_types=["warning", "fine"], fine_tiers=tiers((10000, 30000))) == "警告"
    assert hint(penalty_types=["fine"], fine_tiers=tiers((1, 3), basis="goods_value")) == "罚款"
    assert hint(penalty_types=["fine"], fine_tiers=tiers((0, 30000))) == "罚款30000元以下"


def test_a_spot_penalty_the_items_law_does_not_provide_is_refused(cw):
    """擅自占用城市道路摆摊经营 provides a fine only: a warning on the spot has no legal basis (XF-038)."""
    exc = refusal(cw, cw.item_stall, types=["warning"], fine=None)
    assert exc.rule == "XF-038" and exc.errors == {"types": ["事项依据的条文未规定警告，没有法律依据"]}


def test_a_spot_fine_outside_the_statutory_range_is_refused(cw):
    """Above the item's ceiling is without basis (XF-038); below its floor is 减轻处罚, for the general procedure
    (XF-030-032); an item whose floor is above the simple limit cannot be decided on the spot at all (XF-051)."""
    cw.item_litter.fine_tiers = tiers(("20.00", "50.00"))  # as a catalogue may write them: said 20 and 50
    cw.item_litter.save()
    exc = refusal(cw, cw.item_litter, fine=Decimal(100))
    assert exc.rule == "XF-038" and exc.errors == {"fine": ["罚款超出法定上限50元，没有法律依据"]}
    exc = refusal(cw, cw.item_litter, fine=Decimal(10))
    assert exc.errors == {"fine": ["罚款低于本事项法定下限20元；减轻处罚须适用普通程序并写明理由"]}
    exc = refusal(cw, cw.item_food, party_kind=PartyKind.ORG, fine=Decimal(3000))
    assert exc.rule == "XF-051"
    assert exc.errors == {"fine": ["本事项法定罚款最低50000元，超出简易程序限额3000元，请适用普通程序"]}
    assert spot(cw, cw.item_litter, fine=Decimal(50)).final_fine == Decimal(50)


def test_the_spot_form_lists_only_items_that_can_be_decided_on_the_spot(iw, cw, client):
    """The bureau holds the food item (five to ten ten-thousand yuan): the form neither lists nor finds it; a
    report routed to it opens the form with the reason and a link to 立案 instead of a list it cannot use."""
    assert set(selectors.items_for_department(cw.zf)) == {cw.item_litter, cw.item_stall, cw.item_food}
    assert set(selectors.spot_items(cw.zf)) == {cw.item_litter, cw.item_stall}
    client.force_login(cw.bureau_officer)
    page = client.get(reverse("cases:spot")).content.decode()
    listed = page.split('name="item"')[1].split("</select>")[0]
    assert f'value="{cw.item_food.pk}"' not in listed and f'value="{cw.item_litter.pk}"' in listed
    assert f"{cw.item_litter.code} {cw.item_litter.name} · 警告、罚款</option>" in listed  # no tiers: range unknown
    assert "没有符合的执法事项" in client.get(reverse("cases:spot"), {"q": cw.item_food.code}).content.decode()
    event = event_submit(channel=Channel.HOTLINE, source=iw.hotline, external_id="H-F1", route=False,
                         text="人民路某饭店未取得食品经营许可从事熟食经营", lng=iw.tianma_point[0], lat=iw.tianma_point[1]).event
    event.item = cw.item_food
    event.department = cw.zf
    event.save()
    page = client.get(reverse("cases:spot"), {"event": event.pk}).content.decode()
    listed = page.split('name="item"')[1].split("</select>")[0]
    assert f'value="{cw.item_food.pk}"' not in listed
    assert f"事件涉及的事项“{cw.item_food.name}”依法不能当场处罚" in page
    assert f'href="{reverse("cases:new")}?event={event.pk}"' in page
    with_stall = event_submit(channel=Channel.HOTLINE, source=iw.hotline, external_id="H-F2", route=False,
                              text="人民路有人占道摆摊", lng=iw.tianma_point[0], lat=iw.tianma_point[1]).event
    with_stall.item, with_stall.department = cw.item_stall, cw.zf
    with_stall.save()
    page = client.get(reverse("cases:spot"), {"event": with_stall.pk}).content.decode()
    assert f'<option value="{cw.item_stall.pk}" selected>' in page and "依法不能当场处罚" not in page

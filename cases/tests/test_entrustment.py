"""XF-020-021 委托: written, within the entrusting body's powers, published, for a period; the entrusted
organisation acts in the entrusting body's name, only within the entrustment, and may not entrust on."""

import datetime as dt

import pytest
from django.urls import reverse

from cases import services as S
from cases.tests.helpers import head_of, uscc
from catalogue import services as C
from catalogue.models import Entrustment
from core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from org.models import Department, Team

TODAY = dt.date.today()


@pytest.fixture
def ew(cw):
    from conftest import make_user
    from org.choices import Role

    w = cw
    w.agent = Department.objects.create(code="CSZX", name="常山县市政设施管理中心", short_name="市政中心",
                                        kind="entrusted", region=w.county)
    team = Team.objects.create(code="CSZX-T", name="市政中心执法组", kind="professional", department=w.agent)
    w.agent_user = make_user("agent_officer", Role.PRO_OFFICER, department=w.agent, team=team)
    w.a1 = w.make_officer("市政甲", team, user=w.agent_user, no="33082200101")
    w.a2 = w.make_officer("市政乙", team, no="33082200102")
    return w


def entrust(w, **kw):
    args = dict(actor=w.guidance, principal=w.zf, agent=w.agent, items=[w.item_food], powers="立案、调查、作出处罚决定",
                instrument_no="常综执委〔2026〕1号", valid_from=TODAY - dt.timedelta(days=30),
                valid_to=TODAY + dt.timedelta(days=335), published_on=TODAY - dt.timedelta(days=31))
    args.update(kw)
    return C.entrustment_create(**args)


def open_as_agent(w, item=None):
    return S.case_open(actor=w.agent_user, department=w.zf, item=item or w.item_food, party_kind="org",
                       party_name="常山委托测试公司", party_code=uscc(31), party_address="天马街道", cause="无证经营",
                       act_date=TODAY - dt.timedelta(days=3), discovery_date=TODAY - dt.timedelta(days=2),
                       location="天马街道", source="巡查", summary="巡查发现")


def test_XF_020_021_entrustment_must_be_written_within_powers_published_and_not_onward(ew):
    from catalogue.models import EnforcementItem, ItemHolding

    other = EnforcementItem.objects.create(code="330822099001", name="市场监管测试事项", domain=ew.dom_city)
    ItemHolding.objects.create(item=other, department=ew.scjg, team=ew.scjg_team, valid_from=dt.date(2021, 7, 1),
                               opened_by=ItemHolding.objects.first().opened_by)
    with pytest.raises(ValidationFailed) as exc:
        entrust(ew, items=[other])  # an item the bureau does not hold
    assert "items" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        entrust(ew, published_on=TODAY)  # published after it starts
    assert "published_on" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        entrust(ew, agent=ew.scjg)  # a line department is not an entrusted organisation
    assert "agent" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        entrust(ew, principal=ew.agent, agent=ew.agent)  # no onward entrustment
    assert "principal" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        entrust(ew, instrument_no="", valid_to=TODAY - dt.timedelta(days=40))
    assert {"instrument_no", "valid_to"} <= set(exc.value.errors)
    with pytest.raises(NotPermitted):
        entrust(ew, actor=ew.bureau_officer)
    assert not Entrustment.objects.exists()


def test_XF_020_021_the_agent_acts_in_the_principals_name_only_within_the_entrustment(ew):
    with pytest.raises(NotPermitted):
        open_as_agent(ew)  # no entrustment yet
    e = entrust(ew)
    own = S.case_open(actor=ew.bureau_officer, department=ew.zf, item=ew.item_food, party_kind="org",
                      party_name="常山自办测试公司", party_code=uscc(32), party_address="天马街道", cause="无证经营",
                      act_date=TODAY - dt.timedelta(days=3), discovery_date=TODAY - dt.timedelta(days=2),
                      location="天马街道", source="巡查", summary="巡查发现")
    case = open_as_agent(ew)
    assert case.department == ew.zf and case.entrustment == e
    # in the entrusting body's name: its documents continue the bureau's own gap-free sequence
    mine, theirs = own.documents.get(doc_type="source"), case.documents.get(doc_type="source")
    assert theirs.seq == mine.seq + 1
    assert theirs.number == mine.number.replace(f"第{mine.seq}号", f"第{theirs.seq}号")
    for o in (ew.a1, ew.a2):
        S.case_assign(actor=ew.agent_user, case=case, officer=o, on=TODAY, no_conflict_declared=True)
    S.case_file_request(actor=ew.agent_user, case=case, on=TODAY, basis="符合立案条件")
    with pytest.raises(NotPermitted):  # the organisation does not approve its own filing: the principal's head does
        S.case_file(actor=ew.agent_user, case=case, on=TODAY)
    S.case_file(actor=head_of(ew.zf), case=case, on=TODAY)
    case.refresh_from_db()
    assert case.status == "investigating"
    with pytest.raises(NotPermitted):
        open_as_agent(ew, item=ew.item_litter)  # outside the entrusted items
    C.entrustment_revoke(actor=ew.guidance, entrustment=e, on=TODAY, reason="委托终止")
    with pytest.raises(RuleViolation) as exc:
        S.case_not_file_request(actor=ew.agent_user, case=case, on=TODAY, reason="x")
    assert exc.value.rule == "XF-020-021"


def test_XF_020_021_entrustment_page_public_list_and_guidance_registration(ew, client):
    page = client.get(reverse("catalogue:entrustments"))
    assert page.status_code == 200 and "登记委托" not in page.content.decode()
    assert client.post(reverse("catalogue:entrustments"), {}).status_code == 404
    client.force_login(ew.guidance)
    assert client.get(reverse("catalogue:entrustments")).status_code == 200
    data = {"principal": ew.zf.pk, "agent": ew.agent.pk, "item_codes": f"{ew.item_food.code}, NOPE-1",
            "powers": "立案、调查、作出处罚决定", "instrument_no": "常综执委〔2026〕2号",
            "valid_from": str(TODAY), "valid_to": str(TODAY + dt.timedelta(days=365)), "published_on": str(TODAY)}
    bad = client.post(reverse("catalogue:entrustments"), data)
    assert bad.status_code == 422 and "NOPE-1" in bad.content.decode() and not Entrustment.objects.exists()
    assert client.post(reverse("catalogue:entrustments"), dict(data, item_codes=ew.item_food.code)).status_code == 302
    e = Entrustment.objects.get()
    assert list(e.items.all()) == [ew.item_food]
    page = client.get(reverse("catalogue:entrustments")).content.decode()
    assert f'href="{reverse("catalogue:item", args=[ew.item_food.code])}"' in page
    client.logout()  # a visitor follows the item to the published catalogue (SX-1)
    page = client.get(reverse("catalogue:entrustments")).content.decode()
    assert "常综执委〔2026〕2号" in page
    assert f'href="{reverse("catalogue:item", args=[ew.item_food.code])}"' in page

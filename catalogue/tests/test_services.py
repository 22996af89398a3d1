import datetime as dt
from decimal import Decimal

import pytest

from catalogue import selectors, services
from catalogue.models import ClauseCandidate, EnforcementItem, ItemDelegation, ItemHolding
from core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from core.models import AuditRecord

D = dt.date


def _candidate(w, **kw):
    data = dict(article=w.article, seq=1, clause_ref="第1款", violation="随地吐痰", penalty_text="处五十元以下罚款",
                penalty_types=["fine"], fine_tiers=[{"basis": "fixed", "min": "0", "max": "50", "text": "五十元以下"}])
    data.update(kw)
    return ClauseCandidate.objects.create(**data)


def test_candidate_accept_creates_item_with_holder_and_audit(world):
    cand = _candidate(world)
    item = services.candidate_accept(actor=world.guidance, candidate=cand, domain=world.dom_city, holder=world.zf,
                                     holder_team=world.bureau_team, effective_date=D(2022, 1, 1))
    assert item.code == "330822010003"
    assert item.fine_min == Decimal(0) and item.fine_max == Decimal(50)
    assert list(item.basis.all()) == [world.article]
    assert selectors.holders_on(item, D(2022, 1, 1))[0].department == world.zf
    assert selectors.holders_on(item, D(2021, 12, 31)) == []
    cand.refresh_from_db()
    assert cand.status == "accepted" and cand.item == item
    assert AuditRecord.objects.filter(action="catalogue.candidate.accept", object_id=str(item.pk)).count() == 1


def test_candidate_accept_with_edits(world):
    cand = _candidate(world)
    item = services.candidate_accept(actor=world.guidance, candidate=cand, domain=world.dom_city, holder=world.zf,
                                     effective_date=D(2022, 1, 1), name="随地吐痰（修改）", penalty_types=["warning"],
                                     fine_tiers=[])
    assert item.name == "随地吐痰（修改）" and item.penalty_types == ["warning"] and item.fine_max is None


def test_candidate_cannot_be_reviewed_twice(world):
    cand = _candidate(world)
    services.candidate_reject(actor=world.guidance, candidate=cand, reason="重复")
    with pytest.raises(InvalidTransition):
        services.candidate_accept(actor=world.guidance, candidate=cand, domain=world.dom_city, holder=world.zf,
                                  effective_date=D(2022, 1, 1))


def test_a_review_too_long_for_its_record_is_refused_not_cut(world):
    """The name typed in, the note and the reason are checked against their columns (300 characters), with the
    field named; until 2026-12-07 they were cut to fit without a word."""
    cand = _candidate(world)
    accept = dict(actor=world.guidance, candidate=cand, domain=world.dom_city, holder=world.zf, effective_date=D(2022, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        services.candidate_accept(name="名" * 301, **accept)
    assert exc.value.errors == {"name": ["不超过300字（现为301字）"]}
    with pytest.raises(ValidationFailed) as exc:
        services.candidate_accept(note="注" * 301, **accept)
    assert exc.value.errors == {"note": ["不超过300字（现为301字）"]}
    with pytest.raises(ValidationFailed) as exc:
        services.candidate_reject(actor=world.guidance, candidate=cand, reason="驳" * 301)
    assert exc.value.errors == {"reason": ["不超过300字（现为301字）"]}
    cand.refresh_from_db()
    assert cand.status == "pending" and not EnforcementItem.objects.filter(name__startswith="名名").exists()
    services.candidate_reject(actor=world.guidance, candidate=cand, reason="驳" * 300)
    cand.refresh_from_db()
    assert cand.review_note == "驳" * 300


def test_detention_is_refused_xf_009(world):
    cand = _candidate(world, penalty_types=["fine", "detention"])
    before = EnforcementItem.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.candidate_accept(actor=world.guidance, candidate=cand, domain=world.dom_city, holder=world.zf,
                                  effective_date=D(2022, 1, 1))
    assert "行政拘留" in exc.value.errors["penalty_types"][0]
    assert EnforcementItem.objects.count() == before
    cand.refresh_from_db()
    assert cand.status == "pending"  # the whole service rolled back


@pytest.mark.parametrize("persona", ["operator", "bureau_officer", "tianma_officer", "scjg_supervisor", "citizen",
                                     "leader", "legal_reviewer", "grid_tianma"])
def test_only_guidance_office_reviews_candidates(world, persona):
    cand = _candidate(world)
    audit_before = AuditRecord.objects.count()
    with pytest.raises(NotPermitted):
        services.candidate_accept(actor=world.personas[persona], candidate=cand, domain=world.dom_city,
                                  holder=world.zf, effective_date=D(2022, 1, 1))
    cand.refresh_from_db()
    assert cand.status == "pending"
    assert AuditRecord.objects.count() == audit_before


def test_transfer_keeps_history_and_state_on_any_date(world):
    services.item_transfer(actor=world.guidance, item=world.item_food, to_department=world.zf,
                           to_team=world.bureau_team, effective_date=D(2024, 1, 1), document_no="常政发〔2023〕1号")
    assert [h.department for h in selectors.holders_on(world.item_food, D(2023, 12, 31))] == [world.scjg]
    assert [h.department for h in selectors.holders_on(world.item_food, D(2024, 1, 1))] == [world.zf]
    rows = ItemHolding.objects.filter(item=world.item_food).order_by("valid_from")
    assert [(r.valid_from, r.valid_to) for r in rows] == [(D(2021, 7, 1), D(2024, 1, 1)), (D(2024, 1, 1), None)]


def test_transfer_team_must_belong_to_department(world):
    with pytest.raises(ValidationFailed) as exc:
        services.item_transfer(actor=world.guidance, item=world.item_food, to_department=world.zf,
                               to_team=world.scjg_team, effective_date=D(2024, 1, 1), document_no="x")
    assert "to_team" in exc.value.errors


def test_new_town_list_versions_delegation(world):
    services.item_set_towns(actor=world.guidance, item=world.item_stall, towns=[world.huibu],
                            effective_date=D(2024, 7, 1), document_no="赋权清单（2024调整）")
    assert selectors.towns_on(world.item_stall, D(2024, 6, 30)) == [world.tianma]
    assert selectors.towns_on(world.item_stall, D(2024, 7, 1)) == [world.huibu]
    assert ItemDelegation.objects.filter(item=world.item_stall).count() == 2


def test_delegation_requires_publication_document(world):
    with pytest.raises(ValidationFailed) as exc:
        services.item_set_towns(actor=world.guidance, item=world.item_stall, towns=[world.huibu],
                                effective_date=D(2024, 7, 1), document_no=" ")
    assert "第二十四条" in exc.value.errors["document_no"][0]


def test_search_by_article_keyword_code_and_town(world):
    assert list(selectors.item_search(query="城市市容和环境卫生管理条例第三十四条")) == [
        world.item_litter, world.item_stall, world.item_food]
    assert list(selectors.item_search(query="摆摊")) == [world.item_stall]
    assert list(selectors.item_search(query="33082216")) == [world.item_food]
    assert list(selectors.item_search(town_id=world.tianma.pk, on=D(2023, 1, 1))) == [world.item_stall]
    assert list(selectors.item_search(town_id=world.tianma.pk, on=D(2021, 12, 31))) == []
    assert list(selectors.item_search(holder_id=world.scjg.pk)) == [world.item_food]


def test_coverage_finds_gaps(world):
    orphan = EnforcementItem.objects.create(code="330822019999", name="无主体事项", domain=world.dom_city)
    services.item_transfer(actor=world.guidance, item=world.item_food, to_department=world.zf, to_team=None,
                           effective_date=D(2024, 1, 1), document_no="x")
    # A second, overlapping holder written behind the services' back (e.g. a bad import).
    ItemHolding.objects.create(item=world.item_food, department=world.scjg, valid_from=D(2024, 2, 1),
                               opened_by=ItemHolding.objects.first().opened_by)
    services.boundary_rule_add(actor=world.guidance, code="B1", matter="偷倒", criteria="建筑垃圾归综合执法",
                               penalising_department=world.zf, supervising_department=world.zj,
                               source_document="清单", source_date=D(2021, 11, 1),
                               item_codes=["330822010001", "330822990001"])
    world.huibu_team.towns.clear()
    cov = selectors.coverage(on=D(2024, 3, 1), dormant_years=3)
    assert cov.no_holder == [orphan]
    assert [i for i, _ in cov.multiple_holders] == [world.item_food]
    assert [(r.code, codes) for r, codes in cov.boundary_unknown_items] == [("B1", ["330822990001"])]
    assert cov.towns_without_team == [world.huibu]
    assert set(cov.dormant) == {orphan, world.item_food, world.item_litter, world.item_stall}


def test_coverage_command(world, capsys):
    from django.core.management import call_command

    call_command("coverage", "--date", "2024-03-01")
    out = capsys.readouterr().out
    assert "items without holder: 0" in out and "towns without team: 0" in out


def test_search_understands_colloquial_words_and_several_words(world):
    # the fixture's item says 擅自占用城市道路摆摊经营; nobody types 占用城市道路
    assert list(selectors.item_search(query="占道")) == [world.item_stall]
    assert list(selectors.item_search(query="占道 经营")) == [world.item_stall]
    assert list(selectors.item_search(query="占道 食品")) == []


def test_discretion_standard_versions_and_statutory_range(world):
    bands = [{"level": "从轻", "circumstances": "首次", "fine_min": 0, "fine_max": 20},
             {"level": "从重", "circumstances": "多次", "fine_min": 20, "fine_max": 50}]
    v1 = services.discretion_publish(actor=world.guidance, item=world.item_litter, effective_from=D(2022, 1, 1),
                                     bands=bands)
    v2 = services.discretion_publish(actor=world.guidance, item=world.item_litter, effective_from=D(2024, 1, 1),
                                     bands=bands)
    assert (v1.version, v2.version) == (1, 2) and v1.bands.count() == 2
    with pytest.raises(ValidationFailed) as exc:
        services.discretion_publish(actor=world.guidance, item=world.item_litter, effective_from=D(2025, 1, 1),
                                    bands=[{"level": "从重", "circumstances": "x", "fine_min": 0, "fine_max": 80}])
    assert "超出法定上限" in exc.value.errors["bands[1]"][0]


def test_an_incomplete_acceptance_says_which_fields_in_the_readers_language(world, client):
    cand = _candidate(world)
    client.force_login(world.guidance)
    r = client.post(f"/catalogue/candidates/{cand.pk}/accept/", {"name": "随地吐痰"}, follow=True)
    page = r.content.decode()
    assert "领域：这个字段是必填项。" in page and "生效日期：这个字段是必填项。" in page
    assert ClauseCandidate.objects.get(pk=cand.pk).status == "pending" and not EnforcementItem.objects.filter(
        name="随地吐痰").exists()
    client.cookies["django_language"] = "en"
    page = client.post(f"/catalogue/candidates/{cand.pk}/accept/", {"name": "随地吐痰"}, follow=True).content.decode()
    assert "Domain: This field is required." in page and "；" not in page.split("Domain: ")[1][:200]

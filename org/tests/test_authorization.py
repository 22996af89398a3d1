"""The authorization matrix per persona, over HTTP: who sees which page, what lists contain."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from core.models import AuditRecord
from parties.models import Enterprise
from parties.tests.test_import import code

PAGES = {
    # the catalogue is published (SX-1, XF-034): everyone reads it, signed in or not
    "catalogue:items": {"admin", "guidance", "operator", "bureau_officer", "scjg_officer", "tianma_officer",
                        "huibu_officer", "grid_tianma", "scjg_supervisor", "legal_reviewer", "leader", "citizen"},
    "catalogue:candidates": {"admin", "guidance"},
    "catalogue:coverage": {"admin", "guidance", "operator", "leader"},
    "org:structure": {"admin", "guidance", "operator", "bureau_officer", "scjg_officer", "tianma_officer",
                      "huibu_officer", "grid_tianma", "scjg_supervisor", "legal_reviewer", "leader"},
    "parties:enterprises": {"admin", "guidance", "operator", "bureau_officer", "scjg_officer", "tianma_officer",
                            "huibu_officer", "grid_tianma", "scjg_supervisor", "legal_reviewer", "leader"},
    "imports:upload": {"admin", "guidance"},
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_access_matrix(world, client, page):
    for name, user in world.personas.items():
        client.force_login(user)
        status = client.get(reverse(page)).status_code
        assert status == (200 if name in PAGES[page] else 403), (page, name, status)


def test_anonymous_is_sent_to_login(world, client):
    for page in ("parties:enterprises", "org:officers", "catalogue:history", "catalogue:coverage"):
        resp = client.get(reverse(page))
        assert resp.status_code == 302 and resp["Location"].startswith(reverse("login")), page
    assert client.get(reverse("catalogue:items")).status_code == 200  # published (SX-1)


def test_login_with_password(world, client):
    resp = client.post(reverse("login"), {"username": "tianma_officer", "password": PASSWORD})
    assert resp.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_town_officer_enterprise_detail_of_other_town_is_404(world, client):
    other = Enterprise.objects.create(uscc=code(9), name="辉埠厂", town=world.huibu)
    client.force_login(world.tianma_officer)
    assert client.get(reverse("parties:enterprise", args=[other.pk])).status_code == 404
    client.force_login(world.huibu_officer)
    assert client.get(reverse("parties:enterprise", args=[other.pk])).status_code == 200


def test_denied_candidate_accept_over_http_changes_nothing(world, client):
    from catalogue.models import ClauseCandidate

    cand = ClauseCandidate.objects.create(article=world.article, seq=1, violation="x", penalty_text="y")
    client.force_login(world.tianma_officer)
    before = AuditRecord.objects.count()
    resp = client.post(reverse("catalogue:candidate_accept", args=[cand.pk]),
                       {"domain": world.dom_city.pk, "holder": world.zf.pk, "effective_date": "2024-01-01"})
    assert resp.status_code == 403
    cand.refresh_from_db()
    assert cand.status == "pending" and AuditRecord.objects.count() == before


def test_officer_list_scoped_for_town_officer(world, client):
    world.make_officer("天马甲", world.tianma_team)
    world.make_officer("辉埠乙", world.huibu_team)
    world.make_officer("县局丙", world.bureau_team)
    client.force_login(world.tianma_officer)
    body = client.get(reverse("org:officers")).content.decode()
    assert "天马甲" in body and "辉埠乙" not in body and "县局丙" not in body
    client.force_login(world.operator)
    body = client.get(reverse("org:officers")).content.decode()
    assert "天马甲" in body and "辉埠乙" in body and "县局丙" in body


def test_item_list_query_budget(world, client, django_assert_max_num_queries):
    client.force_login(world.guidance)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("catalogue:items")).status_code == 200


def test_api_items_requires_login_and_lists(world, client):
    assert client.get("/api/catalogue/items").status_code == 401
    client.force_login(world.tianma_officer)
    data = client.get(f"/api/catalogue/items?town={world.tianma.pk}").json()
    assert [i["code"] for i in data["items"]] == ["330822010002"]
    assert data["items"][0]["holders"][0]["department"] == "常山县综合行政执法局"
    client.force_login(world.citizen)
    assert client.get("/api/catalogue/items").status_code == 403


def test_api_enterprises_are_scoped_like_the_pages(world, client):
    """The JSON API answers a town officer with their own town's enterprises only, as the pages do."""
    mine = Enterprise.objects.create(uscc=code(11), name="天马小吃店", town=world.tianma)
    other = Enterprise.objects.create(uscc=code(12), name="辉埠石材厂", town=world.huibu)
    assert client.get("/api/parties/enterprises").status_code == 401
    client.force_login(world.tianma_officer)
    listed = client.get("/api/parties/enterprises").json()
    assert [e["name"] for e in listed["items"]] == ["天马小吃店"] and listed["count"] == 1
    assert client.get(f"/api/parties/enterprises/{mine.pk}").json()["name"] == "天马小吃店"
    assert client.get(f"/api/parties/enterprises/{other.pk}").status_code == 404
    client.force_login(world.guidance)
    assert {e["name"] for e in client.get("/api/parties/enterprises?q=厂").json()["items"]} == {"辉埠石材厂"}
    item = client.get(f"/api/catalogue/items/{world.item_stall.code}").json()
    assert item["code"] == world.item_stall.code and item["name"] == world.item_stall.name
    assert client.get("/api/catalogue/items/000000000000").status_code == 404
    spec = client.get("/api/openapi.json").json()
    assert "/api/intake/events" in spec["paths"] and "media_url" in str(spec["components"])

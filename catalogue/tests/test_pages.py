"""The catalogue's pages as its users open them: an item with its legal basis, the law library, the
history, and the guidance office's review of candidates (including where it sends the reviewer next)."""

from django.urls import reverse

from catalogue.models import ClauseCandidate
from core.models import AuditRecord


def test_an_item_shows_its_basis_and_who_holds_it(world, client):
    client.force_login(world.bureau_officer)
    page = client.get(reverse("catalogue:item", args=[world.item_stall.code])).content.decode()
    assert world.item_stall.name in page and "第三十四条" in page and world.zf.name in page
    assert world.tianma.name in page  # delegated to 天马街道
    assert client.get(reverse("catalogue:item", args=["000000000000"])).status_code == 404


def test_the_law_library_from_law_to_article_to_items(world, client):
    client.force_login(world.tianma_officer)
    assert world.law.title in client.get(reverse("catalogue:laws")).content.decode()
    assert "第三十四条" in client.get(reverse("catalogue:law", args=[world.law.pk])).content.decode()
    page = client.get(reverse("catalogue:article", args=[world.law.pk, 34])).content.decode()
    assert "可以并处警告、罚款" in page and world.item_litter.code in page
    assert client.get(reverse("catalogue:article", args=[world.law.pk, 99])).status_code == 404
    assert client.get(reverse("catalogue:history")).status_code == 200


def test_rejecting_a_candidate_needs_a_reason_and_stays_on_this_site(world, client):
    cand = ClauseCandidate.objects.create(article=world.article, seq=1, violation="违规堆放", penalty_text="罚款")
    url = reverse("catalogue:candidate_reject", args=[cand.pk])
    client.force_login(world.guidance)
    audit = AuditRecord.objects.count()
    response = client.post(url, {"reason": ""}, follow=True)
    assert "请填写驳回理由" in response.content.decode()
    cand.refresh_from_db()
    assert cand.status == "pending" and AuditRecord.objects.count() == audit
    response = client.post(url, {"reason": "与已有事项重复", "next": "https://evil.example/phish"})
    assert response.status_code == 302 and response.url == reverse("catalogue:candidates")  # not an open redirect
    cand.refresh_from_db()
    assert cand.status == "rejected"
    other = ClauseCandidate.objects.create(article=world.article, seq=2, violation="乱扔垃圾", penalty_text="警告")
    back = reverse("catalogue:candidates") + "?page=2"
    response = client.post(reverse("catalogue:candidate_reject", args=[other.pk]), {"reason": "不属于本县", "next": back})
    assert response.url == back
    client.force_login(world.tianma_officer)
    third = ClauseCandidate.objects.create(article=world.article, seq=3, violation="x", penalty_text="y")
    assert client.post(reverse("catalogue:candidate_reject", args=[third.pk]), {"reason": "越权"}).status_code == 403

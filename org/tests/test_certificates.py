"""执法证到期提醒 (XF-042, ZJ-028): a lapsed 执法证 cannot enforce nor count as one of the two, so the holder and
those who keep watch over it are told before it lapses (``org.certificate_warn_days``, default 60)."""

import datetime as dt

from django.urls import reverse

TODAY = dt.date.today()


def _officers(world):
    return {
        "lapsed": world.make_officer("过期甲", world.bureau_team, expiry=TODAY - dt.timedelta(days=3), no="C-1"),
        "soon": world.make_officer("将到乙", world.bureau_team, expiry=TODAY + dt.timedelta(days=20), no="C-2",
                                   user=world.bureau_officer),
        "later": world.make_officer("远期丙", world.bureau_team, expiry=TODAY + dt.timedelta(days=400), no="C-3"),
        "other_body": world.make_officer("市监丁", world.scjg_team, expiry=TODAY + dt.timedelta(days=10), no="C-4"),
        "aux": world.make_officer("辅助戊", world.bureau_team, aux=True),
    }


def test_the_body_head_and_the_guidance_office_see_the_certificates_to_renew(world, client):
    _officers(world)
    client.force_login(world.zf_head)  # the body's own
    page = client.get(reverse("home")).content.decode()
    assert "2 名执法人员的执法证已过期或将在 60 日内到期" in page
    assert "过期甲" in page and "将到乙" in page and "远期丙" not in page and "市监丁" not in page
    assert page.index("过期甲") < page.index("将到乙")  # soonest (here: lapsed) first
    client.force_login(world.guidance)  # county-wide: it keeps the register
    page = client.get(reverse("home")).content.decode()
    assert "3 名执法人员" in page and "市监丁" in page and "辅助戊" not in page
    client.force_login(world.scjg_supervisor)
    page = client.get(reverse("home")).content.decode()
    assert "市监丁" in page and "过期甲" not in page
    client.force_login(world.leader)  # not theirs to act on
    assert "执法证件" not in client.get(reverse("home")).content.decode()


def test_the_holder_is_told_on_their_home_page(world, client):
    _officers(world)
    client.force_login(world.bureau_officer)
    page = client.get(reverse("home")).content.decode()
    expiry = (TODAY + dt.timedelta(days=20)).isoformat()
    assert f"您的执法证（C-2）将于 {expiry} 到期，请及时办理换证。" in page
    assert "过期甲" not in page  # an officer sees their own, not the others'
    client.cookies["django_language"] = "en"
    assert f"Your enforcement certificate (C-2) lapses on {expiry}" in client.get(reverse("home")).content.decode()


def test_the_officer_list_filters_the_certificates_to_renew(world, client):
    _officers(world)
    client.force_login(world.guidance)
    page = client.get(reverse("org:officers"), {"cert": "renew"}).content.decode()
    assert "过期甲" in page and "将到乙" in page and "市监丁" in page
    assert "远期丙" not in page and "辅助戊" not in page
    assert "远期丙" in client.get(reverse("org:officers")).content.decode()

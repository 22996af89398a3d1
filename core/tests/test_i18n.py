from django.urls import reverse


def test_chinese_by_default_english_on_request(world, client):
    client.force_login(world.guidance)
    body = client.get(reverse("catalogue:items")).content.decode()
    assert "执法事项目录" in body and 'lang="zh-hans"' in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("catalogue:items")).content.decode()
    assert "Enforcement item catalogue" in body and 'lang="en"' in body


def test_time_zone_is_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_browser_accept_language_does_not_override_chinese_default(world, client):
    client.force_login(world.guidance)
    body = client.get(reverse("catalogue:items"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "执法事项目录" in body

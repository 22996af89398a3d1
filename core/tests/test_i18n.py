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


def test_english_catalogue_is_complete_and_keeps_every_placeholder():
    """Every msgid has English, nothing is fuzzy, the English keeps each %(name)s of the Chinese (a lost or
    misspelt one raises KeyError at the moment of the refusal), and the compiled .mo says the same."""
    import re
    from pathlib import Path

    import polib
    from django.conf import settings

    po_path = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    holder = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]")
    problems = []
    for e in po:
        if e.obsolete:
            continue
        if e.msgid_plural:
            if not all(e.msgstr_plural.values()):
                problems.append(("untranslated plural", e.msgid))
            continue
        if not e.msgstr or "fuzzy" in e.flags:
            problems.append(("untranslated", e.msgid))
        elif sorted(holder.findall(e.msgid)) != sorted(holder.findall(e.msgstr)):
            problems.append(("placeholders differ", e.msgid))
        elif mo.get((e.msgctxt, e.msgid)) != e.msgstr:
            problems.append(("not compiled", e.msgid))
    assert problems == []
    assert len(po) > 1500  # the catalogue was read

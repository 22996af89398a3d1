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


def test_every_string_marked_for_translation_is_in_the_catalogue():
    """A string marked in code or a template but never extracted (`make messages` not run) would stay Chinese
    in the English UI: every literal msgid of gettext/_ /pgettext calls and {% translate %} tags is in the .po."""
    import ast
    import re
    from pathlib import Path

    import polib
    from django.conf import settings

    root = Path(settings.BASE_DIR)
    po = polib.pofile(str(root / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt or None, e.msgid) for e in po if not e.obsolete}
    skip = {".venv", "var", "node_modules", ".git"}
    marked: set[tuple[str | None, str]] = set()
    for path in root.rglob("*.py"):
        if skip & set(path.relative_to(root).parts) or "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if node.func.id in ("_", "gettext", "gettext_lazy", "_lazy") and args[0]:
                marked.add((None, args[0]))
            elif node.func.id in ("pgettext", "pgettext_lazy") and len(args) > 1 and args[0] and args[1]:
                marked.add((args[0], args[1]))
    tag = re.compile(r"""\{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+context\s+"([^"]+)")?""")
    for path in root.rglob("*.html"):
        if skip & set(path.relative_to(root).parts):
            continue
        for msgid, context in tag.findall(path.read_text(encoding="utf-8")):
            marked.add((context or None, msgid.replace("%", "%%")))  # as makemessages extracts a template's %
    assert len(marked) > 1500  # the scan found the project's strings
    missing = sorted(m for m in marked if m not in known)
    assert missing == []

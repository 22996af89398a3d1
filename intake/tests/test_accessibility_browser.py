"""The main pages pass axe-core's accessibility rules (WCAG 2 A/AA: contrast, labels, links told apart
without colour, keyboard-reachable scroll regions …) in Debian's Chromium. axe-core comes bundled with
axe-playwright-python. Skipped where Chromium, Playwright or axe is missing.

axe found, on 2026-12-06, before this test existed: muted text at 4.47:1 on the page background (needs
4.5), links in text told apart by colour only, the command centre's scrolling queues out of the
keyboard's reach, and empty table headers over action columns."""

import shutil

import pytest
from django.urls import reverse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def test_main_pages_have_no_accessibility_violations(iw, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from conftest import PASSWORD
    from dispatch.tests.test_flow import report

    e = report(iw)  # something in the queues, lists and tables
    report(iw, text="定阳路窨井盖破损，有人跌倒", category_code=None)
    from intake.services import event_submit

    event_submit(channel="grid", actor=iw.grid_tianma, text="文峰路共享单车乱停放", lng=iw.tianma_point[0] + 0.01,
                 lat=iw.tianma_point[1], reporter_name="网格员")  # the grid worker's own reports on their home page
    pages = [(None, "/public/report/", 1280), (None, reverse("public_track", args=[e.ticket]), 1280),
             (None, "/accounts/login/", 1280), (iw.grid_tianma, reverse("intake:report"), 1280),
             (iw.operator, "/", 1280), (iw.operator, "/command/", 1280), (iw.operator, reverse("intake:events"), 1280),
             (iw.operator, e.get_absolute_url(), 1280), (iw.operator, "/notifications/", 1280),
             (iw.tianma_officer, "/", 1280),
             (None, "/public/", 1280), (None, "/public/officers/", 1280), (None, "/catalogue/items/", 1280),
             (None, "/public/procedure/", 1280), (None, "/public/verify/?number=x", 1280),
             # on a phone: the citizen's and the grid worker's pages
             (None, "/public/report/", 390), (iw.grid_tianma, reverse("intake:report"), 390),
             (iw.grid_tianma, "/", 390), (iw.citizen, "/", 390), (None, "/public/", 390)]
    axe = axe_module.Axe()
    found = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for user, path, width in pages:
                page = browser.new_page(viewport={"width": width, "height": 900})
                if user is not None:
                    page.goto(f"{live_server.url}/accounts/login/")
                    page.fill("input[name=username]", user.username)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                violations = axe.run(page).response["violations"]
                if violations:
                    found[f"{user.username if user else 'anonymous'} {path}@{width}"] = [(v["impact"], v["id"], v["nodes"][0]["target"]) for v in violations]
                page.close()
        finally:
            browser.close()
    assert found == {}

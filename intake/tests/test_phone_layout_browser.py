"""On a phone (390 px) a refused report keeps the page inside the screen: a long field message wraps
instead of widening the page (it did: the phone-number message made the public page 769 px wide).
Debian's Chromium driven by Playwright; skipped where either is missing."""

import shutil

import pytest

from intake.models import Event

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refused_public_report_fits_a_phone(iw, live_server, monkeypatch, language):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 800})
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/public/report/")
            page.fill("textarea[name=text]", "人民路有人占道经营")
            page.fill("input[name=reporter_phone]", "12345")
            page.click("form#report-form button[type=submit]")
            page.wait_for_selector(".field-error")
            message = page.inner_text(".field-error")
            assert ("不是有效的电话号码" if language == "zh-hans" else "is not a valid phone number") in message
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()
    assert Event.objects.count() == 0

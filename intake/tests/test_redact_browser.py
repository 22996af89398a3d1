"""打码 in a real browser (Debian's Chromium driven by Playwright): the operator drags boxes over the photo,
clicks one away, confirms, and the server pixelates exactly the boxes left. Skipped where Chromium or
Playwright is missing."""

import shutil

import pytest
from django.db import connections
from django.urls import reverse

from intake.tests.test_photos import noisy_photo, report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def test_the_operator_draws_the_regions_to_pixelate(iw, live_server, monkeypatch, settings, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM is read here while Playwright's loop runs
    settings.MEDIA_ROOT = tmp_path
    from conftest import PASSWORD

    e = report(iw, photo=noisy_photo())
    photo = e.attachments.get()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", iw.operator.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.goto(live_server.url + reverse("intake:photo_publish", args=[e.pk, photo.pk]))
            page.wait_for_function("document.querySelector('.redact-stage img').complete")
            img = page.locator(".redact-stage img").bounding_box()

            def drag(x0, y0, x1, y1):
                page.mouse.move(img["x"] + x0 * img["width"], img["y"] + y0 * img["height"])
                page.mouse.down()
                page.mouse.move(img["x"] + x1 * img["width"], img["y"] + y1 * img["height"], steps=5)
                page.mouse.up()

            drag(0.6, 0.6, 0.1, 0.2)  # dragged up and to the left: the box is the same
            drag(0.7, 0.7, 0.9, 0.8)
            assert page.inner_text("#redact-count") == "2"
            page.click(".redact-box >> nth=1")  # a click on a box takes it away
            assert page.inner_text("#redact-count") == "1"
            page.mouse.click(img["x"] + 5, img["y"] + 5)  # a click without dragging draws nothing
            assert page.inner_text("#redact-count") == "1"
            page.check("input[name=checked]")
            page.click("form.card button:not([type=button])")
            page.wait_for_url(f"**/intake/events/{e.pk}/")
            assert "已公开 · 打码 1 处" in page.content()
            photo.refresh_from_db()
            [(x, y, w, h)] = photo.public_redactions
            assert abs(x - 0.1) < 0.01 and abs(y - 0.2) < 0.01 and abs(w - 0.5) < 0.01 and abs(h - 0.4) < 0.01
        finally:
            browser.close()
            connections.close_all()  # the ORM's connection opened inside Playwright's loop

"""The phone form's offline queue in a real browser (Debian's Chromium driven by Playwright): the page
reopens with no network from its service worker, a report written offline is kept on the device and is
sent by itself when the network returns — once. Skipped where Chromium or Playwright is missing."""

import shutil

import pytest
from django.db import connections

from intake.models import Event

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def test_a_report_written_offline_is_sent_when_the_network_returns(iw, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM is read here while Playwright's loop runs
    from conftest import PASSWORD

    base = live_server.url.replace("127.0.0.1", "localhost")  # a secure context: service workers allowed
    lng, lat = iw.tianma_point
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(geolocation={"latitude": lat, "longitude": lng}, permissions=["geolocation"])
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", iw.grid_tianma.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{base}/intake/report/")
            page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
            page.reload()  # now the service worker controls the page and keeps a copy of it
            page.wait_for_function("!!navigator.serviceWorker.controller")
            context.set_offline(True)
            page.reload()  # no network: the page comes from the service worker
            page.wait_for_selector("#report-form")
            page.fill("textarea[name=text]", "离线测试：人民路58号门口窨井盖缺失")
            page.click("#report-form button[type=submit]")
            page.wait_for_function("document.getElementById('queue').innerText.indexOf('本机暂存 1 条') >= 0")
            assert not Event.objects.exists()  # nothing reached the server
            context.set_offline(False)  # the page sends what it kept, by itself
            page.wait_for_function("document.getElementById('queue').innerText.indexOf('已提交') >= 0",
                                   timeout=15000)
            event = Event.objects.get()
            assert event.text == "离线测试：人民路58号门口窨井盖缺失" and event.channel == "grid"
            assert event.reporter == iw.grid_tianma and len(event.external_id) == 36  # the page's own reference
            assert event.occurred_at <= event.received_at
            assert abs(event.lng - lng) < 1e-5 and abs(event.lat - lat) < 1e-5  # GPS works offline
            page.reload()  # the queue is empty and nothing is sent twice
            page.wait_for_timeout(1000)
            assert Event.objects.count() == 1 and "本机暂存" not in page.inner_text("#queue")
        finally:
            browser.close()
            # inside Playwright's loop the ORM ran on a connection of its own (asgiref's context-local
            # storage); close it here, or the test database cannot be dropped at the end of the run
            connections.close_all()


def test_a_report_written_after_the_session_ended_waits_for_the_next_sign_in(iw, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from conftest import PASSWORD

    base = live_server.url.replace("127.0.0.1", "localhost")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()

            def sign_in():
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", iw.grid_tianma.username)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")

            sign_in()
            page.goto(f"{base}/intake/report/")
            context.clear_cookies()  # the session ends while the form is open
            page.fill("textarea[name=text]", "登录过期测试：府前路路灯不亮")
            page.fill("input[name=address]", "府前路")
            page.click("#report-form button[type=submit]")
            page.wait_for_function("document.getElementById('queue').innerText.indexOf('登录已失效') >= 0")
            assert not Event.objects.exists()  # kept on the device, told why: not "no network"
            sign_in()
            page.goto(f"{base}/intake/report/")  # opening the page sends what was kept
            page.wait_for_function("document.getElementById('queue').innerText.indexOf('已提交') >= 0",
                                   timeout=15000)
            event = Event.objects.get()
            assert event.text == "登录过期测试：府前路路灯不亮" and event.reporter == iw.grid_tianma
        finally:
            browser.close()
            connections.close_all()

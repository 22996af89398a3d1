"""Render pages headless (Debian's Chromium via Playwright) and save PNGs, to look at what a person sees.

Usage: python scripts/screenshots.py BASE_URL OUTDIR user:password path [path ...]
``-`` instead of ``user:password`` renders the pages as a visitor who is not signed in.
Paths may carry a width suffix, e.g. ``/catalogue/items/@390`` for a phone-sized screenshot.
``SCREENSHOT_LANG=en`` renders the pages in English (the language cookie a user's switch sets).
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright


def main(base, outdir, creds, *paths):
    user, _, password = creds.partition(":")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        for spec in paths:
            path, _, width = spec.partition("@")
            page = browser.new_page(viewport={"width": int(width or 1280), "height": 900})
            if os.environ.get("SCREENSHOT_LANG"):
                page.context.add_cookies([{"name": "django_language", "value": os.environ["SCREENSHOT_LANG"],
                                           "url": base}])
            if creds != "-":
                page.goto(base + "/accounts/login/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
            page.goto(base + path)
            page.wait_for_timeout(600)
            name = (path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-").replace("&", "_") or "home")
            target = out / f"{name}{'_' + width if width else ''}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])

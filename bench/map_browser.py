"""How the command-centre map behaves in a real browser with many reports: time to draw the points,
the cluster view and the heat view, and the time a pan and a zoom step take to the next frame.

It copies the demo database (``var/openenforce.sqlite3``) to a scratch file, adds N synthetic open
events there (``bench/command_reads.add_synthetic``, committed in the copy only), serves the copy with
Django's server on a free port and drives headless Chromium (Playwright, ``pip install -e
'.[dev]'``, Debian's ``chromium``) as the demo operator. The demo database is not changed.

Run after ``make demo``: ``.venv/bin/python bench/map_browser.py [--synthetic 30000] [--runs 3]``
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_DB = ROOT / "var" / "openenforce.sqlite3"
PASSWORD = "changshan-demo-2026"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(db: Path, n: int) -> None:
    code = (f"import sys; sys.argv=['x']; sys.path.insert(0, {str(ROOT / 'bench')!r}); import command_reads as c; "
            f"from django.db import transaction\nwith transaction.atomic(): c.add_synthetic({n})")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 30) -> None:
    import urllib.request

    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not DEMO_DB.exists():
        raise SystemExit("no demo database: run `make demo` first")
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="mapbench-"))
    db = work / "db.sqlite3"
    shutil.copy(DEMO_DB, db)
    if args.synthetic:
        seed(db, args.synthetic)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}")
    server = subprocess.Popen([str(ROOT / ".venv/bin/openenforce"), "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, list[float]] = {}
    bubbles: list[int] = []
    try:
        wait_for(base + "/accounts/login/")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", "zhihui")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for _ in range(args.runs):
                for view in ("points", "cluster", "heat"):
                    start = time.perf_counter()
                    page.goto(base + "/command/")
                    page.wait_for_function("+(document.getElementById('map').dataset.drawn || 0) >= 1",
                                           timeout=120000)
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    results.setdefault("page open, points drawn", []).append(time.perf_counter() - start)
                    start = time.perf_counter()
                    # choose the view: the points are fetched again and drawn; wait for the layer and the next frame
                    page.evaluate("v => { const s = document.querySelector('select[name=view]'); s.value = v; "
                                  "s.dispatchEvent(new Event('change', {bubbles: true})); }", view)
                    page.wait_for_function("+(document.getElementById('map').dataset.drawn || 0) >= 2",
                                           timeout=120000)
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    results.setdefault(f"{view}: switch, fetch and draw", []).append(time.perf_counter() - start)
                    if view == "cluster":  # the bubbles on screen (the whole county) should add up to every report
                        bubbles.append(page.evaluate("[...document.querySelectorAll('#map .marker-cluster span')]"
                                                     ".reduce((a, s) => a + (+s.textContent), 0)"))
                    box = page.locator("#map").bounding_box()
                    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                    start = time.perf_counter()
                    page.mouse.move(cx, cy)
                    page.mouse.down()
                    page.mouse.move(cx + 200, cy, steps=5)
                    page.mouse.up()
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    results.setdefault(f"{view}: 200 px pan", []).append(time.perf_counter() - start)
                    start = time.perf_counter()
                    page.click(".leaflet-control-zoom-in")
                    page.wait_for_timeout(50)
                    page.wait_for_function("!document.querySelector('.leaflet-zoom-anim')")
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    results.setdefault(f"{view}: zoom step, settled (incl. 250 ms animation)", []).append(
                        time.perf_counter() - start)
            count = page.text_content("#pt-count")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"map in Chromium, demo + {args.synthetic} synthetic open events; last count shown: {count}")
    print(f"cluster view: the bubbles on screen add up to {', '.join(map(str, bubbles))} reports")
    for name, values in results.items():
        print(f"{name:<48} median {statistics.median(values) * 1000:7.0f} ms  "
              f"(runs: {', '.join(f'{v * 1000:.0f}' for v in values)})")


if __name__ == "__main__":
    main()

"""Benchmark intake over HTTP: the app served by gunicorn against PostgreSQL, 16 concurrent clients
POSTing events to /api/intake/events (API key, unique external ids, points inside the county), then
the routing throughput in-process.

Run: ``.venv/bin/python bench/intake_http.py --database-url postgres://postgres@127.0.0.1:5432/openenforce_bench``
It EMPTIES that database, loads the demo catalogue (no synthetic events), starts gunicorn, and prints
events/s and latency percentiles. Client threads run on the same machine (2 cores here), so the
figures are a lower bound for a dedicated server.
"""

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=100, help="per client")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--address-only-every", type=int, default=0,
                    help="every Nth event carries only an address (a 12345 call): town from the address, "
                         "duplicates compared by address (0: every event has a point)")
    args = ap.parse_args()
    env = dict(os.environ, DATABASE_URL=args.database_url, OPENENFORCE_VAR_DIR=str(ROOT / "var" / "bench"),
               OPENENFORCE_DEMO_PASSWORD="bench-pass-2026")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openenforce.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from intake.services import api_client_create
    from org.geo import inside_county
    from org.models import Region, User

    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    call_command("load_demo", "--enterprises", "100", "--events", "0", "--quiet")
    admin = User.objects.get(username="admin")
    _client, key = api_client_create(actor=admin, name="bench-hotline", kind="hotline")
    from demo.loader import DemoLoader

    loader = DemoLoader(password="x", enterprises=0)
    towns = list(Region.objects.filter(level="township"))
    rng = random.Random(7)
    from demo import data as D

    payloads = []
    for i in range(args.clients * args.requests):
        town = rng.choice(towns)
        lng, lat = loader.point_in(town)
        while not inside_county(lng, lat):  # the simplified town areas overhang the outline slightly
            lng, lat = loader.point_in(town)
        code = rng.choice(list(D.EVENT_TEMPLATES))
        road, place = rng.choice(D.ROADS), rng.choice(D.PLACES)
        text = rng.choice(D.EVENT_TEMPLATES[code]).format(road=road, place=place)
        body = {"external_id": f"bench-{i}", "text": text + f"（第{i}号）", "lng": lng, "lat": lat,
                "category": code if i % 2 else None}
        if args.address_only_every and i % args.address_only_every == 0:
            body.update(lng=None, lat=None, address=f"{town.name}{road}{place}")
        payloads.append(json.dumps(body, ensure_ascii=False).encode())
    from django.db import connections

    connections.close_all()

    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "openenforce.wsgi", "-w", str(args.workers),
                               "-b", f"127.0.0.1:{args.port}", "--log-level", "warning"], cwd=ROOT, env=env,
                              start_new_session=True)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                c.request("GET", "/accounts/login/")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        latencies, errors = [], []
        lock = threading.Lock()

        def run(chunk):
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
            mine = []
            for body in chunk:
                t = time.perf_counter()
                conn.request("POST", "/api/intake/events", body=body,
                             headers={"Content-Type": "application/json", "X-Api-Key": key})
                resp = conn.getresponse()
                resp.read()
                mine.append(time.perf_counter() - t)
                if resp.status != 201:
                    with lock:
                        errors.append(resp.status)
            with lock:
                latencies.extend(mine)

        chunks = [payloads[i::args.clients] for i in range(args.clients)]
        # warm-up: each worker loads the routing model once
        run([json.dumps({"external_id": f"warm-{i}", "text": "人民路占道经营", "town": "天马街道", "address": "人民路"})
             .encode() for i in range(args.workers * 2)])
        latencies.clear()
        started = time.perf_counter()
        threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - started
        n = len(latencies)
        share = f", every {args.address_only_every}th address-only" if args.address_only_every else ""
        print(f"gunicorn workers {args.workers}, PostgreSQL, {args.clients} concurrent clients, {n} POSTs{share}")
        print(f"throughput {n / wall:.1f} events/s; latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 95) * 1000:.0f} ms, p99 {percentile(latencies, 99) * 1000:.0f} ms; "
              f"errors {len(errors)}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    from django.db import connection

    from dispatch.routing import decide
    from intake.models import Event

    connection.close()
    events = list(Event.objects.select_related("town", "category").order_by("id")[:500])
    decide(text=events[0].text, town=events[0].town, category=events[0].category, on=events[0].received_at.date())
    started = time.perf_counter()
    for e in events:
        decide(text=e.text, town=e.town, category=e.category, on=e.received_at.date())
    seconds = time.perf_counter() - started
    print(f"routing decisions in-process (boundary + model + items + body, with DB reads): "
          f"{len(events) / seconds:.0f} events/s")


if __name__ == "__main__":
    main()

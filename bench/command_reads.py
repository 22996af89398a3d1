"""Benchmark the command centre's reads on whatever database is configured (the demo by default):
the map points (open, 7, 30 and 365 days), the 考评 selector over a year, 我的待办 for the guidance
office and the event-list CSV export (every event); then a case officer's home page, the case register and
its CSV export, and the legal reviewer's queue, rendered whole (bytes as the rows); and the public pages a visitor opens (执法公示, the
officer register, the catalogue and a search of it, a document check). Prints, for each, the rows, the number
of SQL queries and the median of five runs after one warm-up.

Run after ``make demo`` (or against a copy of production with DATABASE_URL set):
``.venv/bin/python bench/command_reads.py [--synthetic N]``

``--synthetic N`` adds N open events (copies of the demo's, spread over the past year, inserted in bulk)
inside a transaction that is rolled back at the end, to see the map and the lists at a larger scale
without changing the database.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openenforce.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from dispatch.selectors import body_performance, event_points, my_work  # noqa: E402
from intake.selectors import event_export_rows, event_search  # noqa: E402


def measure(name, fn, rows_of):
    fn()  # warm-up
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
    print(f"{name:<34} rows {rows_of(result):>6}  queries {len(queries.captured_queries):>3}  "
          f"median {statistics.median(times) * 1000:8.1f} ms  (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")


def add_synthetic(n: int) -> None:
    from intake.models import Event

    rng = random.Random(7)
    now = timezone.now()
    base = list(Event.objects.filter(lng__isnull=False, duplicate_of__isnull=True).values(
        "text", "lng", "lat", "town_id", "category_id", "department_id", "channel")[:500])
    rows = []
    for _ in range(n):
        b = rng.choice(base)
        rows.append(Event(channel=b["channel"], text=b["text"], lng=b["lng"] + rng.uniform(-0.01, 0.01),
                          lat=b["lat"] + rng.uniform(-0.01, 0.01), town_id=b["town_id"], category_id=b["category_id"],
                          department_id=b["department_id"], status="routed", synthetic=True,
                          received_at=now - dt.timedelta(minutes=rng.randint(1, 365 * 24 * 60))))
    start = time.perf_counter()
    Event.objects.bulk_create(rows, batch_size=2000)
    print(f"added {n} synthetic open events in {time.perf_counter() - start:.1f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=0)
    args = parser.parse_args()
    if args.synthetic:
        with transaction.atomic():
            add_synthetic(args.synthetic)
            print("(rolled back at the end)")
            run()
            transaction.set_rollback(True)
    else:
        run()


def run():
    users = get_user_model().objects
    operator = users.filter(role="operator").first()
    guidance = users.filter(role="guidance").first()
    if operator is None or guidance is None:
        print("no command-centre users in this database: run `make demo` first")
        return
    now = timezone.now()
    print(f"database: {connection.vendor}, events visible to {operator.username}: "
          f"{event_search(user=operator).count()}")
    for days in (None, 7, 30, 365):
        measure(f"map points ({days or 'open'} days)", lambda d=days: event_points(user=operator, days=d),
                lambda r: r["total"])
    measure("考评, one year, every body", lambda: body_performance(start=now - dt.timedelta(days=365), end=now),
            len)
    measure("我的待办 (guidance office)", lambda: {k: list(v) if hasattr(v, "__iter__") and not isinstance(v, (str, dict))
                                                   else v for k, v in my_work(user=guidance).items()},
            lambda r: r["unread_count"])
    measure("event export CSV rows (all)", lambda: list(event_export_rows(event_search(user=operator))), len)
    # the pages a case officer opens first: the home page (我的待办 with the case time limits, answers owed to
    # the legal review, assistance requests) and the case register, rendered whole through the test client
    officer = users.filter(username="zfj_officer").first() or users.filter(role="bureau_officer").first()
    if officer is not None:
        client = Client()
        client.force_login(officer)
        for label, path in (("home page (bureau officer)", "/"), ("案件台账 page 1 (bureau officer)", "/cases/list/"),
                            ("案件台账 CSV export (bureau officer)", "/cases/list/export.csv")):
            measure(label, lambda p=path: _body(client.get(p, HTTP_HOST="127.0.0.1")), len)
    # the legal reviewer's queue (XF-058, and XF-036 before filing), rendered whole
    reviewer = users.filter(username="fazhi").first() or users.filter(role="legal_reviewer").first()
    if reviewer is not None:
        client = Client()
        client.force_login(reviewer)
        measure("法制审核队列 (legal reviewer)", lambda: _body(client.get("/cases/reviews/", HTTP_HOST="127.0.0.1")), len)
    # what anyone may open without logging in (执法公示, SX-1), rendered whole for a visitor
    from urllib.parse import urlencode

    from cases.models import Document

    visitor = Client()
    pages = [("执法公示 /public/ (visitor)", "/public/"),
             ("执法人员公示 page 1 (visitor)", "/public/officers/"),
             ("执法事项目录 page 1 (visitor)", "/catalogue/items/"),
             ("事项目录 search 占道 (visitor)", "/catalogue/items/?q=%E5%8D%A0%E9%81%93")]
    if decision := Document.objects.filter(doc_type="decision").order_by("pk").first():  # its number and 核验码
        pages.append(("文书核验, a decision (visitor)",
                      "/public/verify/?" + urlencode({"number": decision.number, "code": decision.check_code})))
    for label, path in pages:
        measure(label, lambda p=path: _body(visitor.get(p, HTTP_HOST="127.0.0.1")), len)


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


if __name__ == "__main__":
    main()

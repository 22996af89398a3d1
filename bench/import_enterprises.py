"""Benchmark: import N enterprises (default 50,000) from xlsx and from csv through the real import path.

Run: ``.venv/bin/python bench/import_enterprises.py [--rows 50000] [--database-url URL]``. It uses a
scratch database (a temporary SQLite file, or the PostgreSQL database given, which it empties) and
prints rows, seconds and rows/s for each format.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="oe-bench-")
    os.environ["OPENENFORCE_VAR_DIR"] = tmp
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openenforce.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from openpyxl import Workbook

    from core.importing import get_importer, run_import
    from core.validators import uscc_check_char
    from org.models import Region, User
    from parties.models import Enterprise

    call_command("migrate", verbosity=0)
    if args.database_url:
        call_command("flush", "--noinput", verbosity=0)
    for code, name in [("330822001", "天马街道"), ("330822115", "辉埠镇")]:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": "township"})
    actor, _ = User.objects.get_or_create(username="bench", defaults={"role": "guidance"})
    rng = random.Random(1)
    header = ["注册号/统一社会信用代码", "企业名称", "主体类型", "法定代表人", "住所", "所属行业", "登记机关", "管辖单位",
              "信用风险分类", "经度", "纬度"]

    def rows(offset):
        for i in range(args.rows):
            body = f"91330822MA{offset + i:07d}"
            yield [body + uscc_check_char(body), f"常山测试{offset + i}有限公司", "企业", "张三",
                   f"常山县天马街道{i}号", "零售", "常山县市场监督管理局", rng.choice(["天马街道", "辉埠镇"]),
                   rng.choice("ABCD"), f"{118.5 + rng.random() / 10:.6f}", f"{28.9 + rng.random() / 10:.6f}"]

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows(0))
    csv_bytes = buf.getvalue().encode("utf-8")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for r in rows(5_000_000):
        ws.append(r)
    xbuf = io.BytesIO()
    wb.save(xbuf)
    xlsx_bytes = xbuf.getvalue()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"database: {engine}; rows per file: {args.rows}")
    for label, data, name in [("csv", csv_bytes, "bench.csv"), ("xlsx", xlsx_bytes, "bench.xlsx")]:
        started = time.perf_counter()
        report = run_import(get_importer("enterprises"), actor=actor, data=data, filename=name)
        seconds = time.perf_counter() - started
        assert report.ok, (report.fatal, report.errors[:3])
        print(f"{label:5s} {len(data) / 1e6:6.1f} MB  rows {report.created:6d}  {seconds:6.1f} s  "
              f"{report.created / seconds:8.0f} rows/s")
    print(f"enterprises in database: {Enterprise.objects.count()}")


if __name__ == "__main__":
    main()

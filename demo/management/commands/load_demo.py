import os
import time

from django.core.management.base import BaseCommand

from demo.loader import is_loaded, load_demo

DEFAULT_PASSWORD = "changshan-demo-2026"

ACCOUNTS = [
    ("admin", "系统管理员 (Django admin)"), ("zhihui", "指挥中心值班员"), ("zhidaoban", "综合行政执法指导办"),
    ("zfj_officer", "县综合执法局执法人员"), ("scjg_officer", "市场监管执法队执法人员"),
    ("tianma_officer", "天马片区镇街执法队员"), ("huibu_officer", "辉埠片区镇街执法队员"),
    ("wangge_tianma", "天马街道网格员"), ("scjg_supervisor", "县市场监管局(业务主管部门)"),
    ("zj_supervisor", "县住建局(业务主管部门)"), ("fazhi", "法制审核人员"),
    ("zfj_head", "县综合执法局负责人"), ("scjg_head", "县市场监管局负责人"), ("tianma_head", "天马街道办事处负责人"),
    ("huibu_head", "辉埠镇人民政府负责人"), ("lingdao", "县领导"),
    ("citizen", "群众"),
]


class Command(BaseCommand):
    help = "Load the 常山县 demo (idempotent: does nothing when it is already loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=3200)
        parser.add_argument("--events", type=int, default=1500, help="synthetic events (a year of history)")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **opts):
        password = os.environ.get("OPENENFORCE_DEMO_PASSWORD", DEFAULT_PASSWORD)
        started = time.perf_counter()
        if is_loaded():
            self.stdout.write("demo already loaded")
        else:
            out = None if opts["quiet"] else self.stdout
            load_demo(password=password, enterprises=opts["enterprises"], events=opts["events"], out=out)
            self.stdout.write(f"demo loaded in {time.perf_counter() - started:.1f}s")
        self.stdout.write("\nDemo accounts (password from OPENENFORCE_DEMO_PASSWORD, default "
                          f"'{DEFAULT_PASSWORD}'):")
        for username, label in ACCOUNTS:
            self.stdout.write(f"  {username:<16} {label}")

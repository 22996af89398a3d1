from django.core.management import call_command
from django.core.management.base import BaseCommand

from dispatch.tasks import ensure_sweep_scheduled


class Command(BaseCommand):
    help = ("Run a background worker (Tasks API, database backend): makes sure the deadline sweep is "
            "scheduled, then processes tasks. Run one in the demo; several on several hosts in production.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="process what is due, then exit")

    def handle(self, *args, **o):
        ensure_sweep_scheduled()
        argv = ["--batch"] if o["batch"] else []
        call_command("db_worker", *argv)

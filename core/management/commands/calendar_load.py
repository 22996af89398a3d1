import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ValidationFailed
from core.services import holiday_notice_load
from org.models import User


class Command(BaseCommand):
    help = ("Load a year's official holiday notice (国务院办公厅关于部分节假日安排的通知). The CSV has the "
            "columns date,kind,name with kind = holiday (rest day) or workday (调休 working weekend day).")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--csv", required=True)
        parser.add_argument("--document-no", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--actor", default="admin", help="username recorded in the audit trail")

    def handle(self, *args, **o):
        actor = User.objects.filter(username=o["actor"]).first()
        if actor is None:
            raise CommandError(f"user {o['actor']!r} not found")
        days = []
        with open(o["csv"], encoding="utf-8-sig") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    days.append((dt.date.fromisoformat(row["date"].strip()), row["kind"].strip(), row.get("name", "")))
                except (KeyError, ValueError) as exc:
                    raise CommandError(f"line {i}: {exc}") from None
        try:
            notice = holiday_notice_load(actor=actor, year=o["year"], title=o["title"], days=days,
                                         document_no=o["document_no"], source_url=o["url"])
        except ValidationFailed as exc:
            raise CommandError(f"{exc.message}: {exc.errors}") from None
        self.stdout.write(f"loaded {notice}: {len(days)} days")

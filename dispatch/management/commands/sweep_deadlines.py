from django.core.management.base import BaseCommand

from cases.services import credit_sweep, payments_overdue_sweep
from dispatch.services import deadlines_sweep


class Command(BaseCommand):
    help = ("Evaluate deadline rows once: reminders, escalation (督办), second-level escalation, party periods "
            "that ran out, and unpaid fines past their period (→ 逾期未履行).")

    def handle(self, *args, **o):
        counts = deadlines_sweep()
        counts["payments_overdue"] = payments_overdue_sweep()
        counts["credit_pushed"] = credit_sweep()
        self.stdout.write(str(counts))

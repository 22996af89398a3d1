from django.core.management.base import BaseCommand

from dispatch.services import sweep_all


class Command(BaseCommand):
    help = ("Evaluate deadline rows once: reminders, escalation (督办), second-level escalation, party periods "
            "that ran out, unpaid fines past their period (→ 逾期未履行) and credit events once decisions are final.")

    def handle(self, *args, **o):
        self.stdout.write(str(sweep_all()))

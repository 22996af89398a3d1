from django.core.management.base import BaseCommand

from dispatch.services import deadlines_sweep


class Command(BaseCommand):
    help = "Evaluate deadline rows once: reminders, escalation (督办) and second-level escalation."

    def handle(self, *args, **o):
        self.stdout.write(str(deadlines_sweep()))

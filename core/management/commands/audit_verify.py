from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the hash-chained audit trail; exit non-zero naming the first broken record."

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN at record #{result.first_broken_seq}: {result.problem} "
                f"({result.checked} records verified before it)"
            )
        self.stdout.write(f"audit chain intact: {result.checked} records, head {result.head_hash}")

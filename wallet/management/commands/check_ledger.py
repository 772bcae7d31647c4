from django.core.management.base import BaseCommand, CommandError

from wallet.services.ledger.check import run_and_store


class Command(BaseCommand):
    help = "Verify the ledger invariants (double entry, sums, balances); exit 1 on a difference."

    def handle(self, *args, **options):
        result = run_and_store()
        self.stdout.write(result.report)
        if not result.ok:
            raise CommandError("The ledger has differences (see the report above).")

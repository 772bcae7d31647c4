from django.core.management.base import BaseCommand

from wallet.services.wallet_service import WalletService


class Command(BaseCommand):
    help = "Copy Paystack's bank list (GET /bank) into Bank; unlisted banks are deactivated."

    def add_arguments(self, parser):
        parser.add_argument("--currency", default="NGN")

    def handle(self, *args, currency, **options):
        count = WalletService().sync_banks(currency=currency)
        self.stdout.write(self.style.SUCCESS(f"{count} banks synced from Paystack ({currency})."))

from django.core.management.base import BaseCommand

from wallet.paystack import PaystackClient
from wallet.services.payouts import sync_banks


class Command(BaseCommand):
    help = "Copy Paystack's bank list (GET /bank) into Bank; unlisted banks are deactivated."

    def add_arguments(self, parser):
        parser.add_argument("--currency", default="NGN")

    def handle(self, *args, currency, **options):
        count = sync_banks(PaystackClient(), currency=currency)
        self.stdout.write(self.style.SUCCESS(f"{count} banks synced from Paystack ({currency})."))

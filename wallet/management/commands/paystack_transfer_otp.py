from django.core.management.base import BaseCommand, CommandError

from wallet.exceptions import WalletError
from wallet.services.outflows import transfer_otp
from wallet.services.wallet_service import WalletService


class Command(BaseCommand):
    help = (
        "Turn Paystack's transfer OTP off (--disable, then --disable --otp CODE with the OTP "
        "Paystack texts to the business phone) or back on (--enable). See docs/payouts.md."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--disable", action="store_true")
        action.add_argument("--enable", action="store_true")
        parser.add_argument("--otp", help="The OTP Paystack sent, to finish --disable.")

    def handle(self, *args, disable, enable, otp, **options):
        client = WalletService().paystack
        try:
            if enable:
                message = transfer_otp.enable_otp(client)
            elif otp:
                message = transfer_otp.finish_disabling_otp(client, otp=otp)
            else:
                message = transfer_otp.start_disabling_otp(client)
                message += "\nRun again with --disable --otp CODE to finish."
        except WalletError as error:
            raise CommandError(error.message)
        self.stdout.write(self.style.SUCCESS(message))

"""Print the current TOTP code of a demo staff user (seed_demo's known secrets only), for a
newcomer without an authenticator app at hand: `manage.py demo_totp_code finance@example.com`."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandError

from wallet.management.commands.seed_demo import DEMO_STAFF

PERIOD = 30


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff user (from seed_demo's known secret)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        secrets = {row[0]: row[3] for row in DEMO_STAFF}
        if email not in secrets:
            raise CommandError(f"Not a demo staff user; one of: {', '.join(secrets)}.")
        now = int(time.time())
        code = format_hotp_value(hotp_value(secrets[email], now // PERIOD))
        self.stdout.write(f"{code}  (valid for {PERIOD - now % PERIOD} more seconds)")

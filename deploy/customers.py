"""Customers and staff for the smoke test and the load test, made inside the cluster.

    python -m deploy.customers --count 8 --out var/cluster/customers.json

Run with the cluster's environment (its DJANGO_SECRET_KEY: PINs and sessions are keyed with it).
Each customer gets a wallet funded through the service (NGN 1,000,000), PIN 2468, a money API
token, a logged-in browser session and a bank account registered at the sandbox. One superuser
(TOTP activated, as the back office requires) gets a session too. Writes JSON with the secrets.
"""

import argparse
import datetime
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")

PIN = "2468"
FUNDS = Decimal("1000000.00")
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def session_for(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def make_customer(run: str, index: int) -> dict:
    from accounts.models import User
    from wallet.services.api_tokens import issue_token
    from wallet.services.outflows.pin import set_first_pin
    from wallet.services.outflows.tiers import move_wallet_to_tier
    from wallet.services.wallet_service import WalletService

    email = f"load-{run}-{index}@example.com"
    user = User.objects.create_user(
        email=email, password="load-test-2026", first_name="Load", last_name=f"Customer{index}"
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    service = WalletService()
    wallet = service.get_wallet(user)
    from wallet.models import TierChange

    move_wallet_to_tier(wallet, 3, source=TierChange.Source.STAFF, reason="Load test customer")
    set_first_pin(user, PIN)
    service.deposit(wallet=wallet, amount=FUNDS, description="Load test funds")
    account = service.add_bank_account(wallet, "058", f"{7000000000 + index * 7919:010d}")
    _, token = issue_token(user=user, name="load test", scope="money", days=1)
    return {
        "email": email,
        "wallet_code": wallet.public_code,
        "wallet_id": wallet.pk,
        "token": token,
        "pin": PIN,
        "session": session_for(user),
        "bank_account_id": account.pk,
    }


def make_staff(run: str) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.models import User

    user = User.objects.create_superuser(email=f"load-staff-{run}@example.com", password="x" * 20)
    TOTP.activate(user, STAFF_TOTP_SECRET)
    return {"email": user.email, "session": session_for(user)}


def enqueue_probes(tasks: int, schedule: str):
    """Tasks named probe-N (each worker's log names the ones it ran) and a schedule that is due
    now: the smoke test checks that each ran exactly once across the worker clusters."""
    from django.utils import timezone
    from django_q.models import Schedule
    from django_q.tasks import async_task

    for number in range(tasks):
        async_task("math.factorial", 5, task_name=f"probe-{number}")
    if schedule:
        Schedule.objects.create(
            name=schedule,
            func="math.factorial",
            args="5",
            schedule_type=Schedule.MINUTES,
            minutes=10,
            next_run=timezone.now() - datetime.timedelta(seconds=1),
        )


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tasks", type=int, default=0, help="enqueue N trivial named tasks")
    parser.add_argument("--schedule", default="", help="a schedule due now, every 10 minutes")
    args = parser.parse_args(argv)
    import django

    django.setup()
    enqueue_probes(args.tasks, args.schedule)
    run = str(time.time_ns())[-9:]
    data = {
        "customers": [make_customer(run, i) for i in range(args.count)],
        "staff": make_staff(run),
    }
    Path(args.out).write_text(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()

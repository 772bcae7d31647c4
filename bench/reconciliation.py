"""Reconciliation against Paystack's lists: how long a run takes for a period with N charges.

    bash .ci/with-postgres.sh .venv/bin/python bench/reconciliation.py [--charges N] [--runs R]

Half the charges are ours (initialized through WalletService, so both sides have them and
agree), half exist only at the sandbox (each becomes a `missing_here` mismatch). Each run pages
through the sandbox's transaction, transfer and refund lists (100 per page) and compares them
with ours; the first run records the mismatches, later runs find them again (no copies).
Prints the median and the spread of R runs. Not a test: it prints numbers.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")

from bench.payouts import setup  # noqa: E402  (Django pointed at the bench's sandbox)


def make_charges(count, sandbox):
    from accounts.models import User
    from wallet.services.wallet_service import WalletService

    service = WalletService()
    user, _ = User.objects.get_or_create(email="bench-reconcile@example.com")
    wallet = service.get_wallet(user)
    for index in range(count):
        if index % 2:
            service.initialize_card_charge(
                wallet=wallet,
                amount=Decimal("500"),
                email=user.email,
                callback_url="http://127.0.0.1:8000/wallet/deposit/callback/",
            )
        else:
            sandbox.api(
                "POST",
                "/transaction/initialize",
                json={"email": "stranger@example.com", "amount": 50_000},
            ).raise_for_status()


def bench(count, runs, sandbox):
    from django.utils import timezone

    from wallet.models import ReconciliationMismatch
    from wallet.paystack import PaystackClient
    from wallet.services.reconciliation import reconcile_period

    start = timezone.now()
    make_charges(count, sandbox)
    end = timezone.now()
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        run = reconcile_period(PaystackClient(), period_start=start, period_end=end)
        seconds.append(time.perf_counter() - began)
        assert run.status == "completed", run.error
    open_count = ReconciliationMismatch.objects.open().count()
    median = statistics.median(seconds)
    print(
        f"reconciliation of {run.charges_compared} Paystack charges ({count // 2} ours): "
        f"median {median:.2f} s over {runs} runs (min {min(seconds):.2f}, max {max(seconds):.2f})"
        f" = {run.charges_compared / median:.0f} records/s; "
        f"{open_count} open mismatches (expected {count - count // 2})"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--charges", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from tests.fixtures.sandbox import PaystackSandbox, start_sandbox_process, stop_sandbox_process

    with tempfile.TemporaryDirectory() as directory:
        process, base_url = start_sandbox_process(directory)
        try:
            setup(base_url)
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            bench(args.charges, args.runs, PaystackSandbox(base_url))
        finally:
            stop_sandbox_process(process)


if __name__ == "__main__":
    main()

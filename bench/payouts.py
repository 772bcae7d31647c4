"""Payout throughput: withdrawals through the Paystack sandbox, and the settlement schedule
processor working through a backlog of due schedules.

    bash .ci/with-postgres.sh .venv/bin/python bench/payouts.py [--withdrawals N] [--schedules N]

1. `--withdrawals` sequential `withdraw_to_bank` calls (reserve, commit, POST /transfer to a
   local sandbox process, record the answer): withdrawals/s and p50/p99 latency.
2. `--schedules` due daily schedules (one wallet each), processed by `process_due_schedules`
   in one or two worker processes at once (SKIP LOCKED): settlements/s, and a check that each
   period settled exactly once. Not a test: it prints numbers.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "walletsite.settings")


def setup(base_url):
    import django

    os.environ["PAYSTACK_BASE_URL"] = base_url
    django.setup()
    from django.conf import settings

    settings.PAYSTACK_BASE_URL = base_url


def make_wallets(count, prefix):
    from accounts.models import User
    from wallet.models import Bank, KycTier
    from wallet.services.wallet_service import WalletService

    # The bench measures payouts, not the tiers: its wallets' tier has no limits.
    KycTier.objects.filter(level=1).update(daily_limit=None, single_limit=None, balance_cap=None)
    service = WalletService()
    bank, _ = Bank.objects.get_or_create(code="057", defaults={"name": "Zenith Bank"})
    accounts = []
    for index in range(count):
        user, _ = User.objects.get_or_create(email=f"{prefix}{index}@example.com")
        wallet = service.get_wallet(user)
        service.deposit(wallet=wallet, amount=Decimal("1000000"), description="Bench funds")
        account = wallet.bank_accounts.first() or service.add_bank_account(
            wallet=wallet, bank_code=bank.code, account_number="0000000000"
        )
        accounts.append(account)
    return accounts


def bench_withdrawals(count):
    from wallet.services.wallet_service import WalletService

    (account,) = make_wallets(1, "bench-withdraw")
    service = WalletService()
    latencies = []
    started = time.perf_counter()
    for _ in range(count):
        begin = time.perf_counter()
        service.withdraw_to_bank(wallet=account.wallet, amount=Decimal("100"), bank_account=account)
        latencies.append(time.perf_counter() - begin)
    elapsed = time.perf_counter() - started
    latencies.sort()
    print(
        f"withdraw_to_bank via the sandbox: {count / elapsed:.0f}/s, "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms"
    )


def process_worker(base_url):
    setup(base_url)
    from wallet.services.settlement_service import SettlementService

    return len(SettlementService().process_due_schedules(limit=100000))


def bench_schedules(count, workers, base_url):
    from django.db import connections
    from django.utils import timezone

    from wallet.models import SettlementRun, SettlementSchedule
    from wallet.services.settlement_service import SettlementService

    accounts = make_wallets(count, f"bench-schedule-{workers}-")
    service = SettlementService()
    for account in accounts:
        service.create_settlement_schedule(
            wallet=account.wallet,
            bank_account=account,
            schedule_type="daily",
            amount_mode="fixed",
            fixed_amount="100",
        )
    SettlementSchedule.objects.update(next_settlement=timezone.now() - timedelta(minutes=1))
    before = SettlementRun.objects.count()
    connections.close_all()
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        done = sum(pool.map(process_worker, [base_url] * workers))
    elapsed = time.perf_counter() - started
    runs = SettlementRun.objects.count() - before
    print(
        f"schedule processor, {workers} worker(s): {count} due schedules settled "
        f"(transfer sent) in {elapsed:.1f} s = {done / elapsed:.0f}/s; "
        f"runs recorded {runs} (expected {count})"
    )
    SettlementSchedule.objects.update(is_active=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--withdrawals", type=int, default=300)
    parser.add_argument("--schedules", type=int, default=400)
    args = parser.parse_args()
    from tests.fixtures.sandbox import start_sandbox_process, stop_sandbox_process

    with tempfile.TemporaryDirectory() as directory:
        process, base_url = start_sandbox_process(directory)
        try:
            setup(base_url)
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            bench_withdrawals(args.withdrawals)
            for workers in (1, 2):
                bench_schedules(args.schedules, workers, base_url)
        finally:
            stop_sandbox_process(process)


if __name__ == "__main__":
    main()

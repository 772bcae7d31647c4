"""Real threads on PostgreSQL: the races that SQLite and TestCase would hide."""

import random
import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.wallet.money import assert_ledger_consistent, balances, total_in_wallets
from wallet.exceptions import InsufficientFunds, WalletError
from wallet.services.wallet_service import WalletService

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.usefixtures("both_transfer_paths"),
]


def run_in_threads(jobs, threads=8):
    """Run the callables on `threads` threads at once; return (results, unexpected errors)."""
    results, errors, lock = [], [], threading.Lock()
    queue = list(jobs)
    start = threading.Barrier(threads)

    def worker():
        start.wait()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop()
                try:
                    outcome = job()
                except WalletError as error:
                    outcome = error
                except Exception as error:  # anything else is a bug the test must show
                    with lock:
                        errors.append(error)
                    continue
                with lock:
                    results.append(outcome)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in pool), "a worker thread hung"
    return results, errors


def make_wallets(make_user, count, funds):
    service = WalletService()
    wallets = [service.get_wallet(make_user()) for _ in range(count)]
    for wallet in wallets:
        service.deposit(wallet=wallet, amount=funds)
    return wallets


def test_random_concurrent_transfers_conserve_money(make_user):
    wallets = make_wallets(make_user, 10, Decimal("1000.00"))
    rng = random.Random(20261127)
    service = WalletService()

    def transfer_job(source, destination, amount):
        return lambda: service.transfer(
            source_wallet=source, destination_wallet=destination, amount=amount
        )

    jobs = []
    for _ in range(240):
        source, destination = rng.sample(wallets, 2)
        jobs.append(transfer_job(source, destination, Decimal(rng.randint(100, 40000)) / 100))
    results, errors = run_in_threads(jobs)

    assert errors == []
    refused = [r for r in results if isinstance(r, WalletError)]
    assert all(isinstance(r, InsufficientFunds) for r in refused), refused
    assert len(results) == 240
    assert total_in_wallets() == Decimal("10000.00")
    assert min(balances(*wallets)) >= 0
    assert_ledger_consistent()


def test_parallel_debits_never_overdraw(make_user):
    (wallet,) = make_wallets(make_user, 1, Decimal("100.00"))
    service = WalletService()
    jobs = [lambda: service.withdraw(wallet=wallet, amount=Decimal("10")) for _ in range(20)]
    results, errors = run_in_threads(jobs, threads=10)

    assert errors == []
    assert sum(not isinstance(r, WalletError) for r in results) == 10
    assert sum(isinstance(r, InsufficientFunds) for r in results) == 10
    assert balances(wallet) == [Decimal("0.00")]
    assert_ledger_consistent()


def test_opposite_transfer_storms_do_not_deadlock(make_user):
    a, b = make_wallets(make_user, 2, Decimal("500.00"))
    service = WalletService()
    jobs = []
    for _ in range(60):
        jobs.append(lambda: service.transfer(source_wallet=a, destination_wallet=b, amount="7"))
        jobs.append(lambda: service.transfer(source_wallet=b, destination_wallet=a, amount="5"))
    results, errors = run_in_threads(jobs)

    assert errors == []
    assert not any(isinstance(r, WalletError) for r in results)
    assert balances(a, b) == [Decimal("380.00"), Decimal("620.00")]
    assert_ledger_consistent()


def test_concurrent_calls_with_one_reference_execute_once(make_user):
    a, b = make_wallets(make_user, 2, Decimal("500.00"))
    service = WalletService()
    jobs = [
        lambda: service.transfer(
            source_wallet=a, destination_wallet=b, amount="50", reference="invoice-2026-0001"
        )
        for _ in range(8)
    ]
    results, errors = run_in_threads(jobs)

    assert errors == []
    assert len({r.pk for r in results}) == 1
    assert balances(a, b) == [Decimal("450.00"), Decimal("550.00")]

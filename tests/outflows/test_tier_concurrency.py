"""Parallel outflows cannot jointly pass the daily limit, and parallel transfers in cannot
jointly pass the recipient's cap: PostgreSQL, real threads, both transfer paths."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import LimitExceeded
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)

service = WalletService()


def run_together(calls):
    """Each call in its own thread and connection, all released at once; returns
    (successes, errors)."""
    barrier = threading.Barrier(len(calls))
    done, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            done.append(call())
        except Exception as error:  # collected and asserted on by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return done, errors


def test_parallel_transfers_and_payments_never_pass_the_daily_limit(
    rich_wallet, make_user, both_transfer_paths
):
    receivers = [service.get_wallet(make_user()) for _ in range(4)]
    # 12 outflows of ₦5,000 against Tier 1's ₦50,000: exactly 10 fit.
    calls = [
        (
            lambda r=r: service.transfer(
                source_wallet=rich_wallet, destination_wallet=r, amount="5000"
            )
        )
        for r in receivers * 2
    ] + [lambda: service.withdraw(wallet=rich_wallet, amount="5000") for _ in range(4)]
    done, errors = run_together(calls)
    assert len(done) == 10
    assert len(errors) == 2 and all(isinstance(e, LimitExceeded) for e in errors)
    rich_wallet.refresh_from_db()
    assert rich_wallet.outflow_total == Decimal("50000.00")
    assert rich_wallet.balance == Decimal("250000.00")
    assert_ledger_consistent()


def test_parallel_transfers_in_never_pass_the_recipients_cap(
    wallet, make_user, both_transfer_paths
):
    service.deposit(wallet=wallet, amount="280000")
    senders = [service.get_wallet(make_user()) for _ in range(8)]
    for sender in senders:
        service.deposit(wallet=sender, amount="5000")
    # 8 × ₦5,000 towards ₦20,000 of room: exactly 4 arrive.
    calls = [
        (lambda s=s: service.transfer(source_wallet=s, destination_wallet=wallet, amount="5000"))
        for s in senders
    ]
    done, errors = run_together(calls)
    assert len(done) == 4
    assert len(errors) == 4 and all(isinstance(e, LimitExceeded) for e in errors)
    assert balances(wallet) == [Decimal("300000.00")]
    refused = [s for s in senders if balances(s) == [Decimal("5000.00")]]
    assert len(refused) == 4  # the refused senders were not debited
    assert_ledger_consistent()

"""Concurrent withdrawals on PostgreSQL with real threads: exactly the affordable ones succeed."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from tests.payouts.conftest import in_flight
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Transaction, TransactionType
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)


def withdraw_in_parallel(wallet, account, count, amount):
    barrier, outcomes = threading.Barrier(count), []

    def worker():
        try:
            barrier.wait()
            tx, _ = WalletService().withdraw_to_bank(
                wallet=wallet, amount=amount, bank_account=account
            )
            outcomes.append(tx.status)
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_parallel_withdrawals_beyond_the_balance_succeed_exactly_as_far_as_it_goes(
    sandbox, funded_wallet, bank_account
):
    outcomes = withdraw_in_parallel(funded_wallet, bank_account, count=12, amount="1000")
    assert outcomes == Counter({"processing": 9, "InsufficientFunds": 3})  # 9 x (1,000 + 10 fee)
    assert balances(funded_wallet) == [Decimal("910.00")]
    assert in_flight() == Decimal("9000.00")
    assert (
        Transaction.objects.filter(
            transaction_type=TransactionType.WITHDRAWAL, payout__isnull=False
        ).count()
        == 9
    )
    assert_ledger_consistent()


def test_parallel_withdrawals_never_pass_the_daily_limit(
    sandbox, funded_wallet, bank_account, tier_limits
):
    tier_limits(1, daily_limit=Decimal("3030.00"))
    outcomes = withdraw_in_parallel(funded_wallet, bank_account, count=8, amount="1000")
    assert outcomes == Counter({"processing": 3, "LimitExceeded": 5})
    assert balances(funded_wallet) == [Decimal("6970.00")]
    funded_wallet.refresh_from_db()
    assert funded_wallet.outflow_total == Decimal("3030.00")
    assert_ledger_consistent()

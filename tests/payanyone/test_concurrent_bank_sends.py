"""Concurrent sends to bank over one balance on PostgreSQL with real threads: exactly the
affordable ones are held and sent, and the first-send cap counts sends that run at once."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from tests.payouts.conftest import in_flight
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Transaction, TransactionType
from wallet.services.payouts.bank_send import beneficiary_for_account
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)


def send_in_parallel(wallet, beneficiary, count, amount):
    barrier, outcomes = threading.Barrier(count), []

    def worker():
        try:
            barrier.wait()
            tx, _ = WalletService().send_to_bank(
                wallet=wallet, amount=amount, beneficiary=beneficiary
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


@pytest.fixture
def beneficiary(sandbox, funded_wallet, synced_banks, payouts_service):
    return beneficiary_for_account(
        payouts_service.paystack, wallet=funded_wallet, bank_code="058", account_number="0123456789"
    )


def test_parallel_sends_beyond_the_balance_succeed_exactly_as_far_as_it_goes(
    funded_wallet, beneficiary, settings
):
    settings.WALLET_BANK_SEND_FIRST_CAP = None
    outcomes = send_in_parallel(funded_wallet, beneficiary, count=12, amount="1000")
    assert outcomes == Counter({"processing": 9, "InsufficientFunds": 3})
    assert balances(funded_wallet) == [Decimal("910.00")]
    assert in_flight() == Decimal("9000.00")
    sends = Transaction.objects.filter(transaction_type=TransactionType.BANK_SEND)
    assert sends.count() == 9
    assert_ledger_consistent()


def test_parallel_first_sends_never_pass_the_first_send_cap(funded_wallet, beneficiary, settings):
    settings.WALLET_BANK_SEND_FIRST_CAP = Decimal("3000.00")
    outcomes = send_in_parallel(funded_wallet, beneficiary, count=6, amount="1000")
    assert outcomes == Counter({"processing": 3, "LimitExceeded": 3})
    assert balances(funded_wallet) == [Decimal("6970.00")]
    assert_ledger_consistent()

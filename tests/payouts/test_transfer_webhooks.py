"""Transfer webhooks end to end: the sandbox signs and delivers `transfer.*` events to our
/wallet/webhook/ (live server), duplicated or reordered; the payout moves once, forward only."""

import time
from decimal import Decimal

import pytest

from tests.payouts.conftest import REVERSES, fee_revenue, in_flight, sent_to_paystack
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import LedgerEntry, TransactionStatus
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)


def delivered_copies(sandbox, event, reference, at_least, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        count = sum(d["status"] == "delivered" for d in sandbox.deliveries(event, reference))
        if count >= at_least or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


@pytest.fixture
def hooked(sandbox, live_server, q_sync):
    sandbox.configure(webhook_url=live_server.url + "/wallet/webhook/")
    return sandbox


def test_a_transfer_success_delivered_twice_completes_the_withdrawal_once(
    hooked, funded_wallet, bank_account
):
    hooked.fault("webhook", "duplicate", times=1)
    tx, _ = WalletService().withdraw_to_bank(
        wallet=funded_wallet, amount="2000", bank_account=bank_account
    )
    hooked.settle()
    assert delivered_copies(hooked, "transfer.success", tx.reference, at_least=2) == 2
    tx.refresh_from_db()
    assert tx.status == TransactionStatus.SUCCESS
    assert LedgerEntry.objects.filter(journal=tx).count() == 3 + 2
    assert (in_flight(), sent_to_paystack()) == (0, Decimal("2000.00"))
    assert balances(funded_wallet) == [Decimal("7990.00")]
    assert_ledger_consistent()


def test_reversed_delivered_before_success_leaves_the_withdrawal_reversed_and_refunded_once(
    hooked, funded_wallet, add_account
):
    account = add_account(funded_wallet, account_number=REVERSES)
    hooked.fault("webhook", "reorder", times=2)
    tx, _ = WalletService().withdraw_to_bank(
        wallet=funded_wallet, amount="3000", bank_account=account
    )
    hooked.settle()
    hooked.wait_for_delivery("transfer.success", reference=tx.reference)
    hooked.wait_for_delivery("transfer.reversed", reference=tx.reference)
    tx.refresh_from_db()
    assert tx.status == TransactionStatus.REVERSED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), sent_to_paystack(), fee_revenue()) == (0, 0, 0)
    assert_ledger_consistent()

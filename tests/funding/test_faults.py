"""Paystack faults (500, a reply lost to a timeout, malformed JSON) on every outbound call of
the funding paths: no money is created or lost, the user gets a clear message, and
reconciliation finishes the job exactly once."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.funding.conftest import CALLBACK_URL
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import PaystackUnavailable
from wallet.models import LedgerEntry, Refund, Transaction, TransactionStatus
from wallet.services.funding import reconcile as reconcile_charges
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
NOW = timedelta(0)
FAULTS = ["500", "hang", "malformed"]


@pytest.fixture
def short_timeout(settings):
    # Short enough to keep the suite fast, long enough that a busy machine does not time out
    # the calls that are not faulted.
    settings.PAYSTACK_TIMEOUT = 1.5


def inject(sandbox, path, mode, times=1):
    """`times=None`: every request (GET lookups are retried by the client)."""
    sandbox.fault(path, mode, times=times, seconds=3 if mode == "hang" else None)


def reconcile_charges_now(abandon=False):
    return reconcile_charges.reconcile_pending_charges(
        WalletService().paystack,
        verify_after=NOW,
        abandon_after=NOW if abandon else timedelta(days=1),
    )


@pytest.mark.parametrize("mode", FAULTS)
def test_initialize_fault_creates_no_money_and_reconciliation_closes_it(
    wallet, sandbox, short_timeout, mode
):
    inject(sandbox, "/transaction/initialize", mode)

    with pytest.raises(PaystackUnavailable) as error:
        WalletService().initialize_card_charge(
            wallet=wallet, amount=Decimal("500"), email=wallet.user.email, callback_url=CALLBACK_URL
        )

    assert "No money was taken" in error.value.message
    tx = Transaction.objects.get()
    assert tx.status == TransactionStatus.PENDING
    reconcile_charges_now(abandon=True)
    tx.refresh_from_db()
    assert tx.status in (TransactionStatus.FAILED, TransactionStatus.ABANDONED)
    assert not LedgerEntry.objects.exists() and balances(wallet) == [Decimal("0.00")]


@pytest.mark.parametrize("mode", FAULTS)
def test_verify_fault_at_the_callback_shows_pending_and_reconciliation_credits_once(
    client_logged_in, wallet, paid_charge, sandbox, short_timeout, mode
):
    checkout = paid_charge(wallet, "750.00")
    inject(sandbox, "/transaction/verify", mode, times=None)

    page = client_logged_in.get(f"/wallet/deposit/callback/?reference={checkout['reference']}")

    assert page.status_code == 200
    assert b"could not reach Paystack" in page.content and b'data-status="pending"' in page.content
    assert balances(wallet) == [Decimal("0.00")]
    sandbox.clear_faults()
    for _ in range(2):
        reconcile_charges_now()
    assert balances(wallet) == [Decimal("750.00")]
    assert_ledger_consistent()


@pytest.mark.parametrize("mode", FAULTS)
def test_charge_authorization_fault_leaves_it_pending_and_reconciliation_settles_it_once(
    wallet, paid_charge, sandbox, short_timeout, mode
):
    service = WalletService()
    first = paid_charge(wallet, "100.00")
    card = service.process_successful_card_charge(service.verify_card_charge(first["reference"]))[2]
    inject(sandbox, "/transaction/charge_authorization", mode)

    with pytest.raises(PaystackUnavailable) as error:
        service.charge_saved_card(card=card, amount=Decimal("400.00"))

    assert "credited automatically" in error.value.message
    assert balances(wallet) == [Decimal("100.00")]
    for _ in range(2):
        reconcile_charges_now()
    charged = Transaction.objects.exclude(reference=first["reference"]).get()
    # A 500 never reached Paystack (failed); a lost reply did charge the card (credited).
    expected = Decimal("100.00") if mode == "500" else Decimal("500.00")
    assert balances(wallet) == [expected]
    assert charged.status == ("failed" if mode == "500" else "success")
    assert_ledger_consistent()


@pytest.mark.parametrize("mode", FAULTS)
def test_refund_fault_keeps_the_money_held_and_reconciliation_finishes_once(
    wallet, paid_charge, sandbox, short_timeout, mode
):
    service = WalletService()
    checkout = paid_charge(wallet, "1000.00")
    deposit = service.process_successful_card_charge(
        service.verify_card_charge(checkout["reference"])
    )[1]
    inject(sandbox, "/refund", mode)

    refund_tx = TransactionService().refund_transaction(transaction=deposit, amount=Decimal("400"))

    refund = Refund.objects.get()
    assert refund_tx.status == "pending" and "held" in refund.failure_reason
    assert balances(wallet) == [Decimal("600.00")]
    sandbox.clear_faults()
    for _ in range(2):
        reconcile_charges.reconcile_pending_refunds(TransactionService(), older_than=NOW)
    sandbox.settle()
    reconcile_charges.reconcile_pending_refunds(TransactionService(), older_than=NOW)

    refund.refresh_from_db()
    assert refund.status == "processed" and refund.paystack_refund_id
    remote = TransactionService().paystack.list_refunds(transaction=deposit.reference)
    assert len(remote) == 1  # asked Paystack once, or resent once after a 500
    assert balances(wallet) == [Decimal("600.00")]
    assert_ledger_consistent()

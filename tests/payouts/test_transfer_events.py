"""`transfer.*` webhooks, duplicated and out of order: the state only moves forward, the money
moves once. These drive the state machine directly with Paystack's webhook `data`."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.payouts.conftest import fee_revenue, in_flight, sent_to_paystack
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import LedgerEntry, TransactionStatus, TransactionType
from wallet.services.payouts import (
    PayoutRequest,
    apply_transfer_event,
    apply_transfer_status,
    reserve_payout,
)

pytestmark = pytest.mark.django_db


def reserve(wallet, account, amount="1000.00"):
    return reserve_payout(
        PayoutRequest(
            wallet_id=wallet.pk,
            bank_account=account,
            amount=Decimal(amount),
            reason="Rent",
            transaction_type=TransactionType.WITHDRAWAL,
        )
    )


def event_data(tx, status):
    """The shape of a transfer webhook's `data` (PAYSTACK_API.md section 6)."""
    return {
        "reference": tx.reference,
        "status": status,
        "amount": int(tx.amount * 100),
        "currency": "NGN",
        "transfer_code": "TRF_test123",
        "integration": {"id": 463433, "is_live": False},
        "recipient": {"recipient_code": "RCP_storedfortests", "details": {"bank_code": "057"}},
        "gateway_response": "Approved" if status == "success" else "Account closed",
    }


def deliver(tx, *events):
    for name in events:
        apply_transfer_event(f"transfer.{name}", event_data(tx, name))
    tx.refresh_from_db()
    return tx


def test_a_withdrawal_holds_amount_and_fee_before_paystack_is_asked(
    funded_wallet, stored_bank_account
):
    tx = reserve(funded_wallet, stored_bank_account)
    assert tx.status == TransactionStatus.PENDING and tx.fee == Decimal("10.00")
    assert balances(funded_wallet) == [Decimal("8990.00")]
    assert (in_flight(), fee_revenue(), sent_to_paystack()) == (
        Decimal("1000.00"),
        Decimal("10.00"),
        0,
    )
    assert tx.payout.amount_kobo == 100000 and tx.payout.reference == tx.reference
    assert_ledger_consistent()


def test_transfer_success_moves_the_money_from_in_flight_to_paystack(
    funded_wallet, stored_bank_account
):
    tx = deliver(reserve(funded_wallet, stored_bank_account), "success")
    assert tx.status == TransactionStatus.SUCCESS and tx.completed_at is not None
    assert balances(funded_wallet) == [Decimal("8990.00")]
    assert (in_flight(), sent_to_paystack()) == (0, Decimal("1000.00"))
    assert tx.payout.transfer_code == "TRF_test123"
    assert_ledger_consistent()


def test_transfer_failed_returns_amount_and_fee_once_even_when_repeated(
    funded_wallet, stored_bank_account
):
    tx = deliver(reserve(funded_wallet, stored_bank_account), "failed", "failed", "failed")
    assert tx.status == TransactionStatus.FAILED
    assert tx.failure_reason == "Account closed"
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), fee_revenue(), sent_to_paystack()) == (0, 0, 0)
    assert LedgerEntry.objects.filter(journal=tx).count() == 3 + 3
    assert_ledger_consistent()


def test_success_then_reversed_returns_the_money_once(funded_wallet, stored_bank_account):
    tx = deliver(
        reserve(funded_wallet, stored_bank_account), "success", "reversed", "success", "reversed"
    )
    assert tx.status == TransactionStatus.REVERSED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), fee_revenue(), sent_to_paystack()) == (0, 0, 0)
    assert_ledger_consistent()


def test_reversed_before_success_stays_reversed(funded_wallet, stored_bank_account):
    tx = deliver(reserve(funded_wallet, stored_bank_account), "reversed", "success", "success")
    assert tx.status == TransactionStatus.REVERSED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), sent_to_paystack()) == (0, 0)
    assert_ledger_consistent()


def test_a_failed_transfer_never_becomes_successful(funded_wallet, stored_bank_account):
    tx = deliver(reserve(funded_wallet, stored_bank_account), "failed", "success", "reversed")
    assert tx.status == TransactionStatus.FAILED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), sent_to_paystack()) == (0, 0)


def test_an_otp_never_entered_is_abandoned_by_paystack_and_the_money_returned(
    funded_wallet, stored_bank_account
):
    tx = reserve(funded_wallet, stored_bank_account)
    apply_transfer_status(tx.reference, "otp", {"status": "otp", "transfer_code": "TRF_x"})
    apply_transfer_status(tx.reference, "abandoned", {"status": "abandoned"})
    tx.refresh_from_db()
    assert tx.status == TransactionStatus.FAILED and "30 minutes" in tx.failure_reason
    assert balances(funded_wallet) == [Decimal("10000.00")] and in_flight() == 0


def test_repeated_success_posts_once(funded_wallet, stored_bank_account):
    tx = deliver(reserve(funded_wallet, stored_bank_account), "success", "success", "success")
    assert LedgerEntry.objects.filter(journal=tx).count() == 3 + 2
    assert sent_to_paystack() == Decimal("1000.00")


def test_an_event_for_an_unknown_reference_or_an_unknown_event_moves_nothing(funded_wallet):
    before = LedgerEntry.objects.count()
    assert apply_transfer_event("transfer.success", {"reference": "not-ours-0000000000"}) is None
    assert apply_transfer_event("transfer.success", {}) is None
    assert apply_transfer_event("transfer.teleported", {"reference": "x"}) is None
    assert LedgerEntry.objects.count() == before
    assert balances(funded_wallet) == [Decimal("10000.00")]


def test_an_internal_transaction_reference_is_not_treated_as_a_payout(funded_wallet):
    from wallet.services.wallet_service import WalletService

    deposit = funded_wallet.transactions.get()
    payment = WalletService().withdraw(wallet=funded_wallet, amount="100", description="Order")
    for internal in (deposit, payment):
        assert apply_transfer_event("transfer.reversed", {"reference": internal.reference}) is None
        assert apply_transfer_event("transfer.success", {"reference": internal.reference}) is None
    assert balances(funded_wallet) == [Decimal("9900.00")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_failed_and_reversed_webhooks_return_the_money_once(
    funded_wallet, stored_bank_account
):
    tx = reserve(funded_wallet, stored_bank_account)
    barrier = threading.Barrier(8)
    errors = []

    def worker(name):
        try:
            barrier.wait()
            apply_transfer_event(f"transfer.{name}", event_data(tx, name))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ["failed", "reversed"] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    tx.refresh_from_db()
    assert tx.status in (TransactionStatus.FAILED, TransactionStatus.REVERSED)
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), fee_revenue()) == (0, 0)
    assert_ledger_consistent()


# --- any sequence of Paystack answers, duplicated and reordered ---------------------------

ANSWERS = ["pending", "otp", "success", "failed", "reversed", "abandoned", "queued"]
FINAL_ROWS = {
    # state -> (wallet, payouts_in_flight, paystack) for a payout of X with fee F
    "pending": ("-XF", "X", "0"),
    "processing": ("-XF", "X", "0"),
    "otp": ("-XF", "X", "0"),
    "success": ("-XF", "0", "X"),
    "failed": ("0", "0", "0"),
    "reversed": ("0", "0", "0"),
}


def expected_state(answers):
    """A tiny model of the state machine: forward moves only, success may still reverse."""
    from wallet.services.payouts import ALLOWED_MOVES, PAYSTACK_TO_STATE

    state = "pending"
    for answer in answers:
        target = PAYSTACK_TO_STATE[answer]
        if target in ALLOWED_MOVES[state]:
            state = target
    return state


def journal_sums(tx):
    from django.db.models import Sum

    rows = LedgerEntry.objects.filter(journal=tx)

    def total(**kw):
        return rows.filter(**kw).aggregate(t=Sum("amount"))["t"] or Decimal("0")

    return (
        total(wallet__isnull=False),
        total(system_account="payouts_in_flight"),
        total(system_account="paystack"),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=st.lists(st.sampled_from(ANSWERS), max_size=8))
def test_property_any_answer_sequence_moves_the_money_exactly_once(
    funded_wallet, stored_bank_account, answers
):
    tx = reserve(funded_wallet, stored_bank_account, amount="100.00")
    for answer in answers:
        apply_transfer_status(tx.reference, answer, {"reference": tx.reference, "status": answer})
    tx.refresh_from_db()
    state = expected_state(answers)
    assert tx.status == state
    values = {"-XF": -(tx.amount + tx.fee), "X": tx.amount, "0": Decimal("0")}
    assert journal_sums(tx) == tuple(values[v] for v in FINAL_ROWS[state])

"""Reconciliation pages through the sandbox's transaction, transfer and refund lists and finds
every difference with our records, once (RELIABILITY.md invariant 8)."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.payouts.conftest import SUCCEEDS
from wallet.models import Payout, ReconciliationMismatch, Refund, Transaction
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
Kind = ReconciliationMismatch.Kind
Record = ReconciliationMismatch.Record


def mismatches():
    return sorted(
        (m.record, m.kind, m.ours, m.theirs) for m in ReconciliationMismatch.objects.all()
    )


def credited_charge(paid_charge, wallet, amount="5000.00"):
    checkout = paid_charge(wallet, amount)
    return WalletService().settle_card_charge(checkout["reference"])


def processed_refund(sandbox, charge, amount):
    TransactionService().refund_transaction(charge, amount=Decimal(amount), reason="Asked")
    sandbox.settle()
    refund = Refund.objects.get(charge=charge)
    return TransactionService().reconcile_refund(refund)


def paid_out(sandbox, payouts_service, wallet, account, amount="1500.00"):
    tx, _ = payouts_service.withdraw_to_bank(wallet=wallet, amount=amount, bank_account=account)
    sandbox.settle()
    payouts_service.reconcile_payout(tx)
    return Transaction.objects.get(pk=tx.pk)


def test_when_both_sides_agree_nothing_is_reported(
    sandbox, reconcile, wallet, paid_charge, payouts_service, funded_wallet, add_account
):
    charge = credited_charge(paid_charge, wallet)
    processed_refund(sandbox, charge, "1000.00")
    payout = paid_out(sandbox, payouts_service, funded_wallet, add_account(funded_wallet))
    assert charge.status == "success" and payout.status == "success"

    run = reconcile()

    assert (run.status, run.error) == ("completed", "")
    assert (run.charges_compared, run.transfers_compared, run.refunds_compared) == (1, 1, 1)
    assert run.mismatches_found == 0 and mismatches() == []


def test_a_charge_paystack_has_and_the_site_never_recorded_is_found(
    reconcile, charge_only_paystack_has
):
    reference = charge_only_paystack_has(amount_kobo=250_000)

    run = reconcile()

    found = ReconciliationMismatch.objects.get()
    assert (found.record, found.reference, found.kind) == (
        Record.CHARGE,
        reference,
        Kind.MISSING_HERE,
    )
    assert found.theirs == "success 2500.00 NGN" and found.transaction is None
    assert found.found_by_run == run and run.mismatches_found == 1


def test_a_payout_whose_status_differs_is_found(
    sandbox, reconcile, payouts_service, funded_wallet, add_account
):
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1500.00", bank_account=add_account(funded_wallet, SUCCEEDS)
    )
    sandbox.settle()  # Paystack paid it; no webhook reached us, we still say processing

    reconcile()

    assert mismatches() == [(Record.TRANSFER, Kind.STATUS, "processing", "success")]
    assert ReconciliationMismatch.objects.get().transaction_id == tx.pk


def test_a_payout_we_say_was_sent_but_paystack_never_saw_is_found(
    sandbox, reconcile, payouts_service, funded_wallet, add_account
):
    account = add_account(funded_wallet)
    sandbox.fault("/transfer", "500", method="POST")  # refused before Paystack recorded it
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1500.00", bank_account=account
    )
    Transaction.objects.filter(pk=tx.pk).update(status="processing")  # a bug or a hand edit

    reconcile()

    assert mismatches() == [
        (Record.TRANSFER, Kind.MISSING_AT_PAYSTACK, "processing 1500.00 NGN", "no such transfer")
    ]


def test_a_refund_whose_amount_differs_is_found(sandbox, reconcile, wallet, paid_charge):
    charge = credited_charge(paid_charge, wallet)
    refund = processed_refund(sandbox, charge, "1000.00")
    Refund.objects.filter(pk=refund.pk).update(amount=Decimal("1200.00"))  # our record is off

    reconcile()

    found = ReconciliationMismatch.objects.get()
    assert (found.record, found.reference, found.kind) == (
        Record.REFUND,
        str(refund.paystack_refund_id),
        Kind.AMOUNT,
    )
    assert (found.ours, found.theirs) == ("1200.00", "1000.00")
    assert found.detail["charge_reference"] == charge.reference


def test_reconciliation_pages_past_the_first_page(reconcile, charge_only_paystack_has):
    references = {charge_only_paystack_has() for _ in range(5)}

    run = reconcile(per_page=2)

    assert run.charges_compared == 5
    assert set(ReconciliationMismatch.objects.values_list("reference", flat=True)) == references


def test_reconciliation_honours_the_period(reconcile, charge_only_paystack_has):
    # Paystack compares times to the millisecond (the client floors `from` and rounds `to`
    # up): 2 ms apart, no charge shares a millisecond with an edge of the period.
    charge_only_paystack_has()
    time.sleep(0.002)
    later = timezone.now()
    inside = charge_only_paystack_has()
    before_the_last = timezone.now()
    time.sleep(0.002)
    charge_only_paystack_has()

    run = reconcile(period_start=later, period_end=before_the_last)

    assert run.charges_compared == 1
    assert list(ReconciliationMismatch.objects.values_list("reference", flat=True)) == [inside]


def test_running_a_period_again_keeps_one_open_mismatch_per_difference(
    reconcile, charge_only_paystack_has, window_start
):
    charge_only_paystack_has()
    end = timezone.now() + timedelta(milliseconds=5)

    first = reconcile(period_end=end)
    second = reconcile(period_end=end)

    found = ReconciliationMismatch.objects.get()
    assert (found.found_by_run, found.last_seen_run) == (first, second)
    assert first.mismatches_found == second.mismatches_found == 1


def test_a_deposit_paystack_says_failed_but_we_credited_is_a_status_mismatch(
    sandbox, reconcile, wallet, paid_charge
):
    from tests.funding.conftest import DECLINED_CARD

    checkout = paid_charge(wallet, "5000.00", card=DECLINED_CARD)
    Transaction.objects.filter(reference=checkout["reference"]).update(status="success")

    reconcile()

    assert mismatches() == [(Record.CHARGE, Kind.STATUS, "success", "failed at Paystack")]


def test_paystack_down_fails_the_run_with_the_reason_and_moves_nothing(sandbox, reconcile):
    sandbox.fault("/transaction", "500", times=None, method="GET")

    run = reconcile()

    assert run.status == "failed" and run.error.startswith("Paystack:")
    assert run.finished_at is not None and ReconciliationMismatch.objects.count() == 0
    assert Payout.objects.count() == 0


def test_transfer_and_refund_lists_are_paged_past_the_first_page(
    sandbox, reconcile, wallet, paid_charge, payouts_service, funded_wallet, add_account
):
    account = add_account(funded_wallet)
    for _ in range(3):
        payouts_service.withdraw_to_bank(
            wallet=funded_wallet, amount="700.00", bank_account=account
        )
    charge = credited_charge(paid_charge, wallet)
    for _ in range(3):
        TransactionService().refund_transaction(charge, amount=Decimal("100.00"), reason="Asked")
    sandbox.settle()  # all paid and processed at Paystack; we heard nothing

    run = reconcile(per_page=2)

    assert (run.transfers_compared, run.refunds_compared) == (3, 3)
    statuses = sorted((m.record, m.ours, m.theirs) for m in ReconciliationMismatch.objects.all())
    assert (
        statuses
        == [(Record.REFUND, "pending", "processed")] * 3
        + [(Record.TRANSFER, "processing", "success")] * 3
    )


def test_the_client_writes_the_period_as_paystack_writes_times():
    from datetime import UTC, datetime

    from wallet.paystack import PaystackClient

    start = datetime(2026, 12, 1, 9, 15, 2, 345_678, tzinfo=UTC)
    written = PaystackClient._window({"from": start, "to": start, "page": 2})
    assert written == {
        "from": "2026-12-01T09:15:02.345Z",
        "to": "2026-12-01T09:15:02.346Z",  # rounded up: the window keeps its last instant
        "page": 2,
    }

"""Issue 21: each status change of a money object is recorded with what caused it, in the same
database transaction as the move, and shows on its back-office timeline as its own step."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.payouts.conftest import REVERSES
from wallet.models import AppendOnlyError, Transaction, TransactionStatusChange
from wallet.selectors.timeline import timeline
from wallet.services.backoffice import actions
from wallet.services.ledger.status_log import record_status_change
from wallet.services.wallet_service import WalletService

LAGOS = dt.timezone(dt.timedelta(hours=1))


def steps(tx):
    return list(
        TransactionStatusChange.objects.filter(transaction=tx).values_list(
            "from_status", "to_status", "cause"
        )
    )


def status_titles(tx):
    return [m.title for m in timeline(tx) if m.kind == "status"]


@pytest.fixture
def hooked(sandbox, live_server, q_sync):
    sandbox.configure(webhook_url=live_server.url + "/wallet/webhook/")
    return sandbox


def wait_for_status(tx, status, timeout=10.0):
    deadline = time.monotonic() + timeout
    while Transaction.objects.get(pk=tx.pk).status != status:
        assert time.monotonic() < deadline, f"{tx.reference} never became {status}"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_a_payout_through_its_otp_records_each_step_with_its_cause_and_lists_them_in_order(
    hooked, funded_wallet, add_account, make_staff, staff_client_for
):
    hooked.configure(transfer_otp=True)
    tx, _ = WalletService().withdraw_to_bank(
        funded_wallet, Decimal("300"), add_account(funded_wallet)
    )
    assert tx.status == "otp"
    actions.perform(
        actor=make_staff("Finance"), name="enter_transfer_otp", target=tx.payout,
        raw={"otp": "123456"}, reason="OTP from the business phone",
    )  # fmt: skip
    hooked.settle()
    hooked.wait_for_delivery("transfer.success", reference=tx.reference)
    wait_for_status(tx, "success")

    assert steps(tx) == [
        ("pending", "otp", "Paystack's answer to the send"),
        ("otp", "processing", "staff: enter OTP"),
        ("processing", "success", "webhook transfer.success"),
    ]
    tx.refresh_from_db()
    assert TransactionStatusChange.objects.filter(transaction=tx).last().at == tx.completed_at
    html = staff_client_for("Finance").get(f"/admin/timeline/{tx.pk}/").content.decode()
    titles = [
        "Status: Pending → Awaiting OTP",
        "Status: Awaiting OTP → Processing",
        "Status: Processing → Successful",
    ]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "staff: enter OTP" in html and "webhook transfer.success" in html
    # The final status shows once: as the last step, not again from completed_at.
    assert "Status became" not in html


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_webhook_records_nothing_new(hooked, funded_wallet, add_account):
    hooked.fault("webhook", "duplicate", times=1)
    tx, _ = WalletService().withdraw_to_bank(
        funded_wallet, Decimal("200"), add_account(funded_wallet)
    )
    hooked.settle()
    deadline = time.monotonic() + 10
    while (
        sum(d["status"] == "delivered" for d in hooked.deliveries("transfer.success", tx.reference))
        < 2
    ):
        assert time.monotonic() < deadline, "the duplicate was never delivered"
        time.sleep(0.05)
    wait_for_status(tx, "success")
    assert steps(tx) == [
        ("pending", "processing", "Paystack's answer to the send"),
        ("processing", "success", "webhook transfer.success"),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_reversal_after_success_adds_success_to_reversed(hooked, funded_wallet, add_account):
    account = add_account(funded_wallet, account_number=REVERSES)
    tx, _ = WalletService().withdraw_to_bank(funded_wallet, Decimal("300"), account)
    hooked.settle()
    hooked.wait_for_delivery("transfer.reversed", reference=tx.reference)
    wait_for_status(tx, "reversed")
    assert steps(tx) == [
        ("pending", "processing", "Paystack's answer to the send"),
        ("processing", "success", "webhook transfer.success"),
        ("success", "reversed", "webhook transfer.reversed"),
    ]
    reversed_step = [m for m in timeline(tx) if m.title == "Status: Successful → Reversed"]
    assert len(reversed_step) == 1 and reversed_step[0].problem


@pytest.mark.django_db(transaction=True)
def test_an_out_of_order_webhook_records_nothing_new(hooked, funded_wallet, add_account):
    account = add_account(funded_wallet, account_number=REVERSES)
    hooked.fault("webhook", "reorder", times=2)
    tx, _ = WalletService().withdraw_to_bank(funded_wallet, Decimal("300"), account)
    hooked.settle()
    hooked.wait_for_delivery("transfer.success", reference=tx.reference)
    hooked.wait_for_delivery("transfer.reversed", reference=tx.reference)
    wait_for_status(tx, "reversed")
    # The late success finds the payout reversed (final) and moves nothing.
    assert steps(tx) == [
        ("pending", "processing", "Paystack's answer to the send"),
        ("processing", "reversed", "webhook transfer.reversed"),
    ]


@pytest.mark.django_db
def test_a_reconcile_check_that_moves_a_payout_says_so(funded_wallet, add_account, sandbox):
    tx, _ = WalletService().withdraw_to_bank(
        funded_wallet, Decimal("300"), add_account(funded_wallet)
    )
    sandbox.settle()  # succeeds at Paystack; no webhook URL, so only a check can find out
    WalletService().reconcile_payout(tx.payout)
    assert steps(tx) == [
        ("pending", "processing", "Paystack's answer to the send"),
        ("processing", "success", "reconcile check (Paystack's verify)"),
    ]


@pytest.mark.django_db
def test_a_card_deposit_records_pending_to_success_at_the_pinned_time(
    wallet, paid_charge, monkeypatch
):
    checkout = paid_charge(wallet, "700.00")
    midnight_in_lagos = dt.datetime(2026, 12, 5, 0, 30, tzinfo=LAGOS)
    monkeypatch.setattr(timezone, "now", lambda: midnight_in_lagos)
    tx = WalletService().settle_card_charge(checkout["reference"])
    assert tx.status == "success"
    assert steps(tx) == [
        ("pending", "success", "Paystack's verify (the payer came back, or the customer asked)")
    ]
    (step,) = [m for m in timeline(tx) if m.kind == "status"]
    assert (step.at, step.title) == (midnight_in_lagos, "Status: Pending → Successful")
    assert not step.problem


@pytest.mark.django_db
def test_a_staff_reversal_records_success_to_reversed_on_both_rows(
    transfer, make_staff, staff_client_for
):
    sent = transfer("250.00")
    received = Transaction.objects.get(reference=f"{sent.reference}-in")
    actions.perform(
        actor=make_staff("Finance"), name="reverse_transfer", target=sent, raw={},
        reason="Sent to the wrong person",
    )  # fmt: skip
    for row in (sent, received):
        ((before, after, cause),) = steps(row)
        assert (before, after) == ("success", "reversed")
        assert cause.startswith("staff: reverse transfer (reversal ") and sent.reference in cause
    html = staff_client_for("Support").get(f"/admin/timeline/{sent.pk}/").content.decode()
    assert "Status: Successful → Reversed" in html and "Status became" not in html


@pytest.mark.django_db
def test_rows_from_before_the_record_still_show_how_they_ended(transfer):
    sent = transfer("90.00")  # created successful: no change to record
    assert steps(sent) == []
    assert status_titles(sent) == ["Status became successful"]


@pytest.mark.django_db
def test_the_timeline_reads_status_changes_in_one_query_however_many_there_are(
    transfer, staff_client_for
):
    few, many = transfer("10.00"), transfer("20.00")
    finance = staff_client_for("Finance")
    finance.get(f"/admin/timeline/{few.pk}/")  # warm the session and the permission caches
    for index in range(40):
        before, after = ("success", "reversed") if index % 2 == 0 else ("reversed", "success")
        record_status_change(many, before, after, f"test step {index}")

    def queries(tx):
        with CaptureQueriesContext(connection) as captured:
            assert finance.get(f"/admin/timeline/{tx.pk}/").status_code == 200
        return len(captured)

    assert queries(many) == queries(few)
    assert len(status_titles(many)) == 40


@pytest.mark.django_db
def test_status_changes_are_append_only_and_always_a_move(transfer):
    sent = transfer("10.00")
    assert record_status_change(sent, "success", "success", "nothing moved") is None
    change = record_status_change(sent, "success", "reversed", "a test")
    with pytest.raises(AppendOnlyError):
        TransactionStatusChange.objects.filter(pk=change.pk).update(cause="rewritten")
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        TransactionStatusChange.objects.create(
            transaction=sent, from_status="success", to_status="success", cause="no move"
        )


@pytest.mark.django_db
def test_a_refund_records_pending_to_success_when_a_check_finds_it_processed(card_deposit, sandbox):
    from wallet.models import Refund
    from wallet.services.transaction_service import TransactionService

    deposit = card_deposit("1000.00")
    refund_tx = TransactionService().refund_transaction(deposit, reason="Customer asked")
    assert refund_tx.status == "pending"
    sandbox.settle()  # processed at Paystack; no webhook URL, so only a check can find out
    TransactionService().reconcile_refund(Refund.objects.get(transaction=refund_tx))
    assert steps(refund_tx) == [
        ("pending", "success", "reconcile check (Paystack's refund records)")
    ]


@pytest.mark.django_db
def test_a_dispute_hold_records_its_end(card_deposit):
    from wallet.services.disputes.money import open_dispute, resolve_dispute

    deposit = card_deposit("700.00")
    now = timezone.now()
    dispute = open_dispute(
        paystack_id=990002, deposit=deposit, amount=Decimal("700.00"), opened_at=now,
        due_at=now + dt.timedelta(days=7),
    )  # fmt: skip
    resolve_dispute(dispute.pk, won=True)
    assert steps(dispute.hold) == [("pending", "success", "dispute won: the hold ended")]

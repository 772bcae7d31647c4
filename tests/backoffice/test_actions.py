"""Each staff action through its confirmation page: its money effect (balances, ledger rows,
nothing else moved) and its audit entry."""

from decimal import Decimal

import pytest

from tests.backoffice.conftest import last_audit
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import (
    AuditEntry,
    Bank,
    LedgerCheck,
    LedgerEntry,
    Refund,
    SettlementSchedule,
    Transaction,
    TransactionStatus,
    TransactionType,
    WebhookEvent,
)

pytestmark = pytest.mark.django_db


def test_locking_a_wallet_without_a_reason_is_refused_and_changes_nothing(
    staff_client_for, funded_wallet
):
    support = staff_client_for("Support")
    response = support.post(f"/admin/do/lock_wallet/{funded_wallet.pk}/", {"reason": "  "})
    assert response.status_code == 422 and b"Give a reason" in response.content
    funded_wallet.refresh_from_db()
    assert not funded_wallet.is_locked
    assert last_audit().outcome == "refused"


def test_support_locks_and_unlocks_a_wallet_with_an_audited_reason(staff_client_for, funded_wallet):
    support = staff_client_for("Support")
    page = support.get(f"/admin/do/lock_wallet/{funded_wallet.pk}/")
    assert page.status_code == 200 and b"Reason (kept in the audit log)" in page.content
    response = support.post(
        f"/admin/do/lock_wallet/{funded_wallet.pk}/", {"reason": "Card fraud reported"}
    )
    assert response.status_code == 302
    funded_wallet.refresh_from_db()
    assert funded_wallet.is_locked
    entry = last_audit()
    assert (entry.action, entry.outcome, entry.reason) == (
        "lock_wallet",
        "done",
        "Card fraud reported",
    )
    assert entry.before["is_locked"] is False and entry.after["is_locked"] is True
    assert entry.customer == funded_wallet.user and entry.ip_address == "127.0.0.1"
    assert entry.target_id == str(funded_wallet.pk)
    support.post(f"/admin/do/unlock_wallet/{funded_wallet.pk}/", {"reason": "Cleared"})
    funded_wallet.refresh_from_db()
    assert not funded_wallet.is_locked and balances(funded_wallet) == [Decimal("10000.00")]


def test_finance_reverses_a_small_transfer_on_both_wallets(
    staff_client_for, funded_wallet, other_wallet, transfer
):
    sent = transfer("500.00")
    finance = staff_client_for("Finance")
    response = finance.post(f"/admin/do/reverse_transfer/{sent.pk}/", {"reason": "Sent twice"})
    assert response.status_code == 302
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]
    sent.refresh_from_db()
    assert sent.status == TransactionStatus.REVERSED
    entry = last_audit()
    assert entry.action == "reverse_transfer" and entry.amount == Decimal("500.00")
    assert entry.before["status"] == "success" and entry.after["status"] == "reversed"
    assert_ledger_consistent()


def test_reversing_a_reversal_is_refused_on_either_row_and_moves_nothing(
    staff_client_for, funded_wallet, other_wallet, transfer
):
    from wallet.exceptions import TransactionFailed
    from wallet.services.transaction_service import TransactionService

    sent = transfer("500.00")
    TransactionService().reverse_transaction(sent, reason="Mistake")
    reversals = Transaction.objects.filter(transaction_type=TransactionType.REVERSAL)
    received = Transaction.objects.get(related_transaction=sent, transaction_type="transfer")
    rows_before = LedgerEntry.objects.count()
    finance = staff_client_for("Finance")
    for row in [*reversals, received, sent]:
        response = finance.post(f"/admin/do/reverse_transfer/{row.pk}/", {"reason": "again"})
        assert response.status_code == 409, row.reference
    for row in reversals:
        with pytest.raises(TransactionFailed, match="itself a reversal"):
            TransactionService().reverse_transaction(row, reason="again")
    for row in (received, sent):
        with pytest.raises(TransactionFailed, match="only successful transactions"):
            TransactionService().reverse_transaction(row, reason="again")
    assert LedgerEntry.objects.count() == rows_before
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]
    assert_ledger_consistent()


def test_a_refund_is_offered_only_for_successful_deposits(
    staff_client_for, wallet, start_charge, funded_wallet
):
    pending = Transaction.objects.get(reference=start_charge(wallet, "700.00")["reference"])
    internal = Transaction.objects.filter(transaction_type=TransactionType.DEPOSIT).first()
    finance = staff_client_for("Finance")
    for deposit in (pending, internal):
        assert finance.get(f"/admin/do/refund_deposit/{deposit.pk}/").status_code == 409
        refused = finance.post(f"/admin/do/refund_deposit/{deposit.pk}/", {"reason": "x"})
        assert refused.status_code == 409
    listed = finance.get("/admin/wallet/refundabledeposit/").content.decode()
    assert pending.reference not in listed
    assert not Refund.objects.exists()


def test_finance_refunds_part_of_a_card_deposit(staff_client_for, wallet, card_deposit, sandbox):
    deposit = card_deposit("600.00")
    finance = staff_client_for("Finance")
    too_much = finance.post(
        f"/admin/do/refund_deposit/{deposit.pk}/", {"reason": "Partial", "amount": "700"}
    )
    assert too_much.status_code == 422 and not Refund.objects.exists()
    finance.post(f"/admin/do/refund_deposit/{deposit.pk}/", {"reason": "Partial", "amount": "200"})
    assert Refund.objects.get().amount == Decimal("200.00")
    assert balances(wallet) == [Decimal("400.00")]
    entry = last_audit()
    assert entry.action == "refund_deposit" and entry.amount == Decimal("200.00")


def test_reprocessing_an_event_already_processed_says_so(superuser_client):
    event = WebhookEvent.objects.create(
        event="charge.success", raw_body=b"{}", status=WebhookEvent.Status.PROCESSED,
        processed_at="2026-01-01T10:00:00Z",
    )  # fmt: skip
    response = superuser_client.post(
        f"/admin/do/reprocess_webhook/{event.pk}/", {"reason": "Check"}
    )
    assert response.status_code == 422 and b"already processed" in response.content
    event.refresh_from_db()
    assert event.attempts == 0


def test_operations_pauses_a_schedule(staff_client_for, funded_wallet, stored_bank_account):
    from wallet.services.settlement_service import SettlementService

    schedule = SettlementService().create_settlement_schedule(
        funded_wallet, stored_bank_account, "daily", time_of_day="09:00"
    )
    ops = staff_client_for("Operations")
    ops.post(f"/admin/do/pause_schedule/{schedule.pk}/", {"reason": "Customer travelling"})
    schedule.refresh_from_db()
    assert not schedule.is_active
    after = last_audit().after
    assert (after["is_active"], after["next_settlement"]) == (
        False, str(schedule.next_settlement))  # fmt: skip
    assert last_audit().before["is_active"] is True


def test_operations_runs_the_ledger_check_and_syncs_banks(staff_client_for, sandbox):
    ops = staff_client_for("Operations")
    ops.post("/admin/do/run_ledger_check/", {"reason": "Month end"})
    assert LedgerCheck.objects.get().ok
    ops.post("/admin/do/sync_banks/", {"reason": "New bank"})
    assert Bank.objects.exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "run_ledger_check",
        "sync_banks",
    }


def test_support_deactivates_a_customer_who_is_kept_with_their_money(
    staff_client_for, funded_wallet
):
    customer = funded_wallet.user
    support = staff_client_for("Support")
    support.post(f"/admin/do/deactivate_customer/{customer.pk}/", {"reason": "Closed account"})
    customer.refresh_from_db()
    assert not customer.is_active and balances(funded_wallet) == [Decimal("10000.00")]
    assert last_audit().before == {"is_active": True}


def test_no_list_offers_a_bulk_delete_and_no_row_can_be_deleted(superuser_client, user):
    for url in ("/admin/accounts/user/", "/admin/wallet/feerule/", "/admin/auth/group/"):
        page = superuser_client.get(url).content.decode()
        assert "delete_selected" not in page, url
    assert superuser_client.get(f"/admin/accounts/user/{user.pk}/delete/").status_code == 403


def test_finance_enters_the_otp_of_a_transfer_waiting_for_one(
    staff_client_for, funded_wallet, add_account, sandbox, payouts_service
):
    sandbox.configure(transfer_otp=True)
    account = add_account(funded_wallet)
    tx, _ = payouts_service.withdraw_to_bank(funded_wallet, Decimal("500"), account)
    assert tx.status == TransactionStatus.OTP
    finance = staff_client_for("Finance")
    queue = finance.get("/admin/otp-queue/").content.decode()
    assert tx.payout.reference in queue
    wrong = finance.post(
        f"/admin/do/enter_transfer_otp/{tx.payout.pk}/", {"reason": "From the bank", "otp": "1"}
    )
    assert wrong.status_code == 422
    finance.post(
        f"/admin/do/enter_transfer_otp/{tx.payout.pk}/",
        {"reason": "OTP from the business phone", "otp": "123456"},
    )
    tx.refresh_from_db()
    assert tx.status == TransactionStatus.PROCESSING
    assert "otp" not in last_audit().before and last_audit().outcome == "done"


def test_finance_reverifies_a_pending_charge_that_was_paid(
    staff_client_for, wallet, start_charge, sandbox
):
    checkout = start_charge(wallet, "800.00")
    sandbox.complete_checkout(checkout["authorization_url"], card="4084084084084081")
    finance = staff_client_for("Finance")
    charge = Transaction.objects.get(reference=checkout["reference"])
    finance.post(f"/admin/do/reverify_charge/{charge.pk}/", {"reason": "Customer paid"})
    charge.refresh_from_db()
    assert charge.status == TransactionStatus.SUCCESS and balances(wallet) == [Decimal("800.00")]


def test_a_schedule_made_by_staff_gets_its_next_run_and_keeps_its_account(
    staff_client_for, funded_wallet, other_wallet, stored_bank_account, banks
):
    from wallet.models import BankAccount

    foreign = BankAccount.objects.create(
        wallet=other_wallet, bank=banks[1], account_number="0000000009",
        account_name="Bob Bello", recipient_code="RCP_other",
    )  # fmt: skip
    ops = staff_client_for("Operations")
    form = {
        "schedule_type": "daily", "time_of_day": "09:00", "amount_mode": "all",
        "minimum_balance": "0", "reason": "Customer asked by phone",
    }  # fmt: skip
    create = f"/admin/do/create_schedule/{funded_wallet.pk}/"
    refused = ops.post(create, {**form, "bank_account": foreign.pk})
    assert refused.status_code == 422 and not SettlementSchedule.objects.exists()
    assert ops.post(create, {**form, "bank_account": stored_bank_account.pk}).status_code == 302
    schedule = SettlementSchedule.objects.get()
    assert schedule.next_settlement is not None

    page = ops.get(f"/admin/do/edit_schedule/{schedule.pk}/")
    assert "Before: 09:00" in page.content.decode()
    ops.post(
        f"/admin/do/edit_schedule/{schedule.pk}/",
        {**form, "bank_account": foreign.pk, "time_of_day": "10:00"},
    )
    schedule.refresh_from_db()
    assert schedule.bank_account == stored_bank_account and schedule.time_of_day.hour == 10
    assert schedule.history.count() == 2
    assert schedule.history.first().history_change_reason == "Customer asked by phone"
    edit = AuditEntry.objects.get(action="edit_schedule")
    assert edit.before["time_of_day"] == "09:00:00" and edit.after["time_of_day"] == "10:00:00"


def test_finance_edits_a_fee_rule_showing_its_values_before_and_after(staff_client_for):
    from wallet.models import FeeRule

    rule = FeeRule.objects.first()
    finance = staff_client_for("Finance")
    url = f"/admin/do/edit_fee_rule/{rule.pk}/"
    assert f"Before: {rule.flat}" in finance.get(url).content.decode()
    form = {
        "min_amount": str(rule.min_amount), "max_amount": "", "flat": "25.00",
        "percentage": "0", "minimum": "0", "cap": "", "bearer": "customer", "is_active": "yes",
        "reason": "New price list",
    }  # fmt: skip
    assert finance.post(url, {**form, "flat": "٢٥"}).status_code == 422
    assert finance.post(url, form).status_code == 302
    rule.refresh_from_db()
    assert rule.flat == Decimal("25.00")
    entry = AuditEntry.objects.get(action="edit_fee_rule", outcome="done")
    assert entry.after["flat"] == "25.00" and entry.before["flat"] != "25.00"
    assert rule.history.first().history_user == entry.actor


def test_finance_runs_reconciliation_and_resolves_a_mismatch_with_an_audited_note(
    staff_client_for, sandbox
):
    from wallet.models import ReconciliationMismatch, ReconciliationRun
    from wallet.services.reconciliation import create_run

    finance = staff_client_for("Finance")
    queued = finance.post("/admin/do/run_reconciliation/", {"reason": "Month end"})
    run = create_run()
    mismatch = ReconciliationMismatch.objects.create(
        record="charge", reference="T-ONLY-AT-PAYSTACK", kind="missing_here", theirs="600.00",
        found_by_run=run, last_seen_run=run,
    )  # fmt: skip
    without_note = finance.post(f"/admin/do/resolve_mismatch/{mismatch.pk}/", {"reason": ""})
    resolved = finance.post(
        f"/admin/do/resolve_mismatch/{mismatch.pk}/", {"reason": "Refunded by hand at Paystack"}
    )

    assert queued.status_code in (200, 302) and ReconciliationRun.objects.count() == 2
    assert without_note.status_code in (200, 422)  # the form asks for the reason again
    assert resolved.status_code in (200, 302)
    mismatch.refresh_from_db()
    assert mismatch.status == "resolved"
    assert mismatch.resolution_note == "Refunded by hand at Paystack"
    entry = AuditEntry.objects.filter(action="resolve_mismatch", outcome="done").get()
    assert entry.reason == "Refunded by hand at Paystack" and entry.actor == mismatch.resolved_by
    assert AuditEntry.objects.filter(action="run_reconciliation", outcome="done").exists()


def test_finance_changes_a_wallets_tier_with_an_audited_reason(staff_client_for, wallet):
    from wallet.models import TierChange

    finance = staff_client_for("Finance")
    same = finance.post(f"/admin/do/override_tier/{wallet.pk}/", {"tier": "1", "reason": "x"})
    nonsense = finance.post(f"/admin/do/override_tier/{wallet.pk}/", {"tier": "٣", "reason": "x"})
    moved = finance.post(
        f"/admin/do/override_tier/{wallet.pk}/", {"tier": "3", "reason": "NIN checked by hand"}
    )

    assert same.status_code == 422 and nonsense.status_code == 422
    assert moved.status_code == 302
    wallet.refresh_from_db()
    change = TierChange.objects.get(wallet=wallet)
    assert wallet.tier == 3 and change.reason == "NIN checked by hand"
    entry = AuditEntry.objects.get(action="override_tier", outcome="done")
    assert (entry.before["tier"], entry.after["tier"]) == (1, 3)
    assert entry.reason == "NIN checked by hand"
    assert balances(wallet) == [0]


def test_support_may_not_change_a_tier(staff_client_for, wallet):
    support = staff_client_for("Support")

    refused = support.post(f"/admin/do/override_tier/{wallet.pk}/", {"tier": "3", "reason": "x"})

    assert refused.status_code == 403
    wallet.refresh_from_db()
    assert wallet.tier == 1

"""Every staff action: who may take it (a permission), which rows it applies to, the amount it
moves, whether it needs a second person, and the service call that does it."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from wallet.exceptions import ActionNotAllowed, InvalidAmount, PaystackUnavailable, WalletError
from wallet.models import (
    Channel,
    Payout,
    ReconciliationMismatch,
    Settlement,
    SettlementSchedule,
    Transaction,
    TransactionStatus,
    TransactionType,
    Wallet,
    WebhookEvent,
)
from wallet.services.backoffice.access_actions import ACCESS_ACTIONS
from wallet.services.backoffice.adjustments import adjust_wallet, clean_adjustment
from wallet.services.backoffice.config_actions import CONFIG_ACTIONS
from wallet.services.backoffice.dispute_actions import DISPUTE_ACTIONS
from wallet.services.backoffice.email_actions import EMAIL_ACTIONS
from wallet.services.backoffice.operations_actions import OPERATIONS_ACTIONS
from wallet.services.backoffice.staff_action import ABOVE_THRESHOLD, ALWAYS, StaffAction
from wallet.services.backoffice.support_actions import SUPPORT_ACTIONS
from wallet.services.backoffice.tier_actions import TIER_ACTIONS
from wallet.services.funding import webhooks
from wallet.services.funding.charges import FUNDING_CHANNELS
from wallet.services.funding.refunds import refunded_amount
from wallet.services.ledger.check import run_and_store
from wallet.services.ledger.limits import check_amount
from wallet.services.ledger.reversals import journal_of
from wallet.services.outflows.account_security import lift_freeze
from wallet.services.payouts import OPEN_STATES
from wallet.services.reconciliation import ReconciliationService
from wallet.services.settlement_service import SettlementService
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService


def _lock(wallet, params, reason):
    wallet.lock()
    return "The wallet is locked: no money moves in or out until it is unlocked."


def _unlock(wallet, params, reason):
    wallet.unlock()
    return "The wallet is unlocked."


def _lift_freeze(wallet, params, reason):
    lift_freeze(wallet=wallet)
    return "The freeze is lifted: money can leave the wallet again."


def _deactivate(user, params, reason):
    # Never deleted: the history (and any money) stays; the login stops working at once.
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    return f"{user.email} can no longer sign in; their data and money are kept."


def _reversible(tx):
    journal = journal_of(tx)
    return (
        tx.transaction_type == TransactionType.TRANSFER
        and journal.channel == Channel.INTERNAL
        and journal.status == TransactionStatus.SUCCESS
    )


def _reverse(tx, params, reason):
    reversal = TransactionService().reverse_transaction(
        tx, reason=reason, via="staff: reverse transfer"
    )
    return f"Reversed: {reversal.reference}."


def _refundable(tx):
    return (
        tx.transaction_type == TransactionType.DEPOSIT
        and tx.channel in FUNDING_CHANNELS
        and tx.status == TransactionStatus.SUCCESS
    )


def _refund_amount(tx, params):
    if params.get("amount"):
        return Decimal(params["amount"])
    return tx.amount - refunded_amount(tx)


def _clean_refund(tx, raw):
    text = str(raw.get("amount") or "").strip()
    if not text:
        return {}
    amount = check_amount(text)
    left = tx.amount - refunded_amount(tx)
    if amount > left:
        raise InvalidAmount(f"At most {left:,.2f} {tx.currency} can still be refunded.")
    return {"amount": str(amount)}


def _refund(tx, params, reason):
    amount = Decimal(params["amount"]) if params.get("amount") else None
    refund_tx = TransactionService().refund_transaction(
        transaction=tx, amount=amount, reason=reason
    )
    return f"Refund {refund_tx.reference} of {refund_tx.amount:,.2f} is {refund_tx.status}."


def _clean_adjustment(wallet, raw):
    return clean_adjustment(
        direction=str(raw.get("direction") or ""),
        amount=raw.get("amount"),
        account=str(raw.get("account") or ""),
    )


def _adjust(wallet, params, reason):
    tx = adjust_wallet(wallet=wallet, reason=reason, **params)
    return f"Adjustment {tx.reference}: {tx.get_direction_display().lower()} {tx.amount:,.2f}."


def _pending_charge(tx):
    return (
        tx.transaction_type == TransactionType.DEPOSIT
        and tx.channel in FUNDING_CHANNELS
        and tx.status == TransactionStatus.PENDING
    )


def _reverify(tx, params, reason):
    data = TransactionService().verify_paystack_transaction(
        tx.reference, via="staff: re-verify deposit"
    )
    tx.refresh_from_db()
    return f"Paystack says {data.get('status') or 'unknown'}; the deposit is {tx.status}."


def _verify_payout(payout, params, reason):
    try:
        tx, _ = WalletService().reconcile_payout(payout, strict=True, via="staff: verify payout")
    except PaystackUnavailable as error:
        raise PaystackUnavailable(
            f"Paystack did not answer ({error.message}); the payout's state is not known and "
            "nothing changed. Try again in a few minutes."
        ) from None
    return f"Paystack says the payout is {tx.get_status_display().lower()}."


def _retry_payout(payout, params, reason):
    if payout.transaction.status in OPEN_STATES:
        tx, _ = WalletService().reconcile_payout(payout, via="staff: retry payout")
        return f"Sent again with the same reference; the payout is {tx.status}."
    settlement = Settlement.objects.filter(transaction_id=payout.transaction_id).first()
    if settlement is None:
        raise ActionNotAllowed("A failed withdrawal is not retried; the customer withdraws again.")
    retry = SettlementService().retry_settlement(settlement)
    return f"Retried as {retry.reference} ({retry.status})."


def _retryable_payout(payout):
    status = payout.transaction.status
    return status in OPEN_STATES or (
        status == TransactionStatus.FAILED
        and payout.transaction.transaction_type == TransactionType.SETTLEMENT
    )


def _clean_otp(payout, raw):
    otp = str(raw.get("otp") or "").strip()
    if not otp.isdigit() or not 4 <= len(otp) <= 8:
        raise InvalidAmount("Enter the OTP Paystack sent to the business (digits only).")
    return {"otp": otp}


def _enter_otp(payout, params, reason):
    tx, _ = WalletService().finalize_transfer(
        payout.transaction, params["otp"], via="staff: enter OTP"
    )
    return f"OTP accepted; the payout is {tx.status}."


def _reprocess(event, params, reason):
    if event.status == WebhookEvent.Status.PROCESSED:
        raise AlreadyProcessed(
            f"This event was already processed on {event.processed_at:%Y-%m-%d %H:%M}; "
            "nothing was done."
        )
    done = webhooks.reprocess(event) or event
    if done.status == WebhookEvent.Status.REFUSED:
        # The reprocessing ran (and is audited as done, with the event's new attempt); what
        # Paystack's event asks for was refused again, so no money moved.
        return (
            f"Processed again, and still refused: {done.last_error or 'no reason recorded'}. "
            "No money moved; acknowledge it with a note to close it."
        )
    return f"Processed again: {done.get_status_display().lower()}."


class AlreadyProcessed(WalletError):
    default_message = "This event was already processed; nothing was done."


def _retry_settlement(settlement, params, reason):
    retry = SettlementService().retry_settlement(settlement)
    return f"Retried as {retry.reference} ({retry.status})."


def _pause(schedule, params, reason):
    SettlementService().pause_settlement_schedule(schedule)
    return "The schedule is paused; it will not settle until resumed."


def _sync_banks(target, params, reason):
    return f"{WalletService().sync_banks()} banks synced from Paystack."


def _ledger_check(target, params, reason):
    check = run_and_store()
    return "The ledger balances." if check.ok else "The ledger check found differences."


def _run_reconciliation(target, params, reason, actor):
    run = ReconciliationService().start_run_now(started_by=actor)
    return (
        f"Reconciliation of {run.period_start:%-d %b %Y} queued: the worker compares Paystack's "
        "lists with our records; its mismatches appear under Reconciliation mismatches."
    )


def _resolve_mismatch(mismatch, params, reason, actor):
    ReconciliationService().resolve_mismatch(mismatch=mismatch, note=reason, resolved_by=actor)
    return "The mismatch is resolved; your reason is kept as its note."


def _payout_amount(payout, params):
    return payout.transaction.amount


ACTIONS = {
    action.name: action
    for action in [
        StaffAction(
            "lock_wallet", "Lock wallet", "lock_wallet", Wallet, _lock,
            applies=lambda w: not w.is_locked,
            describe="The wallet will neither send nor receive money until it is unlocked.",
        ),
        StaffAction(
            "unlock_wallet", "Unlock wallet", "lock_wallet", Wallet, _unlock,
            applies=lambda w: w.is_locked,
            describe="The wallet can send and receive money again.",
        ),
        StaffAction(
            "lift_freeze", "Lift “This wasn't me” freeze", "lock_wallet", Wallet, _lift_freeze,
            applies=lambda w: w.outflows_frozen_at is not None,
            describe="The customer froze their outflows from a security notice. Lift it only "
            "once you know it is them and their e-mail, password and MFA are theirs again.",
        ),
        StaffAction(
            "adjust_balance", "Manual adjustment", "adjust_balance", Wallet, _adjust,
            clean=_clean_adjustment, amount=lambda w, p: Decimal(p["amount"]),
            describe="Credit or debit the wallet against a system account. A second Finance "
            "user must approve it before anything moves.",
            approval=ALWAYS, inputs=("direction", "amount", "account"), moves_money=True,
        ),
        StaffAction(
            "reverse_transfer", "Reverse transfer", "reverse_transfer", Transaction, _reverse,
            applies=_reversible, amount=lambda tx, p: journal_of(tx).amount,
            describe="Both wallets get back exactly what the transfer moved (and the fee).",
            approval=ABOVE_THRESHOLD, moves_money=True,
        ),
        StaffAction(
            "refund_deposit", "Refund deposit", "refund_deposit", Transaction, _refund,
            applies=_refundable, amount=_refund_amount, clean=_clean_refund,
            describe="The wallet is debited now and Paystack refunds the card. Leave the "
            "amount empty to refund what is left.",
            approval=ABOVE_THRESHOLD, inputs=("amount",), moves_money=True,
        ),
        StaffAction(
            "reverify_charge", "Re-verify with Paystack", "reverify_charge", Transaction,
            _reverify, applies=_pending_charge, amount=lambda tx, p: tx.amount,
            describe="Ask Paystack for this charge; a success is credited once.",
        ),
        StaffAction(
            "verify_payout", "Verify payout", "retry_payout", Payout, _verify_payout,
            amount=_payout_amount, describe="Ask Paystack for this transfer's status now.",
        ),
        StaffAction(
            "retry_payout", "Retry payout", "retry_payout", Payout, _retry_payout,
            applies=_retryable_payout, amount=_payout_amount,
            describe="An open payout is sent again with the same reference; a failed "
            "settlement is paid again once.",
            approval=ABOVE_THRESHOLD, moves_money=True,
        ),
        StaffAction(
            "enter_transfer_otp", "Enter transfer OTP", "enter_transfer_otp", Payout,
            _enter_otp, applies=lambda p: p.transaction.status == TransactionStatus.OTP,
            amount=_payout_amount, clean=_clean_otp, inputs=("otp",), moves_money=True,
            describe="Paystack sends transfer OTPs to the business: enter it to release it.",
        ),
        StaffAction(
            "reprocess_webhook", "Reprocess webhook", "reprocess_webhook", WebhookEvent,
            _reprocess, describe="Apply this event again (each fact is applied at most once).",
        ),
        StaffAction(
            "retry_settlement", "Retry settlement", "retry_payout", Settlement,
            _retry_settlement, amount=lambda s, p: s.amount,
            applies=lambda s: s.transaction.status == TransactionStatus.FAILED,
            describe="Pay this failed settlement again, once.",
            approval=ABOVE_THRESHOLD, moves_money=True,
        ),
        StaffAction(
            "pause_schedule", "Pause schedule", "pause_schedule", SettlementSchedule, _pause,
            applies=lambda s: s.is_active,
            describe="The schedule stops settling until it is resumed.",
        ),
        StaffAction(
            "deactivate_customer", "Deactivate customer", "deactivate_customer",
            get_user_model(), _deactivate, applies=lambda u: u.is_active and not u.is_staff,
            describe="The customer can no longer sign in. Nothing is deleted.",
        ),
        StaffAction(
            "sync_banks", "Sync banks", "sync_banks", None, _sync_banks,
            describe="Fetch Paystack's bank list.",
        ),
        StaffAction(
            "run_reconciliation", "Run reconciliation", "run_reconciliation", None,
            _run_reconciliation, wants_actor=True,
            describe="Compare yesterday's (Lagos) charges, transfers and refunds with Paystack's "
            "lists; each difference is recorded as a mismatch. Moves no money.",
        ),
        StaffAction(
            "resolve_mismatch", "Resolve mismatch", "run_reconciliation",
            ReconciliationMismatch, _resolve_mismatch, wants_actor=True,
            applies=lambda mismatch: mismatch.is_open,
            describe="Close this difference with Paystack; the reason is kept as its note. "
            "Moves no money: a correction is its own action (refund, adjustment).",
        ),
        StaffAction(
            "run_ledger_check", "Run the ledger check", "run_ledger_check", None,
            _ledger_check, describe="Sum the ledger and check every invariant now.",
        ),
        *TIER_ACTIONS,
        *CONFIG_ACTIONS,
        *ACCESS_ACTIONS,
        *EMAIL_ACTIONS,
        *OPERATIONS_ACTIONS,
        *DISPUTE_ACTIONS,
        *SUPPORT_ACTIONS,
    ]
}  # fmt: skip

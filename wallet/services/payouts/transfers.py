"""Withdrawals and settlements as Paystack transfers: reserve, send, the state machine and
verify-by-reference (see the package docstring for the three steps); the OTP step is in
`otp.py`."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction as db
from django.db.models import F
from django.utils import timezone

from wallet.exceptions import (
    BankAccountUnavailable,
    CurrencyMismatch,
    DuplicateReference,
    InsufficientFunds,
    PaystackAPIError,
    PaystackUnavailable,
)
from wallet.models import (
    BankAccount,
    Channel,
    Direction,
    Payout,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
)
from wallet.services.ledger.fees import compute_fee
from wallet.services.ledger.limits import charge_outflow, release_outflow
from wallet.services.ledger.posting import Leg, ensure_unlocked, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.notifications import events as notification_events
from wallet.services.payouts import gateway

logger = logging.getLogger(__name__)

S = TransactionStatus
OPEN_STATES = (S.PENDING, S.PROCESSING, S.OTP)
FINAL_STATES = (S.SUCCESS, S.FAILED, S.REVERSED)

# Paystack's transfer statuses (PAYSTACK_API.md section 6) mapped onto our payout states.
PAYSTACK_TO_STATE = {
    "pending": S.PROCESSING,
    "received": S.PROCESSING,
    "queued": S.PROCESSING,
    "processing": S.PROCESSING,
    "otp": S.OTP,
    "success": S.SUCCESS,
    "failed": S.FAILED,
    "abandoned": S.FAILED,
    "blocked": S.FAILED,
    "rejected": S.FAILED,
    "reversed": S.REVERSED,
}

# Which moves the state machine allows; anything else (a late or duplicated answer) is ignored.
ALLOWED_MOVES = {
    S.PENDING: {S.PROCESSING, S.OTP, S.SUCCESS, S.FAILED, S.REVERSED},
    S.PROCESSING: {S.OTP, S.SUCCESS, S.FAILED, S.REVERSED},
    S.OTP: {S.PROCESSING, S.SUCCESS, S.FAILED, S.REVERSED},
    S.SUCCESS: {S.REVERSED},
    S.FAILED: set(),
    S.REVERSED: set(),
}

TRANSFER_EVENTS = {
    "transfer.success": "success",
    "transfer.failed": "failed",
    "transfer.reversed": "reversed",
}

PAYOUT_TYPES = (TransactionType.WITHDRAWAL, TransactionType.SETTLEMENT)


@dataclass(frozen=True)
class PayoutRequest:
    wallet_id: int
    bank_account: BankAccount
    amount: Decimal
    reason: str
    transaction_type: str
    reference: str | None = None


# --- reserve ------------------------------------------------------------------------------------


def check_payout_target(wallet, bank_account: BankAccount) -> None:
    if not bank_account.is_active:
        raise BankAccountUnavailable("This bank account is not available for this wallet.")
    check_account_belongs_to_wallet(wallet, bank_account)


def check_account_belongs_to_wallet(wallet, bank_account: BankAccount) -> None:
    """Money leaves a wallet only for that wallet's own bank account, in its currency."""
    if bank_account.wallet_id != wallet.pk:
        raise BankAccountUnavailable("This bank account is not available for this wallet.")
    if bank_account.currency != wallet.currency:
        raise CurrencyMismatch(
            f"This bank account is in {bank_account.currency}; the wallet is in {wallet.currency}."
        )


@retry_on_conflict
def reserve_payout(request: PayoutRequest) -> Transaction:
    """Debit amount + fee into payouts in flight and create the PENDING Transaction + Payout.

    Raises WalletLocked, BankAccountUnavailable / CurrencyMismatch (not the wallet's own
    account), InsufficientFunds, LimitExceeded, DuplicateReference; then nothing moved.
    Composes inside a caller's atomic block (the schedule processor uses that).
    """
    # Payout fees are always borne by the wallet, on top of what reaches the bank.
    fee = compute_fee(transaction_type=request.transaction_type, amount=request.amount).amount
    with db.atomic():
        wallet = lock_wallets([request.wallet_id])[request.wallet_id]
        ensure_unlocked(wallet)
        # Checked again where the money moves: a row edited behind the forms must not pay out.
        check_account_belongs_to_wallet(wallet, request.bank_account)
        if wallet.balance < request.amount + fee:
            raise InsufficientFunds(
                f"Insufficient funds: ₦{request.amount + fee:,.2f} needed (including a "
                f"₦{fee:,.2f} fee), ₦{wallet.balance:,.2f} available."
            )
        total, kind = request.amount + fee, request.transaction_type
        charge_outflow(wallet, total, operation=kind, amount=request.amount)
        tx = _create_payout_transaction(wallet, request, fee)
        legs = [Leg(wallet=wallet, amount=-(request.amount + fee))]
        legs.append(Leg(account=SystemAccount.PAYOUTS_IN_FLIGHT, amount=request.amount))
        if fee:
            legs.append(Leg(account=SystemAccount.FEE_REVENUE, amount=fee))
        post(journal=tx, legs=legs)
        Payout.objects.create(
            transaction=tx,
            bank_account=request.bank_account,
            reference=tx.reference,
            recipient_code=request.bank_account.recipient_code,
            amount_kobo=gateway.kobo(request.amount),
            reason=request.reason[:200],
        )
        notification_events.low_balance_check(tx)  # the money left now, under the lock
    return tx


def _create_payout_transaction(wallet, request: PayoutRequest, fee: Decimal) -> Transaction:
    account = request.bank_account
    prefix = "stl" if request.transaction_type == TransactionType.SETTLEMENT else "wdr"
    return Transaction.objects.create(
        wallet=wallet,
        reference=request.reference or new_reference(prefix),
        transaction_type=request.transaction_type,
        direction=Direction.DEBIT,
        status=S.PENDING,
        amount=request.amount,
        fee=fee,
        currency=wallet.currency,
        channel=Channel.BANK,
        description=request.reason or f"Withdrawal to {account.bank.name} {account.masked_number}",
        metadata={
            "bank_account_id": account.pk,
            "bank_name": account.bank.name,
            "account_number_last4": account.account_number[-4:],
            "account_name": account.account_name,
        },
    )


def existing_payout_for_reference(reference: str | None, request: PayoutRequest):
    """The original Transaction when `reference` was used before with the same parameters."""
    if not reference:
        return None
    tx = Transaction.objects.filter(reference=reference).select_related("payout").first()
    if tx is None:
        return None
    same = (
        tx.wallet_id == request.wallet_id
        and tx.transaction_type == request.transaction_type
        and tx.amount == request.amount
        and hasattr(tx, "payout")
        and tx.payout.bank_account_id == request.bank_account.pk
    )
    if not same:
        raise DuplicateReference(f"The reference {reference} was already used for another payment.")
    return tx


# --- send ---------------------------------------------------------------------------------------


def send_after_commit(client, tx: Transaction) -> tuple[Transaction, dict]:
    """Send now when no transaction is open; inside one, hand the send to the worker on commit."""
    if inside_callers_transaction():
        tx_id = tx.pk
        db.on_commit(lambda: _enqueue("wallet.tasks.payouts.send_payout", tx_id))
        return tx, transfer_data_on_record(tx)
    return send_payout(client, tx.payout)


def inside_callers_transaction() -> bool:
    """True inside a caller's atomic block, where Paystack must not be called yet.

    The outer blocks a test case opens around each test (Django marks them `_from_testcase`,
    the same check `atomic(durable=True)` makes) do not count: there the request would commit.
    """
    blocks = db.get_connection().atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def send_payout(client, payout: Payout) -> tuple[Transaction, dict]:
    """Ask Paystack to make the transfer (same reference every time) and record the answer.

    Never raises for Paystack trouble: an inconclusive answer leaves the payout pending for the
    reconcile job, a definite refusal fails it and returns the money.
    """
    Payout.objects.filter(pk=payout.pk).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    try:
        data = gateway.initiate_transfer(client, payout)
    except PaystackUnavailable as error:
        _record_error(payout, error)
        tx = Transaction.objects.get(pk=payout.transaction_id)
        return tx, transfer_data_on_record(tx)
    except PaystackAPIError as error:
        # Refused: maybe a re-send of a reference Paystack already has. Only its verify knows.
        _record_error(payout, error)
        return reconcile_payout(client, payout, refused=error)
    return apply_transfer_status(payout.reference, data.get("status", ""), data), data


def _record_error(payout: Payout, error: Exception) -> None:
    logger.warning("transfer %s: %s", payout.reference, error)
    Payout.objects.filter(pk=payout.pk).update(
        last_error=str(error)[:500], updated_at=timezone.now()
    )


def transfer_data_on_record(tx: Transaction) -> dict:
    payout = Payout.objects.get(transaction_id=tx.pk)
    return {
        "reference": payout.reference,
        "status": tx.status,
        "transfer_code": payout.transfer_code or None,
        "amount": payout.amount_kobo,
    }


def _enqueue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


# --- record: the state machine ------------------------------------------------------------------


def apply_transfer_status(reference: str, paystack_status: str, data: dict | None = None):
    """Move the payout with `reference` to the state Paystack reports, once and only forward.

    Returns the Transaction (unchanged when the move is not allowed: a duplicate, a late or an
    out-of-order answer), or None when the reference is not one of our payouts.
    """
    target = PAYSTACK_TO_STATE.get((paystack_status or "").lower())
    if target is None:
        logger.warning("transfer %s: unknown Paystack status %r", reference, paystack_status)
        return Transaction.objects.filter(reference=reference, payout__isnull=False).first()
    return _move(reference, target, data or {})


@retry_on_conflict
def _move(reference: str, target: str, data: dict):
    with db.atomic():
        # Only payouts: an internal withdraw() shares the transaction type but has no Payout.
        tx = (
            Transaction.objects.select_for_update(of=("self",))
            .filter(reference=reference, transaction_type__in=PAYOUT_TYPES, payout__isnull=False)
            .first()
        )
        if tx is None:
            return None
        payout = Payout.objects.select_for_update().get(transaction=tx)
        _remember_paystack_answer(payout, data)
        if target == tx.status or target not in ALLOWED_MOVES.get(tx.status, ()):
            return tx
        previous = tx.status
        _post_outcome(tx, previous, target)
        tx.status = target
        update = ["status"]
        if target in FINAL_STATES:
            tx.completed_at = timezone.now()
            update.append("completed_at")
        if target in (S.FAILED, S.REVERSED):
            tx.failure_reason = _failure_reason(data, target)[:255]
            update.append("failure_reason")
        tx.save(update_fields=update)
        if target in FINAL_STATES:
            # In-app now, e-mailed by the worker after this commits (once per outcome).
            notification_events.payout_finished(tx)
        return tx


def _remember_paystack_answer(payout: Payout, data: dict) -> None:
    changed = []
    if data.get("transfer_code") and data["transfer_code"] != payout.transfer_code:
        payout.transfer_code = data["transfer_code"]
        changed.append("transfer_code")
    if data.get("status") and data["status"] != payout.paystack_status:
        payout.paystack_status = str(data["status"])[:20]
        changed.append("paystack_status")
    if changed:
        payout.save(update_fields=[*changed, "updated_at"])


def _failure_reason(data: dict, target: str) -> str:
    if data.get("status") == "abandoned":
        return "The OTP was not entered within 30 minutes, so the bank cancelled the transfer."
    reason = data.get("gateway_response") or data.get("failures") or data.get("message") or ""
    if not reason or not isinstance(reason, str):
        reason = (
            "The bank reversed the transfer." if target == S.REVERSED else "The transfer failed."
        )
    return reason


def _post_outcome(tx: Transaction, previous: str, target: str) -> None:
    """The journal rows for one move (LEDGER.md postings); the wallet is locked after the tx."""
    amount, fee = tx.amount, tx.fee
    if target in (S.PROCESSING, S.OTP):
        return
    if target == S.SUCCESS:
        legs = [
            Leg(account=SystemAccount.PAYOUTS_IN_FLIGHT, amount=-amount),
            Leg(account=SystemAccount.PAYSTACK, amount=amount),
        ]
    else:
        wallet = lock_wallets([tx.wallet_id])[tx.wallet_id]
        # After success the money had left for Paystack; a reversal brings it back from there.
        source = (
            SystemAccount.PAYSTACK if previous == S.SUCCESS else SystemAccount.PAYOUTS_IN_FLIGHT
        )
        legs = [Leg(account=source, amount=-amount), Leg(wallet=wallet, amount=amount + fee)]
        # The money is back, so it no longer counts against today's withdrawal limit.
        release_outflow(wallet, amount + fee, timezone.localdate(tx.created_at))
        if fee:
            legs.append(Leg(account=SystemAccount.FEE_REVENUE, amount=-fee))
    post(journal=tx, legs=legs)


def apply_transfer_event(event_name: str, data: dict):
    """Apply a `transfer.success|failed|reversed` webhook (data = the event's `data`).

    Idempotent: duplicates and out-of-order events find the state already moved (or final) and
    change nothing. Returns the Transaction, or None for a reference that is not ours.
    """
    status = TRANSFER_EVENTS.get(event_name)
    reference = (data or {}).get("reference")
    if status is None or not reference:
        logger.info("ignoring transfer event %s for %r", event_name, reference)
        return None
    return apply_transfer_status(reference, status, data)


# --- reconcile ----------------------------------------------------------------------------------


def reconcile_payout(client, payout: Payout, refused: PaystackAPIError | None = None):
    """Ask Paystack where this transfer stands and move ours to match.

    Unknown to Paystack: re-send with the same reference while ours is still pending (never
    after a definite refusal, which fails it and returns the money). Returns (tx, data).
    """
    Payout.objects.filter(pk=payout.pk).update(last_checked_at=timezone.now())
    try:
        data = gateway.verify_transfer(client, reference=payout.reference)
    except PaystackUnavailable as error:
        _record_error(payout, error)
        tx = Transaction.objects.get(pk=payout.transaction_id)
        return tx, transfer_data_on_record(tx)
    if data is None:
        return _handle_unknown_transfer(client, payout, refused)
    tx = apply_transfer_status(payout.reference, data.get("status", ""), data)
    return tx, data


def _handle_unknown_transfer(client, payout: Payout, refused: PaystackAPIError | None):
    tx = Transaction.objects.get(pk=payout.transaction_id)
    if refused is not None:
        reason = str(refused) or "Paystack refused the transfer."
        tx = apply_transfer_status(payout.reference, "failed", {"message": reason})
        return tx, transfer_data_on_record(tx)
    if tx.status == S.PENDING:
        return send_payout(client, Payout.objects.get(pk=payout.pk))
    # We had an answer before (processing / otp) but Paystack no longer knows it: leave it
    # held and visible to staff rather than guess.
    _record_error(payout, PaystackAPIError("Transfer not found at Paystack"))
    return tx, transfer_data_on_record(tx)

"""Withdrawals, settlements and sends to bank as Paystack transfers: send, the state machine
and verify-by-reference (see the package docstring for the three steps); reserving is in
`reserve.py`, the OTP step in `otp.py`."""

import logging

from django.db import transaction as db
from django.db.models import F
from django.utils import timezone

from wallet.exceptions import PaystackAPIError, PaystackUnavailable
from wallet.models import (
    PAYOUT_TYPES,
    Beneficiary,
    Payout,
    SystemAccount,
    Transaction,
    TransactionStatus,
)
from wallet.services.ledger.limits import release_outflow
from wallet.services.ledger.posting import Leg, lock_wallets, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.ledger.status_log import record_status_change
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

# What moved a payout, for its status changes (the back-office timeline).
VIA_SEND = "Paystack's answer to the send"
VIA_RECONCILE = "reconcile check (Paystack's verify)"
VIA_REFUSED = "Paystack refused the send and has no such transfer"

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


# Reserving lives in reserve.py; these names are still imported from here.
from wallet.services.payouts.reserve import (  # noqa: E402, F401
    PayoutRequest,
    check_payout_target,
    existing_payout_for_reference,
    reserve_payout,
)

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
    return apply_transfer_status(payout.reference, data.get("status", ""), data, via=VIA_SEND), data


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


def apply_transfer_status(
    reference: str, paystack_status: str, data: dict | None = None, *, via: str = ""
):
    """Move the payout with `reference` to the state Paystack reports, once and only forward.
    `via`: where the answer came from (a webhook, a reconcile check...), kept with the change.

    Returns the Transaction (unchanged when the move is not allowed: a duplicate, a late or an
    out-of-order answer), or None when the reference is not one of our payouts.
    """
    target = PAYSTACK_TO_STATE.get((paystack_status or "").lower())
    if target is None:
        logger.warning("transfer %s: unknown Paystack status %r", reference, paystack_status)
        return Transaction.objects.filter(reference=reference, payout__isnull=False).first()
    return _move(reference, target, data or {}, via or f"Paystack said {paystack_status}")


@retry_on_conflict
def _move(reference: str, target: str, data: dict, via: str):
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
        record_status_change(tx, previous, target, via, at=tx.completed_at)
        if target == S.SUCCESS and payout.beneficiary_id:
            # A send that arrived saves its account for next time (issue 24).
            Beneficiary.objects.filter(pk=payout.beneficiary_id, saved_at__isnull=True).update(
                saved_at=timezone.now()
            )
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
    if data.get("status") and payout.last_error:
        # Paystack answered since the failed call: the payout is no longer inconclusive.
        payout.last_error = ""
        changed.append("last_error")
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
    return apply_transfer_status(reference, status, data, via=f"webhook {event_name}")


# --- reconcile ----------------------------------------------------------------------------------


def reconcile_payout(
    client,
    payout: Payout,
    refused: PaystackAPIError | None = None,
    *,
    strict: bool = False,
    via: str = VIA_RECONCILE,
):
    """Ask Paystack where this transfer stands and move ours to match.

    Unknown to Paystack: re-send with the same reference while ours is still pending (never
    after a definite refusal, which fails it and returns the money). Returns (tx, data).
    `strict` (a person asked): Paystack not answering raises PaystackUnavailable instead of
    returning what we had on record, so nobody is told a state Paystack never confirmed.
    `via`: who asked (the reconcile job, a staff action), kept with any status change.
    """
    Payout.objects.filter(pk=payout.pk).update(last_checked_at=timezone.now())
    try:
        data = gateway.verify_transfer(client, reference=payout.reference)
    except PaystackUnavailable as error:
        _record_error(payout, error)
        if strict:
            raise
        tx = Transaction.objects.get(pk=payout.transaction_id)
        return tx, transfer_data_on_record(tx)
    if data is None:
        return _handle_unknown_transfer(client, payout, refused, via)
    tx = apply_transfer_status(payout.reference, data.get("status", ""), data, via=via)
    return tx, data


def _handle_unknown_transfer(client, payout: Payout, refused: PaystackAPIError | None, via: str):
    tx = Transaction.objects.get(pk=payout.transaction_id)
    if refused is not None:
        reason = str(refused) or "Paystack refused the transfer."
        tx = apply_transfer_status(
            payout.reference, "failed", {"message": reason}, via=f"{via}: {VIA_REFUSED}"
        )
        return tx, transfer_data_on_record(tx)
    if tx.status == S.PENDING:
        return send_payout(client, Payout.objects.get(pk=payout.pk))
    # We had an answer before (processing / otp) but Paystack no longer knows it: leave it
    # held and visible to staff rather than guess.
    _record_error(payout, PaystackAPIError("Transfer not found at Paystack"))
    return tx, transfer_data_on_record(tx)

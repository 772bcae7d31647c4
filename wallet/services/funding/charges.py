"""The one credit path for a charge (card checkout, saved card, dedicated account).

Every path that learns a charge succeeded (browser callback, webhook, verify API, saved-card
charge, reconcile job) ends in `process_successful_card_charge`, which credits once per
reference: the deposit row is locked and moves to `success` once (from pending, abandoned or
failed, never after a mismatch was refused). Paystack is called only outside transactions.
"""

import logging
from decimal import Decimal

from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import (
    ChargeAmountMismatch,
    ChargeBelongsToAnotherWallet,
    ChargeNotCredited,
    ChargeNotSuccessful,
    DuplicateReference,
    UnknownChargeReference,
)
from wallet.models import (
    Channel,
    ChargeAnomaly,
    Direction,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
    Wallet,
)
from wallet.paystack import from_subunit
from wallet.ratelimit import allow
from wallet.services.disputes.money import recover_after_credit
from wallet.services.funding.cards import card_for, save_card
from wallet.services.ledger.limits import check_funding, note_external_credit
from wallet.services.ledger.posting import Leg, lock_wallets, new_reference, post
from wallet.services.ledger.retry import retry_on_conflict
from wallet.services.ledger.status_log import cause_with_reason, record_status_change
from wallet.services.notifications import events as notification_events
from wallet.services.requests.settle import settle_request_paid_by_link

logger = logging.getLogger(__name__)

FUNDING_CHANNELS = (Channel.CARD, Channel.DEDICATED_NUBAN)


# Paystack is the judge of success: a deposit we marked abandoned or failed (the payer retried
# on the same checkout, a late report) is still credited once, unless it was refused for a
# mismatch (metadata "credit_refused"), which only staff can resolve.
CREDITABLE = (TransactionStatus.PENDING, TransactionStatus.ABANDONED, TransactionStatus.FAILED)


FINAL_FAILURES = ("failed", "reversed")


def credit_successful_charge(data, wallet=None, *, via=""):
    """See FundingOperations.process_successful_card_charge. `via`: where Paystack's word
    came from (a webhook, a verify), kept with the status change."""
    data = data or {}
    if data.get("status") != "success":
        tx = _find_charge(data.get("reference"), wallet)
        record_anomaly(ChargeAnomaly.Kind.NOT_SUCCESSFUL, tx.reference, _status_text(data), tx)
        raise ChargeNotSuccessful(
            f"The payment is {data.get('status') or 'unknown'} at Paystack; nothing was credited."
        )
    return _credit_by_reference(str(data.get("reference") or ""), data, wallet, via)


def apply_charge_report(tx, data, cancelled=False, abandon=False, *, via=""):
    """Move deposit `tx` according to Paystack's verify `data`: success credits (once), a
    final failure marks it failed, otherwise it stays pending (or becomes abandoned)."""
    status = data.get("status")
    if status == "success":
        return credit_successful_charge(data, wallet=tx.wallet, via=via)[1]
    if status in FINAL_FAILURES:
        said = _status_text(data)
        return mark_charge_failed(tx, f"Payment {status}: {said}", gateway_says=said, via=via)
    if cancelled or abandon:
        reason = "Payment cancelled" if cancelled else "Payment not completed"
        return _move_pending(tx, TransactionStatus.ABANDONED, reason, via=via)
    return tx


def is_local_charge(reference) -> bool:
    return Transaction.objects.filter(reference=str(reference or "")).exists()


def find_charge(reference, wallet=None):
    """The local deposit for `reference` (recorded and refused when unknown / not `wallet`'s)."""
    return _find_charge(reference, wallet)


def record_anomaly(kind, reference, detail, tx=None, wallet=None):
    """Keep a refused charge report for staff (its own transaction: it must survive): once per
    kind and reference, and at most WALLET_CHARGE_ANOMALY_RATE_LIMIT per wallet, since a
    signed-in customer can make these (issue 20). Returns the row, or None when not kept."""
    logger.warning("Charge %s not credited (%s): %s", reference, kind, detail)
    reference = str(reference or "")[:100]
    wallet = wallet or (tx.wallet if tx else None)
    known = ChargeAnomaly.objects.filter(kind=kind, reference=reference).first()
    if known is not None:
        return known
    if wallet is not None and not allow("charge_anomaly", str(wallet.pk)):
        return None
    return ChargeAnomaly.objects.create(
        kind=kind, reference=reference, detail=detail, transaction=tx, wallet=wallet
    )


def start_deposit(*, wallet, amount, channel, reference, description, metadata):
    """The PENDING deposit row, committed before Paystack hears of it; (tx, created)."""
    if reference:
        existing = Transaction.objects.filter(reference=reference).first()
        if existing:
            same = (existing.wallet_id, existing.amount, existing.transaction_type)
            if same != (wallet.pk, amount, TransactionType.DEPOSIT):
                raise DuplicateReference()
            return existing, False
    # Refused up front while it would pass the tier's cap; once Paystack has taken the money
    # it is credited regardless (credit_charge marks the wallet then).
    check_funding(Wallet.objects.get(pk=wallet.pk), amount)
    tx = Transaction.objects.create(
        wallet=wallet,
        reference=reference or new_reference("dep"),
        transaction_type=TransactionType.DEPOSIT,
        direction=Direction.CREDIT,
        status=TransactionStatus.PENDING,
        amount=amount,
        fee=Decimal("0.00"),
        currency=wallet.currency,
        channel=channel,
        description=description,
        metadata=metadata,
    )
    return tx, True


def _find_charge(reference, wallet=None):
    """The local deposit for `reference`; refusals are recorded before raising."""
    reference = str(reference or "")
    tx = _deposits().filter(reference=reference).first()
    _refuse_unless_ours(tx, reference, wallet)
    return tx


def _deposits():
    # The owner's notification settings too: the credit's notice needs them.
    return Transaction.objects.select_related("wallet__user__notification_settings").filter(
        transaction_type=TransactionType.DEPOSIT
    )


def _not_ours(tx, wallet):
    """Why `tx` is not a deposit this report may credit, or None: unknown here (or not a
    funding deposit), or another wallet's when the report came through `wallet`."""
    if tx is None or tx.channel not in FUNDING_CHANNELS:
        return ChargeAnomaly.Kind.UNKNOWN_REFERENCE
    if wallet is not None and tx.wallet_id != wallet.pk:
        return ChargeAnomaly.Kind.WRONG_WALLET
    return None


def _refuse_unless_ours(tx, reference, wallet):
    """Outside any transaction: the anomaly is kept before the refusal is raised."""
    kind = _not_ours(tx, wallet)
    if kind == ChargeAnomaly.Kind.UNKNOWN_REFERENCE:
        record_anomaly(kind, reference, "No such deposit here.", None, wallet)
        raise UnknownChargeReference()
    if kind == ChargeAnomaly.Kind.WRONG_WALLET:
        detail = f"Wallet {wallet.pk} asked about a deposit of wallet {tx.wallet_id}."
        record_anomaly(kind, reference, detail, tx, wallet)
        raise ChargeBelongsToAnotherWallet()


@retry_on_conflict
def _credit_by_reference(reference, data, wallet, via):
    """credit_charge for a report naming its reference: the deposit is found and locked in one
    query (with its wallet's owner), not read first and locked after."""
    with db.atomic():
        tx = _deposits().select_for_update(of=("self",)).filter(reference=reference).first()
        outcome = None if _not_ours(tx, wallet) else _credit_locked(tx, data, via, tx.wallet.user)
    if outcome is None:
        _refuse_unless_ours(tx, reference, wallet)
    return _credited_or_refused(tx, outcome)


@retry_on_conflict
def credit_charge(tx_id, data, *, via="", owner=None):
    """The one place a charge is credited: lock the deposit, check, post, mark success.
    `owner`: the wallet's user when the caller has read it already (saves a query)."""
    with db.atomic():
        tx = Transaction.objects.select_for_update().get(pk=tx_id)
        outcome = _credit_locked(tx, data, via, owner)
    return _credited_or_refused(tx, outcome)


def _credit_locked(tx, data, via, owner):
    """With deposit `tx` locked, inside the caller's atomic block: credit it once, or refuse.
    Returns ("credited", (wallet, tx, card)) or ("refused", (kind, detail))."""
    if tx.status == TransactionStatus.SUCCESS:
        return "credited", (tx.wallet, tx, card_for(tx))
    refusal = _refusal(tx, data)
    if refusal is not None:
        kind, detail = refusal
        if kind != ChargeAnomaly.Kind.NOT_CREDITABLE:
            tx.metadata["credit_refused"] = kind
            _set_status(tx, TransactionStatus.FAILED, detail, via)
        return "refused", refusal
    wallet = lock_wallets([tx.wallet_id])[tx.wallet_id]
    if owner is not None and owner.pk == wallet.user_id:
        wallet.user = owner  # read with the deposit; nothing here changes a user
    tx.wallet = wallet  # the locked row: what the notification reads, no second query
    # A payment-link payer's card is the payer's, never kept in this wallet (issue 24).
    card = None if tx.metadata.get("pay_link") else save_card(wallet, data)
    if card is not None:
        tx.metadata["card_id"] = card.pk
    _post_charge(tx, wallet, data, via)
    note_external_credit(wallet)
    notification_events.card_or_bank_credit(tx)  # e-mailed after this commits
    if tx.metadata.get("money_request_id"):
        settle_request_paid_by_link(tx)
    recover_after_credit(wallet.pk)  # a lost dispute's shortfall, by policy
    return "credited", (wallet, tx, card)


def _credited_or_refused(tx, outcome):
    """After the transaction: (wallet, tx, card), or the refusal kept and raised."""
    result, detail = outcome
    if result == "credited":
        return detail
    kind, text = detail
    record_anomaly(kind, tx.reference, text, tx)
    if kind == ChargeAnomaly.Kind.NOT_CREDITABLE:
        raise ChargeNotCredited(f"This payment is {tx.status} and can no longer be credited.")
    raise ChargeAmountMismatch()


def _refusal(tx, data):
    """Why `data` may not credit `tx`, as (kind, detail), or None when it may."""
    if tx.status not in CREDITABLE or tx.metadata.get("credit_refused"):
        return ChargeAnomaly.Kind.NOT_CREDITABLE, f"Deposit is {tx.status}: {tx.failure_reason}"
    reported = reported_amount(data)
    if reported != tx.amount:
        detail = f"Paystack reported {reported} but {tx.amount} was expected."
        return ChargeAnomaly.Kind.AMOUNT_MISMATCH, detail
    currency = str(data.get("currency") or "").upper()
    if currency != tx.currency:
        detail = f"Paystack reported currency {currency or '?'} but {tx.currency} was expected."
        return ChargeAnomaly.Kind.CURRENCY_MISMATCH, detail
    return None


def reported_amount(data):
    try:
        return from_subunit(int(data.get("amount")))
    except (TypeError, ValueError, ArithmeticError):
        return None


def _post_charge(tx, wallet, data, via):
    """wallet +X, paystack -X; Paystack's own fee (borne by the platform) moves from the
    paystack clearing account to gateway_fees so `paystack` matches what Paystack holds."""
    gateway_fee = _gateway_fee(data, tx.amount)
    legs = [
        Leg(wallet=wallet, amount=tx.amount),
        Leg(account=SystemAccount.PAYSTACK, amount=-(tx.amount - gateway_fee)),
    ]
    if gateway_fee:
        legs.append(Leg(account=SystemAccount.GATEWAY_FEES, amount=-gateway_fee))
    post(journal=tx, legs=legs)
    tx.metadata.update(
        paystack_id=data.get("id"),
        paid_at=data.get("paid_at") or data.get("paidAt"),
        gateway_fee=str(gateway_fee),
    )
    tx.channel = Channel.DEDICATED_NUBAN if data.get("channel") == "dedicated_nuban" else tx.channel
    _set_status(tx, TransactionStatus.SUCCESS, "", via or "Paystack reported it successful")


def _gateway_fee(data, amount):
    try:
        fee = from_subunit(int(data.get("fees") or 0))
    except (TypeError, ValueError, ArithmeticError):
        return Decimal("0.00")
    return fee if Decimal("0.00") <= fee <= amount else Decimal("0.00")


def _set_status(tx, status, reason, via):
    """Called with `tx` locked, inside the atomic block that moves it."""
    previous = tx.status
    tx.status = status
    tx.failure_reason = reason
    tx.completed_at = timezone.now()
    tx.save(update_fields=["status", "failure_reason", "completed_at", "metadata", "channel"])
    record_status_change(tx, previous, status, cause_with_reason(via, reason), at=tx.completed_at)
    return tx


def mark_charge_failed(tx, reason, gateway_says="", *, via=""):
    """`gateway_says`: the card issuer's words ("Insufficient Funds"), kept for the payer in
    metadata["gateway_response"]; `reason` is for staff (and, with `via`, the change's cause)."""
    return _move_pending(tx, TransactionStatus.FAILED, reason, gateway_says, via=via)


def _move_pending(tx, status, reason, gateway_says="", *, via=""):
    """pending -> failed | abandoned (abandoned -> failed too); never touches a success."""
    movable = (TransactionStatus.PENDING,)
    if status == TransactionStatus.FAILED:
        movable = (TransactionStatus.PENDING, TransactionStatus.ABANDONED)
    with db.atomic():
        locked = Transaction.objects.select_for_update().get(pk=tx.pk)
        if locked.status in movable:
            if gateway_says:
                locked.metadata["gateway_response"] = gateway_says[:200]
            _set_status(locked, status, reason, via)
    return locked


def _status_text(data):
    return str(data.get("gateway_response") or data.get("message") or data.get("status") or "")

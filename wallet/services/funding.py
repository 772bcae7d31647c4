"""Money in from Paystack: card checkout, saved cards and dedicated bank accounts.

Every path that learns a charge succeeded (browser callback, webhook, verify API, saved-card
charge, reconcile job) ends in `process_successful_card_charge`, which credits once per
reference: the deposit row is locked and moves to `success` once (from pending, abandoned or
failed, never after a mismatch was refused). Paystack is called only outside transactions.
"""

import logging
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction as db
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from wallet.exceptions import (
    CardChargeFailed,
    CardInactive,
    ChargeAmountMismatch,
    ChargeBelongsToAnotherWallet,
    ChargeNotCredited,
    ChargeNotSuccessful,
    DuplicateReference,
    InvalidCallbackURL,
    PaystackAPIError,
    PaystackUnavailable,
    UnknownChargeReference,
    WalletLocked,
)
from wallet.models import (
    Card,
    Channel,
    ChargeAnomaly,
    DedicatedAccount,
    Direction,
    SystemAccount,
    Transaction,
    TransactionStatus,
    TransactionType,
    Wallet,
)
from wallet.paystack import from_subunit, to_subunit
from wallet.services.ledger import Leg, lock_wallets, new_reference, post
from wallet.services.limits import check_amount
from wallet.services.retry import retry_on_conflict

logger = logging.getLogger(__name__)

FUNDING_CHANNELS = (Channel.CARD, Channel.DEDICATED_NUBAN)
# Paystack is the judge of success: a deposit we marked abandoned or failed (the payer retried
# on the same checkout, a late report) is still credited once, unless it was refused for a
# mismatch (metadata "credit_refused"), which only staff can resolve.
CREDITABLE = (TransactionStatus.PENDING, TransactionStatus.ABANDONED, TransactionStatus.FAILED)
FINAL_FAILURES = ("failed", "reversed")


class FundingOperations:
    """Card checkout, saved cards and dedicated accounts (mixed into WalletService)."""

    # --- Card checkout ------------------------------------------------------------------------
    def initialize_card_charge(
        self, wallet, amount, email, callback_url, reference=None, metadata=None
    ) -> dict:
        """Start a card payment into `wallet`; returns Paystack's `authorization_url`,
        `access_code` and `reference`. Stores a PENDING deposit first; moves no money.

        Raises InvalidAmount, WalletLocked, InvalidCallbackURL, PaystackAPIError (the pending
        row is then marked failed) or PaystackUnavailable (left pending for reconciliation).
        """
        amount = check_amount(amount)
        callback_url = callback_url or default_callback_url()
        check_callback_url(callback_url)
        if Wallet.objects.filter(pk=wallet.pk, is_locked=True).exists():
            raise WalletLocked()
        tx, created = _start_deposit(
            wallet=wallet,
            amount=amount,
            channel=Channel.CARD,
            reference=reference,
            description="Card deposit",
            metadata={"email": email, "callback_url": callback_url, **(metadata or {})},
        )
        if not created and tx.metadata.get("authorization_url"):
            return _checkout_answer(tx)
        try:
            data = self.paystack.initialize_transaction(
                email=email,
                amount_kobo=to_subunit(amount),
                currency=tx.currency,
                reference=tx.reference,
                callback_url=callback_url,
                metadata={"wallet_id": wallet.pk, "cancel_action": _cancel_url(callback_url, tx)},
            )
        except PaystackUnavailable:
            raise PaystackUnavailable(
                "The payment page could not be opened because Paystack did not answer. "
                "No money was taken; please try again."
            )
        except PaystackAPIError as error:
            mark_charge_failed(tx, f"Paystack refused to start the payment: {error.message}")
            raise
        tx.metadata.update(
            authorization_url=data.get("authorization_url", ""),
            access_code=data.get("access_code", ""),
        )
        Transaction.objects.filter(pk=tx.pk).update(metadata=tx.metadata)
        return {**data, "reference": tx.reference}

    def verify_card_charge(self, reference) -> dict:
        """Paystack's own record of the charge (`data`: status, amount in kobo, currency,
        authorization...). Reads only; raises PaystackAPIError for an unknown reference."""
        return self.paystack.verify_transaction(reference)

    def process_successful_card_charge(self, transaction_data, wallet=None):
        """Credit a successful charge to the wallet that started it, once per reference;
        returns `(wallet, transaction, card)` (card is None when it is not reusable).

        Whoever calls it, in any order or at once, the wallet is credited once. It refuses,
        records a ChargeAnomaly and raises a ChargeNotCredited subclass when the status is not
        success, the amount or currency differ from what was initialized, the reference is
        unknown, or (when `wallet` is given) it belongs to another wallet.
        """
        return credit_successful_charge(transaction_data, wallet=wallet)

    def settle_card_charge(self, reference, wallet=None, cancelled=False):
        """Ask Paystack how the charge `reference` ended and apply it: success credits (once),
        a final failure marks the deposit failed, anything else leaves it pending (or
        abandoned when the payer cancelled). Returns the Transaction. Raises
        ChargeNotCredited for a reference that is not ours / not `wallet`'s, PaystackAPIError
        when Paystack cannot say."""
        tx = _find_charge(reference, wallet)
        if tx.status == TransactionStatus.SUCCESS:
            return tx
        data = self.verify_card_charge(tx.reference)
        return apply_charge_report(tx, data, cancelled=cancelled)

    # --- Saved cards --------------------------------------------------------------------------
    def charge_saved_card(self, card, amount, reference=None) -> dict:
        """Charge a saved card into its wallet (Paystack charge_authorization).

        Returns {"status": "success" | "paused" | <pending status>, "reference",
        "transaction_id", "amount", "message", "authorization_url" (when paused: send the
        payer there to finish 2FA)}. On success the wallet is credited once, as for checkout.
        Raises InvalidAmount, CardInactive, WalletLocked, CardChargeFailed (declined; nothing
        moved), PaystackUnavailable (outcome unknown: reconciliation settles it).
        """
        amount = check_amount(amount)
        card = Card.objects.select_related("wallet").get(pk=card.pk)
        if not card.is_active:
            raise CardInactive()
        if card.wallet.is_locked:
            raise WalletLocked()
        tx, created = _start_deposit(
            wallet=card.wallet,
            amount=amount,
            channel=Channel.CARD,
            reference=reference,
            description=f"Deposit from {card}",
            metadata={"card_id": card.pk, "source": "saved_card"},
        )
        if not created:
            return _saved_card_answer(tx, tx.status, "Already requested")
        try:
            data = self.paystack.charge_authorization(
                authorization_code=card.authorization_code,
                email=card.email,
                amount_kobo=to_subunit(amount),
                currency=tx.currency,
                reference=tx.reference,
            )
        except PaystackUnavailable:
            raise PaystackUnavailable(
                "We could not confirm the card charge with Paystack. If it went through, your "
                "wallet will be credited automatically within a few minutes."
            )
        except PaystackAPIError as error:
            mark_charge_failed(tx, f"Card charge refused: {error.message}")
            raise CardChargeFailed(f"Your card could not be charged: {error.message}")
        return self._apply_saved_card_answer(tx, data)

    def _apply_saved_card_answer(self, tx, data) -> dict:
        if data.get("paused"):
            tx.metadata["authorization_url"] = data.get("authorization_url", "")
            Transaction.objects.filter(pk=tx.pk).update(metadata=tx.metadata)
            return _saved_card_answer(tx, "paused", "Your bank needs you to authorize this charge")
        status = data.get("status")
        if status == "success":
            tx = credit_successful_charge(data, wallet=tx.wallet)[1]
            return _saved_card_answer(tx, "success", data.get("gateway_response") or "Approved")
        if status in FINAL_FAILURES:
            reason = data.get("gateway_response") or "Declined"
            mark_charge_failed(tx, f"Card declined: {reason}")
            raise CardChargeFailed(f"Your card was declined: {reason}.")
        return _saved_card_answer(tx, status or "pending", "Waiting for the bank's answer")

    def deactivate_card(self, card) -> Card:
        """Remove a saved card from the wallet (kept for history, never charged again)."""
        with db.atomic():
            lock_wallets([card.wallet_id])
            Card.objects.filter(pk=card.pk).update(is_active=False, is_default=False)
            _ensure_default_card(card.wallet_id)
        card.refresh_from_db()
        return card

    def set_default_card(self, card) -> Card:
        """Make `card` the wallet's default card."""
        if not card.is_active:
            raise CardInactive()
        with db.atomic():
            lock_wallets([card.wallet_id])
            Card.objects.filter(wallet_id=card.wallet_id, is_default=True).update(is_default=False)
            Card.objects.filter(pk=card.pk).update(is_default=True)
        card.refresh_from_db()
        return card

    # --- Dedicated virtual accounts -----------------------------------------------------------
    def request_dedicated_account(self, wallet) -> DedicatedAccount:
        """The wallet's dedicated bank account number, created at Paystack on first request
        (customer + dedicated virtual account). Moves no money. Raises PaystackAPIError."""
        existing = DedicatedAccount.objects.filter(wallet=wallet).first()
        if existing:
            return existing
        user = wallet.user
        customer = self.paystack.create_customer(
            email=user.email,
            first_name=getattr(user, "first_name", "") or user.email.split("@")[0],
            last_name=getattr(user, "last_name", "") or "Wallet",
        )
        data = self.paystack.assign_dedicated_account(
            customer=customer["customer_code"],
            preferred_bank=settings.PAYSTACK_DVA_BANK,
        )
        return _save_dedicated_account(wallet, customer["customer_code"], data)

    def credit_dedicated_account_transfer(self, transaction_data):
        """Credit a bank transfer received on a dedicated account (`charge.success`, channel
        `dedicated_nuban`) once per Paystack reference; returns `(wallet, transaction, None)`.
        Raises UnknownChargeReference when no wallet owns the receiving account."""
        return credit_dedicated_transfer(transaction_data)


# --- Shared with TransactionService, webhooks and reconciliation -----------------------------
def credit_successful_charge(data, wallet=None):
    """See FundingOperations.process_successful_card_charge."""
    data = data or {}
    tx = _find_charge(data.get("reference"), wallet)
    if data.get("status") != "success":
        record_anomaly(ChargeAnomaly.Kind.NOT_SUCCESSFUL, tx.reference, _status_text(data), tx)
        raise ChargeNotSuccessful(
            f"The payment is {data.get('status') or 'unknown'} at Paystack; nothing was credited."
        )
    return _credit_charge(tx.pk, data)


def apply_charge_report(tx, data, cancelled=False, abandon=False):
    """Move deposit `tx` according to Paystack's verify `data`: success credits (once), a
    final failure marks it failed, otherwise it stays pending (or becomes abandoned)."""
    status = data.get("status")
    if status == "success":
        return credit_successful_charge(data, wallet=tx.wallet)[1]
    if status in FINAL_FAILURES:
        return mark_charge_failed(tx, f"Payment {status}: {_status_text(data)}")
    if cancelled or abandon:
        return _mark_abandoned(tx, "Payment cancelled" if cancelled else "Payment not completed")
    return tx


def credit_dedicated_transfer(data):
    """See FundingOperations.credit_dedicated_account_transfer."""
    data = data or {}
    account = dedicated_account_for(data)
    if account is None:
        reference = str(data.get("reference") or "")
        record_anomaly(ChargeAnomaly.Kind.UNKNOWN_REFERENCE, reference, _dva_text(data))
        raise UnknownChargeReference(
            "The bank transfer was sent to an account number that belongs to no wallet."
        )
    if data.get("status") != "success":
        raise ChargeNotSuccessful()
    tx = _bank_transfer_deposit(account.wallet, data)
    return _credit_charge(tx.pk, data)


def is_local_charge(reference) -> bool:
    return Transaction.objects.filter(reference=str(reference or "")).exists()


def find_charge(reference, wallet=None):
    """The local deposit for `reference` (recorded and refused when unknown / not `wallet`'s)."""
    return _find_charge(reference, wallet)


def default_callback_url():
    """This site's own callback page (used when the caller gives none)."""
    return settings.SITE_URL.rstrip("/") + reverse("wallet:deposit_callback")


def check_callback_url(url):
    """Paystack sends the payer back to `url`: only this site's own hosts are allowed."""
    parts = urlsplit(url or "")
    host, _port = split_domain_port(parts.netloc.rsplit("@", 1)[-1])
    if parts.scheme not in ("http", "https") or not host or "@" in parts.netloc:
        raise InvalidCallbackURL()
    allowed = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    allowed.append(split_domain_port(urlsplit(settings.SITE_URL).netloc)[0])
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={parts.netloc})
    if not (safe and validate_host(host, allowed)):
        raise InvalidCallbackURL()


def record_anomaly(kind, reference, detail, tx=None, wallet=None):
    """Keep a refused charge report for staff (its own transaction: it must survive)."""
    logger.warning("Charge %s not credited (%s): %s", reference, kind, detail)
    return ChargeAnomaly.objects.create(
        kind=kind,
        reference=str(reference or "")[:100],
        detail=detail,
        transaction=tx,
        wallet=wallet or (tx.wallet if tx else None),
    )


def _start_deposit(*, wallet, amount, channel, reference, description, metadata):
    """The PENDING deposit row, committed before Paystack hears of it; (tx, created)."""
    if reference:
        existing = Transaction.objects.filter(reference=reference).first()
        if existing:
            same = (existing.wallet_id, existing.amount, existing.transaction_type)
            if same != (wallet.pk, amount, TransactionType.DEPOSIT):
                raise DuplicateReference()
            return existing, False
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
    tx = (
        Transaction.objects.select_related("wallet")
        .filter(reference=reference, transaction_type=TransactionType.DEPOSIT)
        .first()
    )
    if tx is None or tx.channel not in FUNDING_CHANNELS:
        record_anomaly(ChargeAnomaly.Kind.UNKNOWN_REFERENCE, reference, "No such deposit here.")
        raise UnknownChargeReference()
    if wallet is not None and tx.wallet_id != wallet.pk:
        detail = f"Wallet {wallet.pk} asked about a deposit of wallet {tx.wallet_id}."
        record_anomaly(ChargeAnomaly.Kind.WRONG_WALLET, reference, detail, tx, wallet)
        raise ChargeBelongsToAnotherWallet()
    return tx


@retry_on_conflict
def _credit_charge(tx_id, data):
    """The one place a charge is credited: lock the deposit, check, post, mark success."""
    refusal = None
    with db.atomic():
        tx = Transaction.objects.select_for_update().get(pk=tx_id)
        if tx.status == TransactionStatus.SUCCESS:
            return tx.wallet, tx, _card_for(tx)
        refusal = _refusal(tx, data)
        if refusal is None:
            wallet = lock_wallets([tx.wallet_id])[tx.wallet_id]
            card = _save_card(wallet, data)
            if card is not None:
                tx.metadata["card_id"] = card.pk
            _post_charge(tx, wallet, data)
            return wallet, tx, card
        kind, detail = refusal
        if kind != ChargeAnomaly.Kind.NOT_CREDITABLE:
            tx.metadata["credit_refused"] = kind
            _set_status(tx, TransactionStatus.FAILED, detail)
    record_anomaly(kind, tx.reference, detail, tx)
    if kind == ChargeAnomaly.Kind.NOT_CREDITABLE:
        raise ChargeNotCredited(f"This payment is {tx.status} and can no longer be credited.")
    raise ChargeAmountMismatch()


def _refusal(tx, data):
    """Why `data` may not credit `tx`, as (kind, detail), or None when it may."""
    if tx.status not in CREDITABLE or tx.metadata.get("credit_refused"):
        return ChargeAnomaly.Kind.NOT_CREDITABLE, f"Deposit is {tx.status}: {tx.failure_reason}"
    reported = _reported_amount(data)
    if reported != tx.amount:
        detail = f"Paystack reported {reported} but {tx.amount} was expected."
        return ChargeAnomaly.Kind.AMOUNT_MISMATCH, detail
    currency = str(data.get("currency") or "").upper()
    if currency != tx.currency:
        detail = f"Paystack reported currency {currency or '?'} but {tx.currency} was expected."
        return ChargeAnomaly.Kind.CURRENCY_MISMATCH, detail
    return None


def _reported_amount(data):
    try:
        return from_subunit(int(data.get("amount")))
    except (TypeError, ValueError, ArithmeticError):
        return None


def _post_charge(tx, wallet, data):
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
    _set_status(tx, TransactionStatus.SUCCESS, "")


def _gateway_fee(data, amount):
    try:
        fee = from_subunit(int(data.get("fees") or 0))
    except (TypeError, ValueError, ArithmeticError):
        return Decimal("0.00")
    return fee if Decimal("0.00") <= fee <= amount else Decimal("0.00")


def _set_status(tx, status, reason):
    tx.status = status
    tx.failure_reason = reason
    tx.completed_at = timezone.now()
    tx.save(update_fields=["status", "failure_reason", "completed_at", "metadata", "channel"])
    return tx


def mark_charge_failed(tx, reason):
    return _move_pending(tx, TransactionStatus.FAILED, reason)


def _mark_abandoned(tx, reason):
    return _move_pending(tx, TransactionStatus.ABANDONED, reason)


def _move_pending(tx, status, reason):
    """pending -> failed | abandoned (abandoned -> failed too); never touches a success."""
    movable = (TransactionStatus.PENDING,)
    if status == TransactionStatus.FAILED:
        movable = (TransactionStatus.PENDING, TransactionStatus.ABANDONED)
    with db.atomic():
        locked = Transaction.objects.select_for_update().get(pk=tx.pk)
        if locked.status in movable:
            _set_status(locked, status, reason)
    return locked


def _save_card(wallet, data):
    """Keep a reusable card, de-duplicated by Paystack's card signature. Called with the
    wallet row locked, so the card writes of one wallet never race (3 statements)."""
    auth = data.get("authorization") or {}
    code = auth.get("authorization_code")
    if data.get("channel") != "card" or not auth.get("reusable") or not code:
        return None
    customer = data.get("customer") or {}
    signature = str(auth.get("signature") or code)[:100]
    fields = {
        "authorization_code": code,
        "email": customer.get("email") or wallet.user.email,
        "bin": str(auth.get("bin") or "")[:6],
        "last4": str(auth.get("last4") or "")[-4:],
        "exp_month": str(auth.get("exp_month") or "").strip()[:2],
        "exp_year": str(auth.get("exp_year") or "").strip()[:4],
        "brand": str(auth.get("brand") or auth.get("card_type") or "").strip()[:30],
        "bank": str(auth.get("bank") or "").strip()[:100],
        "is_active": True,
    }
    cards = Card.objects.filter(wallet=wallet)
    card = cards.filter(signature=signature).first()
    other_default = (
        cards.filter(is_default=True, is_active=True).exclude(signature=signature).exists()
    )
    if card is None:
        return Card.objects.create(
            wallet=wallet, signature=signature, is_default=not other_default, **fields
        )
    for name, value in fields.items():
        setattr(card, name, value)
    card.is_default = card.is_default or not other_default
    card.save()
    return card


def _ensure_default_card(wallet_id):
    """With the wallet row locked: the newest active card becomes default if none is."""
    cards = Card.objects.filter(wallet_id=wallet_id, is_active=True)
    if not cards.filter(is_default=True).exists():
        newest = cards.order_by("-updated_at").first()
        if newest:
            Card.objects.filter(pk=newest.pk).update(is_default=True)


def _card_for(tx):
    data_card = tx.metadata.get("card_id")
    if data_card:
        return Card.objects.filter(pk=data_card).first()
    return None


def _checkout_answer(tx):
    return {
        "authorization_url": tx.metadata["authorization_url"],
        "access_code": tx.metadata.get("access_code", ""),
        "reference": tx.reference,
    }


def _saved_card_answer(tx, status, message):
    return {
        "status": status,
        "message": message,
        "reference": tx.reference,
        "transaction_id": tx.pk,
        "amount": str(tx.amount),
        "authorization_url": tx.metadata.get("authorization_url", ""),
    }


def _cancel_url(callback_url, tx):
    separator = "&" if "?" in callback_url else "?"
    return f"{callback_url}{separator}reference={tx.reference}&cancelled=1"


def _status_text(data):
    return str(data.get("gateway_response") or data.get("message") or data.get("status") or "")


def dedicated_account_for(data):
    customer = data.get("customer") or {}
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    number = metadata.get("receiver_account_number") or (data.get("authorization") or {}).get(
        "receiver_bank_account_number"
    )
    accounts = DedicatedAccount.objects.select_related("wallet")
    if number:
        found = accounts.filter(account_number=str(number)).first()
        if found:
            return found
    code = customer.get("customer_code")
    return accounts.filter(customer_code=code).first() if code else None


def _bank_transfer_deposit(wallet, data):
    """The deposit row for a transfer received on a dedicated account (get or create)."""
    amount = _reported_amount(data)
    if amount is None or amount <= 0:
        raise ChargeNotCredited("The bank transfer reported no valid amount.")
    sender = (data.get("authorization") or {}).get("sender_name") or "bank transfer"
    tx, _ = Transaction.objects.get_or_create(
        reference=str(data["reference"]),
        defaults={
            "wallet": wallet,
            "transaction_type": TransactionType.DEPOSIT,
            "direction": Direction.CREDIT,
            "status": TransactionStatus.PENDING,
            "amount": amount,
            "fee": Decimal("0.00"),
            "currency": wallet.currency,
            "channel": Channel.DEDICATED_NUBAN,
            "description": f"Bank transfer from {sender}"[:255],
            "metadata": {"source": "dedicated_account"},
        },
    )
    if tx.wallet_id != wallet.pk:
        raise ChargeBelongsToAnotherWallet()
    return tx


def _dva_text(data):
    customer = (data.get("customer") or {}).get("customer_code")
    return f"Transfer {data.get('reference')} for customer {customer or '?'}"


def _save_dedicated_account(wallet, customer_code, data):
    bank = data.get("bank") or {}
    account, _ = DedicatedAccount.objects.get_or_create(
        wallet=wallet,
        defaults={
            "customer_code": customer_code,
            "paystack_id": data.get("id"),
            "account_number": str(data["account_number"]),
            "account_name": data.get("account_name") or "",
            "bank_name": bank.get("name") or "",
            "bank_slug": bank.get("slug") or "",
            "is_active": bool(data.get("active", True)),
        },
    )
    return account

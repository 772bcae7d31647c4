"""A payer with no account pays a customer through their payment page (issue 24).

Starting a payment only records a PENDING deposit (with who paid, kept apart in LinkPayment)
and opens Paystack's checkout; the money is credited by the one path every top-up takes
(`funding.charges.credit_charge`, reached by the callback, the webhook or the reconcile job):
once per reference. Refusals come before Paystack is called, in words a stranger understands:
they never say why (a locked wallet, a balance cap) nor anything about the customer.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction as db

from wallet.exceptions import (
    LimitExceeded,
    PaystackAPIError,
    PaystackUnavailable,
    WalletError,
)
from wallet.models import Channel, LinkPayment, Transaction, Wallet
from wallet.paystack import to_subunit
from wallet.paystack.money import check_charge_minimum
from wallet.services.funding.charges import mark_charge_failed, start_deposit
from wallet.services.funding.checkout import cancel_url, check_callback_url
from wallet.services.ledger.limits import check_amount, check_funding

CANNOT_RECEIVE = (
    "This person cannot receive this amount right now. Try a smaller amount, or ask them for "
    "another way to pay."
)
NAME_MAX = 80


def clean_payer(name: str, email: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    email = (email or "").strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise WalletError("Enter your name (up to 80 characters).")
    try:
        validate_email(email)
    except ValidationError:
        raise WalletError("Enter an e-mail address for your receipt.")
    return name, email


def check_can_receive(wallet, amount: Decimal) -> None:
    """Refuse before Paystack: a locked wallet or one this payment would take past its cap."""
    fresh = Wallet.objects.get(pk=wallet.pk)
    if fresh.is_locked:
        raise LimitExceeded(CANNOT_RECEIVE)
    try:
        check_funding(fresh, amount)
    except LimitExceeded:
        raise LimitExceeded(CANNOT_RECEIVE)


def start_link_payment(
    client, *, wallet, amount, payer_name, payer_email, callback_url, money_request=None
) -> dict:
    """Open a Paystack checkout paying `amount` into `wallet`: returns `authorization_url` and
    `reference`. Moves no money. Raises InvalidAmount, WalletError (name/e-mail),
    LimitExceeded (cannot receive), InvalidCallbackURL, PaystackAPIError, PaystackUnavailable."""
    amount = check_amount(amount)
    check_charge_minimum(amount, wallet.currency)
    payer_name, payer_email = clean_payer(payer_name, payer_email)
    check_callback_url(callback_url)
    check_can_receive(wallet, amount)
    metadata = {"pay_link": True, "payer_name": payer_name, "callback_url": callback_url}
    if money_request is not None:
        metadata["money_request_id"] = money_request.pk
    with db.atomic():
        tx, _ = start_deposit(
            wallet=wallet,
            amount=amount,
            channel=Channel.CARD,
            reference=None,
            description=f"Paid by link ({payer_name})",
            metadata=metadata,
        )
        LinkPayment.objects.create(
            transaction=tx,
            wallet=wallet,
            money_request=money_request,
            payer_name=payer_name,
            payer_email=payer_email,
        )
    return _open_checkout(client, tx, payer_email, callback_url)


def _open_checkout(client, tx: Transaction, email: str, callback_url: str) -> dict:
    try:
        data = client.initialize_transaction(
            email=email,
            amount_kobo=to_subunit(tx.amount),
            currency=tx.currency,
            reference=tx.reference,
            callback_url=callback_url,
            metadata={
                "wallet_id": tx.wallet_id,
                "pay_link": True,
                "cancel_action": cancel_url(callback_url, tx),
            },
        )
    except PaystackUnavailable:
        raise PaystackUnavailable(
            "The payment page could not be opened. No money was taken; please try again."
        )
    except PaystackAPIError as error:
        mark_charge_failed(tx, f"Paystack refused to start the payment: {error.message}")
        raise PaystackAPIError(
            "The payment could not be started; no money was taken. Please try again.",
            http_status=error.http_status,
        )
    tx.metadata.update(authorization_url=data.get("authorization_url", ""))
    Transaction.objects.filter(pk=tx.pk).update(metadata=tx.metadata)
    return {"authorization_url": data.get("authorization_url", ""), "reference": tx.reference}


def link_payment_for_reference(reference: str) -> LinkPayment | None:
    reference = str(reference or "")[:100]
    return (
        LinkPayment.objects.select_related("transaction", "wallet__user")
        .filter(transaction__reference=reference)
        .first()
    )

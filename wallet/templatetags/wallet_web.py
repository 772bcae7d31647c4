"""Template helpers for the wallet pages: money formatting and links to optional pages."""

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse

from accounts import identity
from wallet.models import PAYOUT_TYPES

register = template.Library()

CURRENCY_SYMBOLS = {"NGN": "₦", "GHS": "GH₵", "USD": "$", "ZAR": "R", "KES": "KSh"}


@register.filter
def money(amount, currency="NGN"):
    """₦1,234.50 — exact Decimal formatting, grouped thousands, always two places."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency or "NGN", f"{currency} ")
    sign = "−" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"


@register.filter
def money_moved(transaction):
    """What the transaction moved for this wallet: the amount in, or the amount plus fee out.

    Unsigned: the .amount-credit / .amount-debit classes draw the + / − sign.
    """
    if transaction.direction == "credit":
        return money(transaction.amount, transaction.currency)
    return money(transaction.amount + transaction.fee, transaction.currency)


@register.simple_tag
def optional_url(name, *args):
    """The URL of a page another part of the site provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# The guide's internal deposit()/withdraw(): money from or to the platform, not a bank.
INTERNAL_TITLES = {"deposit": "Money added", "withdrawal": "Payment"}


@register.filter
def transaction_title(transaction):
    """A short human title: who the money went to or came from, else what happened."""
    counterparty = transaction.counterparty_wallet
    if transaction.channel == "internal" and transaction.transaction_type in INTERNAL_TITLES:
        return INTERNAL_TITLES[transaction.transaction_type]
    special = pay_anyone_title(transaction)
    if special:
        return special
    if transaction.transaction_type == "transfer" and counterparty is not None:
        name = identity.full_name(counterparty.user)
        return f"To {name}" if transaction.direction == "debit" else f"From {name}"
    if transaction.transaction_type == "dispute":  # fixed words set by the disputes service
        return transaction.description
    titles = {
        "deposit": "Money added",
        "withdrawal": "Withdrawal to bank",
        "settlement": "Auto-withdraw to bank",
        "bank_send": "Sent to a bank account",
        "adjustment": ADJUSTMENT_DESCRIPTION,
        "refund": "Refund",
        "reversal": "Reversal",
        "transfer": "Transfer",
    }
    return titles.get(transaction.transaction_type, transaction.get_transaction_type_display())


def pay_anyone_title(transaction) -> str:
    """Issue 24's kinds, from the row's own metadata (no query): "To GTBank ••••4567 (ADA
    OKAFOR)", "Requested by @bola" / "Request from @ada paid", "Paid by link (Chidi)"."""
    meta = transaction.metadata or {}
    if transaction.transaction_type == "bank_send" and meta.get("account_number_last4"):
        return (
            f"To {meta.get('bank_name', 'bank')} ••••{meta['account_number_last4']} "
            f"({meta.get('account_name', '')})"
        )
    if meta.get("money_request"):
        if transaction.direction == "debit" and meta.get("requester_handle"):
            return f"Requested by @{meta['requester_handle']}"
        if transaction.direction == "credit" and meta.get("payer_handle"):
            return f"Request paid by @{meta['payer_handle']}"
    if meta.get("pay_link"):
        payer = meta.get("payer_name") or "someone"
        return f"Paid by link ({payer})"
    return ""


@register.filter
def request_status(money_request) -> str:
    """A money request's status as its two sides read it ("Expired" once past its date)."""
    from django.utils import timezone

    if money_request.status == "open" and money_request.expires_at <= timezone.now():
        return "Expired"
    return money_request.get_status_display()


@register.filter
def masked_name(user):
    """ "Bola A.": what a customer may see of someone they have not dealt with yet."""
    return identity.masked_name(user)


@register.filter
def sentence(text) -> str:
    """`text` closing a sentence with one full stop: "Bola A." is not given a second one."""
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


@register.filter
def account_share_text(account) -> str:
    """A dedicated account's details, ready to paste into WhatsApp: how Nigerians ask to be
    paid."""
    return (
        "Send money to my wallet:\n"
        f"Bank: {account.bank_name}\n"
        f"Account number: {account.account_number}\n"
        f"Account name: {account.account_name}"
    )


@register.filter
def person_name(user):
    """A counterparty's name on a receipt or row: never their e-mail."""
    return identity.full_name(user)


REVERSAL_DESCRIPTION = "Correction of an earlier transaction"
# A staff adjustment's own description carries the staff reason: customers read this instead.
ADJUSTMENT_DESCRIPTION = "Correction from Paystack Wallet"


@register.filter
def money_outcome(transaction) -> str:
    """What a row that moved no money (or gave it back) says instead of a signed amount.

    "" for money that moved, or that left the wallet and is on its way to a bank. A failed or
    reversed payout was taken from the wallet and given back; a failed or abandoned charge
    never arrived; an open checkout has not paid yet.
    """
    status, direction = transaction.status, transaction.direction
    if transaction.transaction_type == "reversal":  # its original row already reads "returned"
        return "Returned to your wallet" if direction == "credit" else "Taken back: reversed"
    if status in ("failed", "reversed") and direction == "debit":
        if transaction.transaction_type in PAYOUT_TYPES or status == "reversed":
            return "Returned to your wallet"
        return "No money moved"
    if status in ("failed", "abandoned"):
        return "No money moved"
    if status == "reversed":
        return "Reversed: the money went back"
    if status in ("pending", "processing", "otp") and direction == "credit":
        return "Not paid: the checkout was not finished"  # nothing has arrived
    return ""


@register.filter
def amount_class(transaction) -> str:
    """The amount cell's classes: signed green/dark for money that moved, muted otherwise."""
    if money_outcome(transaction):
        return "amount amount-void"
    return "amount amount-credit" if transaction.direction == "credit" else "amount amount-debit"


@register.filter
def customer_description(transaction) -> str:
    """The row's description as a customer may read it: a reversal's own description names
    the original's internal reference and the staff member's reason, so it is replaced."""
    if transaction.transaction_type == "reversal":
        return REVERSAL_DESCRIPTION
    if transaction.transaction_type == "adjustment":
        return ADJUSTMENT_DESCRIPTION
    return transaction.description


@register.filter
def customer_status(transaction):
    """The status as the customer reads it. A payout waiting for Paystack's transfer OTP is
    waiting for Finance (the OTP goes to the business, never to the customer)."""
    if transaction.status == "otp":
        return "Waiting for approval"
    if transaction.transaction_type == "dispute" and transaction.status == "pending":
        return "Held"
    if transaction.status in ("failed", "abandoned") or _open_checkout(transaction):
        return "Not completed"
    return transaction.get_status_display()


def _open_checkout(transaction) -> bool:
    """A card checkout not paid (yet): not money on its way, so not "Pending"."""
    return (
        transaction.transaction_type == "deposit"
        and transaction.direction == "credit"
        and transaction.status == "pending"
    )


@register.filter
def gateway_reason(transaction) -> str:
    """What the card issuer said about a declined payment ("Insufficient Funds"), else ""."""
    return str((transaction.metadata or {}).get("gateway_response") or "")

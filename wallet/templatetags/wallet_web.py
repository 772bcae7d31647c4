"""Template helpers for the wallet pages: money formatting and links to optional pages."""

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse

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
    if transaction.transaction_type == "transfer" and counterparty is not None:
        user = counterparty.user
        name = f"{user.first_name} {user.last_name}".strip() or user.email
        return f"To {name}" if transaction.direction == "debit" else f"From {name}"
    titles = {
        "deposit": "Money added",
        "withdrawal": "Withdrawal to bank",
        "settlement": "Settlement to bank",
        "refund": "Refund",
        "reversal": "Reversal",
        "transfer": "Transfer",
    }
    return titles.get(transaction.transaction_type, transaction.get_transaction_type_display())


@register.filter
def customer_status(transaction):
    """The status as the customer reads it. A payout waiting for Paystack's transfer OTP is
    waiting for Finance (the OTP goes to the business, never to the customer)."""
    if transaction.status == "otp":
        return "Processing — waiting for approval"
    return transaction.get_status_display()

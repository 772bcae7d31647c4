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
def signed_money(transaction):
    """+₦500.00 for money in, −₦510.00 (amount plus fee) for money out."""
    if transaction.direction == "credit":
        return f"+{money(transaction.amount, transaction.currency)}"
    return f"−{money(transaction.amount + transaction.fee, transaction.currency)}"


@register.simple_tag
def optional_url(name, *args):
    """The URL of a page another part of the site provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def transaction_title(transaction):
    """A short human title: who the money went to or came from, else what happened."""
    counterparty = transaction.counterparty_wallet
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

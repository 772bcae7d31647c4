"""Amount parsing and the per-operation and daily limits (settings: WALLET_*)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

from wallet.amounts import parse_amount_text
from wallet.exceptions import InvalidAmount, LimitExceeded

CENT = Decimal("0.01")
# Beyond any limit and beyond the 19-digit columns; checked before quantize() can overflow.
ABSURD = Decimal("1e16")


def parse_amount(amount) -> Decimal:
    """A Decimal, int or text amount to an exact Decimal with at most two places, or
    InvalidAmount. Text is read by the one rule for typed amounts (`wallet.amounts`)."""
    if isinstance(amount, bool) or amount is None:
        raise InvalidAmount("Enter an amount.")
    if isinstance(amount, float):
        amount = repr(amount)  # the shortest decimal that round-trips, never binary noise
    if isinstance(amount, str):
        amount = parse_amount_text(amount)
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount("That is not an amount.")
    if not value.is_finite():
        raise InvalidAmount("The amount must be a finite number.")
    if value <= 0:
        raise InvalidAmount("The amount must be greater than zero.")
    if value >= ABSURD:
        raise InvalidAmount("The amount is far too large.")
    if value != value.quantize(CENT):
        raise InvalidAmount("Amounts have at most two decimal places (kobo).")
    return value.quantize(CENT)


def check_amount(amount) -> Decimal:
    """Parse the amount and hold it to the per-operation minimum and maximum."""
    value = parse_amount(amount)
    minimum, maximum = settings.WALLET_MIN_AMOUNT, settings.WALLET_MAX_AMOUNT
    if value < minimum:
        raise InvalidAmount(f"The smallest amount is {minimum:,.2f}.")
    if value > maximum:
        raise InvalidAmount(f"The largest amount for one operation is {maximum:,.2f}.")
    return value


def daily_limit_exceeded(limit: Decimal, spent: Decimal) -> LimitExceeded:
    """The refusal for a debit past today's limit, saying how much is still allowed."""
    left = max(limit - spent, Decimal("0.00"))
    return LimitExceeded(
        f"This exceeds your daily limit of {limit:,.2f}; you can send {left:,.2f} more today."
    )


def charge_outflow(wallet, total: Decimal) -> None:
    """Count `total` against today's outflow limit. Call with the wallet row locked.

    The counter is written by `ledger.post` in the same UPDATE as the balance.
    """
    today = timezone.localdate()
    spent = wallet.outflow_total if wallet.outflow_date == today else Decimal("0.00")
    limit = settings.WALLET_DAILY_OUTFLOW_LIMIT
    if spent + total > limit:
        raise daily_limit_exceeded(limit, spent)
    wallet.outflow_date = today
    wallet.outflow_total = spent + total
    wallet._outflow_charged = True


def release_outflow(wallet, total: Decimal, charged_on) -> None:
    """Give back `total` of the outflow counted on `charged_on` when that money returns to the
    wallet (a failed or reversed payout). Call with the wallet row locked; an earlier day's
    counter is gone already, so nothing is given back then."""
    if wallet.outflow_date != charged_on:
        return
    wallet.outflow_total = max(wallet.outflow_total - total, Decimal("0.00"))
    wallet._outflow_charged = True

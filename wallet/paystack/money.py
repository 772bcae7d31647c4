"""Naira <-> kobo, exactly: the only place amounts change unit (STYLE.md "Money")."""

from decimal import Decimal, InvalidOperation

from wallet.exceptions import InvalidAmount

CENT = Decimal("0.01")
# The smallest charge Paystack accepts per currency (its "Invalid Amount Sent" below these);
# the one place the site knows them. Checked before any charge is started (finding 10).
CHARGE_MINIMUMS = {
    "NGN": Decimal("50.00"),
    "GHS": Decimal("0.10"),
    "ZAR": Decimal("1.00"),
    "KES": Decimal("3.00"),
    "USD": Decimal("2.00"),
    "XOF": Decimal("1.00"),
}
CURRENCY_SIGNS = {"NGN": "₦", "GHS": "GH₵", "ZAR": "R", "KES": "KSh", "USD": "$"}


def check_charge_minimum(amount: Decimal, currency: str) -> None:
    """InvalidAmount, in the payer's words, when Paystack would refuse a charge this small."""
    minimum = CHARGE_MINIMUMS.get(currency, CENT)
    if amount < minimum:
        sign = CURRENCY_SIGNS.get(currency, f"{currency} ")
        raise InvalidAmount(f"The smallest card payment is {sign}{minimum:,.2f}.")


def to_subunit(amount) -> int:
    """Decimal naira -> integer kobo, exactly: Decimal("12.34") -> 1234.

    Raises InvalidAmount for floats, NaN/Infinity, or more than 2 decimal places (never rounds
    or truncates)."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise InvalidAmount(f"Amounts must be Decimal, not {type(amount).__name__}.")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise InvalidAmount("Amounts must be finite numbers.")
    try:
        exact = amount.quantize(CENT)
    except InvalidOperation:
        raise InvalidAmount("This amount is too large.")
    if exact != amount:
        raise InvalidAmount("Amounts can have at most 2 decimal places (kobo).")
    return int(exact * 100)


def from_subunit(value) -> Decimal:
    """Integer kobo (or a string of digits, as some webhooks send) -> Decimal naira, 2 places."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidAmount(f"Subunit amounts must be integers, not {type(value).__name__}.")
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise InvalidAmount(f"Subunit amount {value!r} is not a whole number.")
    return (Decimal(int(text)) / 100).quantize(CENT)

"""Naira <-> kobo, exactly: the only place amounts change unit (STYLE.md "Money")."""

from decimal import Decimal, InvalidOperation

from wallet.exceptions import InvalidAmount

CENT = Decimal("0.01")


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

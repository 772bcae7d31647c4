"""The one reading of an amount that a person typed or a client sent (security review, finding 1).

Rule: ASCII digits, optionally grouped in threes by commas in the right places
(`1,234,567.89`), and at most two decimals. Everything else — a decimal comma (`10,50`),
exponents, underscores, signs, unicode or full-width digits, spaces inside — is refused with
a message that says what to type. Forms, pages and the JSON API all read amounts here; the
services take `Decimal` and `int` and send any text they are given through the same rule.
"""

import re
from decimal import Decimal

from django import forms

from wallet.exceptions import InvalidAmount

# [0-9], not \d: \d matches "٣", "３" and "²" too.
AMOUNT_PATTERN = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?", re.ASCII)
# Longer than any amount the limits allow, grouped; keeps the message short on a huge input.
MAX_LENGTH = 32
HOW_TO_WRITE = "Write an amount like 5000, 5,000 or 5000.50."


def parse_amount_text(text: str) -> Decimal:
    """Text to an exact Decimal with two places, or InvalidAmount saying how to write one."""
    value = text.strip(" ")  # plain spaces a person may leave around it; nothing else
    if not value:
        raise InvalidAmount("Enter an amount.")
    if len(value) > MAX_LENGTH:
        raise InvalidAmount(f"That is not an amount. {HOW_TO_WRITE}")
    if AMOUNT_PATTERN.fullmatch(value) is None:
        raise InvalidAmount(_why_not(value))
    return Decimal(value.replace(",", "")).quantize(Decimal("0.01"))


def _why_not(value: str) -> str:
    if re.fullmatch(r"[0-9,]*,[0-9]{1,2}", value, re.ASCII):
        return f"Use a point for kobo, not a comma. {HOW_TO_WRITE}"
    if re.fullmatch(r"[0-9,]+(\.[0-9]+)?", value, re.ASCII) and "." in value:
        if len(value.rsplit(".", 1)[1]) > 2:
            return "Amounts have at most two decimal places (kobo)."
    if "," in value and re.fullmatch(r"[0-9,.]+", value, re.ASCII):
        return f"Commas go between groups of three digits. {HOW_TO_WRITE}"
    if value.startswith("-"):
        return "The amount must be greater than zero."
    if value.lower().lstrip("+") in {"nan", "snan", "inf", "infinity"}:
        return "The amount must be a finite number."
    return f"That is not an amount. {HOW_TO_WRITE}"


class AmountField(forms.CharField):
    """A form field that cleans to a Decimal by `parse_amount_text` (limits are the service's)."""

    def __init__(self, **kwargs):
        # No max_length: its validator would run on the Decimal; parse_amount_text bounds it.
        attrs = {"inputmode": "decimal", "autocomplete": "off"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_amount_text(text)
        except InvalidAmount as error:
            raise forms.ValidationError(error.message, code="invalid_amount")

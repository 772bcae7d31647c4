"""Input fields shared by v1's serializers."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wallet.exceptions import InvalidAmount
from wallet.services.ledger.limits import check_amount

# Plain ASCII digits: no exponent, sign, separators or other scripts' digits ("1e3", "１０").
PLAIN_NUMBER = re.compile(r"[0-9]{1,16}(\.[0-9]{1,20})?", re.ASCII)
AMOUNT_SCHEMA = {
    "type": "string",
    "pattern": r"^[0-9]{1,13}(\.[0-9]{1,2})?$",
    "example": "1500.00",
    "description": "Naira, at most 2 decimal places. A JSON number is accepted too.",
}


@extend_schema_field(AMOUNT_SCHEMA)
class AmountField(serializers.Field):
    """An amount in naira as a JSON number or a numeric string ("1500.50"); exact Decimal.
    Refusals carry the code `invalid_amount`, which v1 answers with 422."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", 'Naira, at most 2 decimal places, e.g. "1500.50".')
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if (
            isinstance(data, bool)
            or not isinstance(data, str | int | float)
            and not hasattr(data, "as_tuple")
        ):
            raise serializers.ValidationError(
                "The amount must be a number or a numeric string.", code="invalid_amount"
            )
        text = data if isinstance(data, str) else str(data)
        if not PLAIN_NUMBER.fullmatch(text.strip()):
            raise serializers.ValidationError(
                "Write the amount as plain digits with at most two decimals, e.g. 1500.50.",
                code="invalid_amount",
            )
        try:
            return check_amount(text)
        except InvalidAmount as error:
            raise serializers.ValidationError(error.message, code="invalid_amount")

    def to_representation(self, value):
        return str(value)


class PinField(serializers.CharField):
    """The transaction PIN on outflow endpoints (accepted now; checked by the PIN service of
    the outflow-safety issue once it exists)."""

    def __init__(self, **kwargs):
        kwargs.update(required=False, write_only=True, max_length=12, allow_blank=True)
        kwargs.setdefault("help_text", "Your transaction PIN.")
        super().__init__(**kwargs)

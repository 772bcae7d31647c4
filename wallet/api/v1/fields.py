"""Input fields shared by v1's serializers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wallet.amounts import parse_amount_text
from wallet.exceptions import InvalidAmount
from wallet.services.ledger.limits import check_amount

AMOUNT_SCHEMA = {
    "type": "string",
    # The site-wide rule (wallet/amounts.py): ASCII digits, commas only between groups of three.
    "pattern": r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,13})(?:\.[0-9]{1,2})?$",
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
        try:  # one reading of an amount for forms, pages and every JSON endpoint
            return check_amount(parse_amount_text(text))
        except InvalidAmount as error:
            raise serializers.ValidationError(error.message, code="invalid_amount")

    def to_representation(self, value):
        return str(value)


class PinField(serializers.CharField):
    """The transaction PIN on outflow endpoints, checked by `views.base.confirm_pin` once the
    rest of the body is valid (never echoed: write-only)."""

    def __init__(self, **kwargs):
        kwargs.update(required=False, write_only=True, max_length=12, allow_blank=True)
        kwargs.setdefault("help_text", "Your transaction PIN.")
        super().__init__(**kwargs)

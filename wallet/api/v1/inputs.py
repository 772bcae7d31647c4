"""What v1 accepts: one serializer per request body or query. Syntax only; the services
decide the rules (limits, ownership, balances) and refuse with a WalletError."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from wallet.api.v1.fields import AmountField, PinField
from wallet.dates import validate_day_in_range
from wallet.models import AmountMode, ScheduleType, TransactionStatus, TransactionType

# Database ids are bigints; anything longer cannot name a row (and would overflow SQLite).
MAX_ID = 2**63 - 1


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class TransferInput(serializers.Serializer):
    recipient = serializers.CharField(
        max_length=254,
        help_text="The recipient's @handle, e-mail address, phone number or wallet code.",
    )
    amount = AmountField()
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    pin = PinField()


class RecipientQuery(serializers.Serializer):
    q = serializers.CharField(
        max_length=254, help_text="An @handle, e-mail address, phone number or wallet code."
    )


class DepositInput(serializers.Serializer):
    amount = AmountField()
    callback_url = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Where Paystack sends the payer back: an address on this site.",
    )


class ReferenceInput(serializers.Serializer):
    reference = serializers.CharField(max_length=100)


class AmountInput(serializers.Serializer):
    amount = AmountField()


def day_in_range(day):
    """A day the history can filter by (wallet.dates.validate_day_in_range), as a 400."""
    try:
        validate_day_in_range(day)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class TransactionQuery(serializers.Serializer):
    type = serializers.ChoiceField(choices=TransactionType.values, required=False)
    status = serializers.ChoiceField(choices=TransactionStatus.values, required=False)
    start = serializers.DateField(
        required=False, help_text="From this day (YYYY-MM-DD).", validators=[day_in_range]
    )
    end = serializers.DateField(
        required=False, help_text="Up to and including this day.", validators=[day_in_range]
    )
    search = serializers.CharField(max_length=100, required=False, allow_blank=True)
    cursor = serializers.CharField(max_length=60, required=False, allow_blank=True)
    before = serializers.CharField(max_length=60, required=False, allow_blank=True)
    size = serializers.IntegerField(min_value=1, max_value=100, required=False, default=25)

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError("start must not be after end.")
        return attrs


class BankAccountInput(serializers.Serializer):
    bank_code = serializers.CharField(max_length=20)
    account_number = serializers.RegexField(
        r"^[0-9]{10}$", error_messages={"invalid": "An account number is 10 digits."}
    )
    pin = PinField()


class PayoutInput(serializers.Serializer):
    bank_account_id = id_field()
    amount = AmountField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pin = PinField()


class ScheduleInput(serializers.Serializer):
    """A settlement schedule's options; the schedule service checks that they fit together."""

    bank_account_id = id_field()
    schedule_type = serializers.ChoiceField(choices=ScheduleType.values)
    pin = PinField()
    time_of_day = serializers.CharField(max_length=8, required=False, help_text="HH:MM")
    day_of_week = serializers.CharField(
        max_length=10, required=False, allow_null=True, help_text="Weekly: monday … sunday."
    )
    day_of_month = serializers.IntegerField(
        min_value=1, max_value=31, required=False, allow_null=True
    )
    threshold_amount = AmountField(required=False, allow_null=True)
    amount_mode = serializers.ChoiceField(choices=AmountMode.values, required=False)
    fixed_amount = AmountField(required=False, allow_null=True)
    minimum_balance = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False
    )
    maximum_amount = AmountField(required=False, allow_null=True)

"""What v1 answers with: one serializer per resource (read-only), plus the error shape."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wallet.models import (
    BankAccount,
    Card,
    DedicatedAccount,
    Settlement,
    SettlementSchedule,
    Transaction,
)
from wallet.selectors import masked_name


class ErrorSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='Always "failed".')
    error = serializers.CharField(help_text="A stable, machine-readable code.")
    reason = serializers.CharField(help_text="What went wrong, written for a person.")


class WalletSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    currency = serializers.CharField()
    balance = serializers.DecimalField(max_digits=19, decimal_places=2)
    held = serializers.DecimalField(
        max_digits=19, decimal_places=2, help_text="Taken for payouts not yet final."
    )
    is_locked = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    balance = serializers.DecimalField(max_digits=19, decimal_places=2)
    held = serializers.DecimalField(max_digits=19, decimal_places=2)


def _money(**kwargs):
    return serializers.DecimalField(max_digits=19, decimal_places=2, **kwargs)


class LimitsSerializer(serializers.Serializer):
    """The wallet's KYC tier and what it allows today (null = no limit)."""

    currency = serializers.CharField()
    tier = serializers.IntegerField()
    tier_name = serializers.CharField()
    min_amount = _money()
    max_amount = _money()
    daily_outflow_limit = _money(allow_null=True)
    single_payment_limit = _money(allow_null=True)
    balance_cap = _money(allow_null=True)
    sent_today = _money()
    remaining_today = _money(allow_null=True)
    allows = serializers.ListField(child=serializers.CharField())
    over_tier = serializers.BooleanField(help_text="Inflows refused until back under the cap.")
    safety_mode_until = serializers.DateTimeField(allow_null=True)
    safety_mode_remaining = _money(allow_null=True)
    safety_mode_reason = serializers.CharField(
        help_text='"new_device", "cooling_off" (a credential changed) or "" (not in safety mode).'
    )
    new_bank_accounts_held_until = serializers.DateTimeField(allow_null=True)
    outflows_frozen = serializers.BooleanField(help_text="Frozen from a “This wasn't me” link.")
    next_tier = serializers.IntegerField(allow_null=True)


class TransactionSerializer(serializers.ModelSerializer):
    # The other wallet's shareable code, never its sequential id (that would let a caller count
    # customers and walk their wallets).
    counterparty_wallet_code = serializers.CharField(
        source="counterparty_wallet.public_code", allow_null=True, default=None
    )

    class Meta:
        model = Transaction
        fields = [
            "id",
            "reference",
            "transaction_type",
            "direction",
            "status",
            "amount",
            "fee",
            "currency",
            "channel",
            "description",
            "counterparty_wallet_code",
            "failure_reason",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class TransactionPageSerializer(serializers.Serializer):
    results = TransactionSerializer(many=True)
    next_cursor = serializers.CharField(help_text="Pass as ?cursor= for older rows; '' at end.")
    previous_cursor = serializers.CharField(help_text="Pass as ?before= for newer rows.")


class ReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    transaction_type = serializers.CharField()
    direction = serializers.CharField()
    status = serializers.CharField()
    amount = serializers.DecimalField(max_digits=19, decimal_places=2)
    fee = serializers.DecimalField(max_digits=19, decimal_places=2)
    total = serializers.DecimalField(max_digits=19, decimal_places=2)
    currency = serializers.CharField()
    counterparty = serializers.CharField(help_text="The other side's masked name, if any.")
    description = serializers.CharField()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class RecipientSerializer(serializers.Serializer):
    wallet_code = serializers.CharField(help_text="The wallet's shareable code.")
    name = serializers.CharField(help_text="Masked: first name and an initial.")


class TransferSerializer(TransactionSerializer):
    recipient_name = serializers.SerializerMethodField(help_text="Masked, as the lookup shows.")

    class Meta(TransactionSerializer.Meta):
        fields = [*TransactionSerializer.Meta.fields, "recipient_name"]
        read_only_fields = fields

    def get_recipient_name(self, transaction) -> str:
        other = transaction.counterparty_wallet
        return masked_name(other.user) if other else ""


_MONEY = serializers.DecimalField(max_digits=19, decimal_places=2)
_WHEN = serializers.DateTimeField()


def transfer_answer(transaction: Transaction) -> dict:
    """`TransferSerializer(transaction).data`, written out: the same keys and the same
    formatting (DRF's own fields), without building a ModelSerializer's fields on every
    transfer (a tenth of an API transfer's CPU). tests/api/v1 holds them equal."""
    other = transaction.counterparty_wallet
    return {
        "id": transaction.id,
        "reference": transaction.reference,
        "transaction_type": str(transaction.transaction_type),
        "direction": str(transaction.direction),
        "status": str(transaction.status),
        "amount": _MONEY.to_representation(transaction.amount),
        "fee": _MONEY.to_representation(transaction.fee),
        "currency": transaction.currency,
        "channel": str(transaction.channel),
        "description": transaction.description,
        "counterparty_wallet_code": other.public_code if other else None,
        "failure_reason": transaction.failure_reason,
        "created_at": _WHEN.to_representation(transaction.created_at),
        "completed_at": _WHEN.to_representation(transaction.completed_at),  # None stays None
        "recipient_name": masked_name(other.user) if other else "",
    }


class CheckoutSerializer(serializers.Serializer):
    status = serializers.CharField()
    reference = serializers.CharField()
    authorization_url = serializers.URLField()
    access_code = serializers.CharField()
    amount = serializers.DecimalField(max_digits=19, decimal_places=2)
    currency = serializers.CharField()


class DepositStatusSerializer(serializers.Serializer):
    reference = serializers.CharField()
    credited = serializers.BooleanField()
    message = serializers.CharField()
    transaction = TransactionSerializer()


class CardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Card
        fields = ["id", "brand", "last4", "exp_month", "exp_year", "bank", "is_default"]
        read_only_fields = fields


class CardChargeSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="success, paused (finish at authorization_url)…")
    message = serializers.CharField()
    reference = serializers.CharField()
    transaction_id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=19, decimal_places=2)
    authorization_url = serializers.CharField()


class DedicatedAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = DedicatedAccount
        fields = ["account_number", "account_name", "bank_name", "is_active", "created_at"]
        read_only_fields = fields


class BankSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ResolvedAccountSerializer(serializers.Serializer):
    account_number = serializers.CharField()
    account_name = serializers.CharField()
    bank_code = serializers.CharField()


class BankAccountSerializer(serializers.ModelSerializer):
    bank_code = serializers.CharField(source="bank.code")
    bank_name = serializers.CharField(source="bank.name")

    class Meta:
        model = BankAccount
        fields = [
            "id",
            "bank_code",
            "bank_name",
            "account_number",
            "account_name",
            "currency",
            "is_default",
            "created_at",
        ]
        read_only_fields = fields


class WithdrawalSerializer(TransactionSerializer):
    bank_account_id = serializers.IntegerField(source="payout.bank_account_id", default=None)
    transfer_code = serializers.CharField(source="payout.transfer_code", default="")

    class Meta(TransactionSerializer.Meta):
        fields = [*TransactionSerializer.Meta.fields, "bank_account_id", "transfer_code"]
        read_only_fields = fields


class SettlementSerializer(serializers.ModelSerializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    fee = serializers.DecimalField(max_digits=19, decimal_places=2)

    class Meta:
        model = Settlement
        fields = [
            "id",
            "reference",
            "status",
            "amount",
            "fee",
            "reason",
            "bank_account_id",
            "schedule_id",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:00"})
class WallClockTimeField(serializers.TimeField):
    """HH:MM in the site's time zone (OpenAPI's "time" format would demand an offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ScheduleSerializer(serializers.ModelSerializer):
    time_of_day = WallClockTimeField(help_text="Wall-clock time in the site's time zone.")

    class Meta:
        model = SettlementSchedule
        fields = [
            "id",
            "bank_account_id",
            "schedule_type",
            "time_of_day",
            "day_of_week",
            "day_of_month",
            "threshold_amount",
            "amount_mode",
            "fixed_amount",
            "minimum_balance",
            "maximum_amount",
            "is_active",
            "next_settlement",
            "last_run_at",
        ]
        read_only_fields = fields

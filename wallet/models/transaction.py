from decimal import Decimal

from django.db import models
from django.db.models import Q


class TransactionType(models.TextChoices):
    DEPOSIT = "deposit", "Deposit"
    WITHDRAWAL = "withdrawal", "Withdrawal"
    TRANSFER = "transfer", "Transfer"
    REFUND = "refund", "Refund"
    REVERSAL = "reversal", "Reversal"
    SETTLEMENT = "settlement", "Settlement"
    # A staff correction against a named system account (back office, maker-checker).
    ADJUSTMENT = "adjustment", "Adjustment"
    # Money held while a card deposit is disputed, released, or repaid after a lost dispute.
    DISPUTE = "dispute", "Card payment dispute"
    # Issue 24: to someone else's bank account (a Paystack transfer, the payout state machine).
    BANK_SEND = "bank_send", "Send to bank"


class Direction(models.TextChoices):
    CREDIT = "credit", "Money in"
    DEBIT = "debit", "Money out"


class TransactionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    OTP = "otp", "Awaiting OTP"
    SUCCESS = "success", "Successful"
    FAILED = "failed", "Failed"
    REVERSED = "reversed", "Reversed"
    ABANDONED = "abandoned", "Abandoned"


FINAL_STATUSES = frozenset(
    {
        TransactionStatus.SUCCESS,
        TransactionStatus.FAILED,
        TransactionStatus.REVERSED,
        TransactionStatus.ABANDONED,
    }
)
IN_FLIGHT_STATUSES = frozenset(
    {TransactionStatus.PENDING, TransactionStatus.PROCESSING, TransactionStatus.OTP}
)
# Money that leaves through a Paystack transfer (the payout state machine).
PAYOUT_TYPES = (TransactionType.WITHDRAWAL, TransactionType.SETTLEMENT, TransactionType.BANK_SEND)


class Channel(models.TextChoices):
    INTERNAL = "internal", "Wallet"
    CARD = "card", "Card"
    DEDICATED_NUBAN = "dedicated_nuban", "Bank transfer"
    BANK = "bank", "Bank account"


class Transaction(models.Model):
    """What a user sees in their history: one row per wallet involved in an operation.

    A transfer makes a debit row for the sender and a credit row for the receiver, linked by
    `related_transaction`; the ledger rows hang off the sender's row (the journal).
    """

    # Indexed by tx_wallet_history (wallet, -created_at, -id); an index on wallet alone would
    # only cost every insert.
    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="transactions", db_index=False
    )
    # Unique through a constraint rather than unique=True, which on PostgreSQL adds a second,
    # LIKE-pattern index; the history search's prefix match uses istartswith, which neither serves.
    reference = models.CharField(max_length=100)
    transaction_type = models.CharField(max_length=20, choices=TransactionType.choices)
    direction = models.CharField(max_length=6, choices=Direction.choices)
    status = models.CharField(
        max_length=12, choices=TransactionStatus.choices, default=TransactionStatus.PENDING
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.INTERNAL)
    amount = models.DecimalField(max_digits=19, decimal_places=2)
    fee = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=255, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # Not indexed: every read by counterparty starts from `wallet`, and wallets are never
    # deleted (PROTECT), so an index here would only cost each transfer two insertions.
    counterparty_wallet = models.ForeignKey(
        "wallet.Wallet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Indexed by tx_related, only where set: most rows (every transfer's sent row, deposits,
    # payouts) have none, and an entry for each would only cost the insert.
    related_transaction = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="related",
        db_index=False,
    )
    failure_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Pending card / bank deposits only: when the reconcile job next asks Paystack about it
    # (wallet/services/rechecks.py). Not indexed: the job reads through tx_in_flight.
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["wallet", "-created_at", "-id"], name="tx_wallet_history"),
            # What the reconcile jobs look for; settled rows (nearly all) stay out of it.
            models.Index(
                fields=["status", "transaction_type", "created_at"],
                name="tx_in_flight",
                condition=Q(status__in=["pending", "processing", "otp"]),
            ),
            # The back office's search by an amount a caller reads out, newest first (issue 21).
            models.Index(fields=["amount", "-id"], name="tx_amount_search"),
            models.Index(
                fields=["related_transaction"],
                name="tx_related",
                condition=Q(related_transaction__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="tx_reference_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tx_amount_positive"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="tx_fee_not_negative"),
        ]

    def __str__(self):
        from wallet.templatetags.wallet_web import money

        kind = self.get_transaction_type_display()
        return f"{self.reference} {kind} {money(self.amount, self.currency)}"

    @classmethod
    def transfer_pair(cls, *, sender, receiver, amount, fee, reference, description, metadata, at):
        """The sender's and receiver's rows of a wallet-to-wallet transfer, not yet saved
        (both transfer paths, ORM and SQL function, describe the same rows through this)."""
        common = cls._transfer_common(sender, description, metadata, at)
        sent = cls._transfer_sent(sender, receiver, amount, fee, reference, common)
        received = cls(
            wallet=receiver,
            reference=f"{reference}-in",
            direction=Direction.CREDIT,
            amount=amount - fee.paid_by_recipient,
            fee=fee.paid_by_recipient,
            counterparty_wallet=sender,
            **common,
        )
        return sent, received

    @classmethod
    def transfer_sent(cls, *, sender, receiver, amount, fee, reference, description, metadata, at):
        """The sender's row alone, as transfer_pair describes it: what the SQL function's
        caller returns, without building the receiver's row it never reads."""
        common = cls._transfer_common(sender, description, metadata, at)
        return cls._transfer_sent(sender, receiver, amount, fee, reference, common)

    @staticmethod
    def _transfer_common(sender, description, metadata, at):
        return {
            "transaction_type": TransactionType.TRANSFER,
            "status": TransactionStatus.SUCCESS,
            "channel": Channel.INTERNAL,
            "currency": sender.currency,
            "description": description or "",
            "metadata": metadata or {},
            "failure_reason": "",
            "created_at": at,
            "completed_at": at,
        }

    @classmethod
    def _transfer_sent(cls, sender, receiver, amount, fee, reference, common):
        return cls(
            wallet=sender,
            reference=reference,
            direction=Direction.DEBIT,
            amount=amount,
            fee=fee.paid_by_sender,
            counterparty_wallet=receiver,
            **common,
        )

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES

    @property
    def signed_amount(self):
        return self.amount if self.direction == Direction.CREDIT else -self.amount

    @property
    def total_debited(self):
        """What left the wallet for a debit: the amount plus the fee the sender bore."""
        return self.amount + self.fee

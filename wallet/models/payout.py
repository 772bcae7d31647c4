from django.db import models


class Payout(models.Model):
    """The Paystack side of a withdrawal or settlement: one transfer, one reference, forever.

    The money state lives on the Transaction (`transaction.status`, LEDGER.md's payout state
    machine); this row keeps what is needed to talk to Paystack about it. The reference is the
    transfer's idempotency key: a retry re-sends the same one, never a new one.
    """

    transaction = models.OneToOneField(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="payout"
    )
    # The wallet's own account (withdrawal, settlement) or, for a send to bank, a beneficiary:
    # exactly one of the two (payout_has_one_destination).
    bank_account = models.ForeignKey(
        "wallet.BankAccount",
        on_delete=models.PROTECT,
        related_name="payouts",
        null=True,
        blank=True,
    )
    beneficiary = models.ForeignKey(
        "wallet.Beneficiary",
        on_delete=models.PROTECT,
        related_name="payouts",
        null=True,
        blank=True,
    )
    reference = models.CharField(max_length=50, unique=True)
    recipient_code = models.CharField(max_length=64)
    amount_kobo = models.BigIntegerField()
    reason = models.CharField(max_length=200, blank=True)
    transfer_code = models.CharField(max_length=64, blank=True, db_index=True)
    paystack_status = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # While open: when the reconcile job next verifies it (wallet/services/rechecks.py).
    next_check_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_kobo__gt=0), name="payout_amount_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(bank_account__isnull=False, beneficiary__isnull=True)
                    | models.Q(bank_account__isnull=True, beneficiary__isnull=False)
                ),
                name="payout_has_one_destination",
            ),
        ]

    def __str__(self):
        return f"Payout {self.reference}"

    @property
    def destination(self):
        """Where the money goes: the BankAccount or the Beneficiary (both have bank,
        account_name, account_number, masked_number)."""
        return self.bank_account if self.bank_account_id else self.beneficiary

    @property
    def status(self) -> str:
        return self.transaction.status

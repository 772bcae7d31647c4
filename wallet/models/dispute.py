from decimal import Decimal

from django.db import models
from django.db.models import F, Q

ZERO = Decimal("0.00")


class Dispute(models.Model):
    """A card deposit disputed by the payer's bank (Paystack's Disputes API), and the money it
    holds (docs/disputes.md).

    When it opens, `held` is taken from the wallet the deposit funded into `disputes_held`;
    `not_covered` (what the wallet no longer held) is put there too, against
    `dispute_exposure`. `held + not_covered == amount`. It ends once: won (everything goes
    back where it came from) or lost (`lost_amount` leaves through Paystack clearing; what the
    hold did not cover, `shortfall`, stays exposure until `recovered` or `written_off`).
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    paystack_id = models.BigIntegerField(unique=True)
    deposit = models.ForeignKey(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="disputes"
    )
    wallet = models.ForeignKey("wallet.Wallet", on_delete=models.PROTECT, related_name="disputes")
    # The customer's history rows: the hold (debit) and what came back (credit).
    hold = models.OneToOneField(
        "wallet.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_hold",
    )
    release = models.OneToOneField(
        "wallet.Transaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_release",
    )
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=19, decimal_places=2)
    held = models.DecimalField(max_digits=19, decimal_places=2, default=ZERO)
    not_covered = models.DecimalField(max_digits=19, decimal_places=2, default=ZERO)
    lost_amount = models.DecimalField(max_digits=19, decimal_places=2, default=ZERO)
    shortfall = models.DecimalField(max_digits=19, decimal_places=2, default=ZERO)
    recovered = models.DecimalField(max_digits=19, decimal_places=2, default=ZERO)
    written_off = models.DecimalField(max_digits=19, decimal_places=2, default=ZERO)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # Paystack's own words: awaiting-merchant-feedback ... resolved; merchant-accepted, declined.
    paystack_status = models.CharField(max_length=40, blank=True)
    resolution = models.CharField(max_length=40, blank=True)
    category = models.CharField(max_length=40, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    evidence_id = models.BigIntegerField(null=True, blank=True)
    evidence_sent_at = models.DateTimeField(null=True, blank=True)
    uploaded_filename = models.CharField(max_length=200, blank=True)
    # Where the disputed checkout came from, as Paystack recorded it (evidence).
    checkout_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        permissions = [("handle_dispute", "Can answer card-payment disputes (Finance)")]
        indexes = [models.Index(fields=["status", "due_at"], name="dispute_queue")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dispute_amount_positive"),
            models.CheckConstraint(
                condition=Q(held__gte=0) & Q(not_covered__gte=0), name="dispute_parts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(held=F("amount") - F("not_covered")), name="dispute_parts_sum"
            ),
            models.CheckConstraint(
                condition=Q(lost_amount__gte=0)
                & Q(shortfall__gte=0)
                & Q(recovered__gte=0)
                & Q(written_off__gte=0),
                name="dispute_outcome_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(recovered__lte=F("shortfall") - F("written_off")),
                name="dispute_recovery_within_shortfall",
            ),
        ]

    def __str__(self):
        return f"Dispute {self.paystack_id} on {self.deposit_id} ({self.status})"

    # What the back office's audit entries record before and after an action on it.
    AUDITED_FIELDS = ["status", "held", "not_covered", "uploaded_filename", "evidence_id"]

    @property
    def audit_customer(self):
        return self.wallet.user

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def outstanding(self) -> Decimal:
        """What the customer still owes after a loss (the exposure not yet settled)."""
        return self.shortfall - self.recovered - self.written_off

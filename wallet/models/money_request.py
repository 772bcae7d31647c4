import secrets

from django.db import models
from django.db.models import Q


class MoneyRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting"
    PAID = "paid", "Paid"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


def new_request_token() -> str:
    return secrets.token_urlsafe(12)


class MoneyRequest(models.Model):
    """One customer asks another (or, by its link, anyone) for a fixed amount (issue 24).

    Paid at most once: the payment locks this row and moves it from `open` to `paid` in the
    transaction that moves the money. Past `expires_at` an open request reads as expired and
    can no longer be paid.
    """

    requester = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="money_requests_made"
    )
    payer = models.ForeignKey(
        "wallet.Wallet",
        on_delete=models.PROTECT,
        related_name="money_requests_received",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(max_digits=19, decimal_places=2)
    note = models.CharField(max_length=140, blank=True)
    status = models.CharField(
        max_length=10, choices=MoneyRequestStatus.choices, default=MoneyRequestStatus.OPEN
    )
    token = models.CharField(max_length=32, unique=True, default=new_request_token)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The requester's credit row once paid (a transfer in, or a link payment's deposit).
    paid_transaction = models.OneToOneField(
        "wallet.Transaction",
        on_delete=models.PROTECT,
        related_name="paid_request",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["payer", "status", "-created_at"], name="request_inbox"),
            models.Index(fields=["requester", "-created_at"], name="request_outbox"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="request_amount_positive"),
            models.CheckConstraint(
                condition=~Q(payer=models.F("requester")), name="request_not_to_yourself"
            ),
            models.CheckConstraint(
                condition=Q(status="paid", paid_transaction__isnull=False)
                | (~Q(status="paid") & Q(paid_transaction__isnull=True)),
                name="request_paid_has_its_payment",
            ),
        ]

    def __str__(self):
        return f"Request {self.pk} for {self.amount}"


class RequestBlock(models.Model):
    """A customer who no longer accepts money requests from another."""

    blocker = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="request_blocks"
    )
    blocked = models.ForeignKey("wallet.Wallet", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="request_block_once")
        ]

    def __str__(self):
        return f"{self.blocker_id} blocks requests from {self.blocked_id}"

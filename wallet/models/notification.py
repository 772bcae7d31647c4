"""What a customer is told: in-app notifications (the bell) and the e-mails that go with them,
and each customer's choices about them (issue 23)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now


class NotificationKind(models.TextChoices):
    MONEY_IN = "money_in", "Money received"
    MONEY_OUT = "money_out", "Money sent"
    PAYOUT = "payout", "Withdrawals to your bank"
    REFUND = "refund", "Refunds"
    HOLD = "hold", "Money on hold"
    SECURITY = "security", "Security"
    LOW_BALANCE = "low_balance", "Low balance"
    REQUEST = "request", "Money requests"


# Security notices always reach the customer by e-mail too: they cannot be turned off.
ALWAYS_EMAILED = frozenset({NotificationKind.SECURITY})


class Notification(models.Model):
    """One event told to one customer. `event_key` names the event (e.g. "money_in:trf_…"):
    unique per user, so the same event recorded twice is one notification and one e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    event_key = models.CharField(max_length=120)
    title = models.CharField(max_length=140)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    transaction = models.ForeignKey(
        "wallet.Transaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # email/<email_template>.txt: "notification" (title and body), or a fuller one of its own.
    email_template = models.CharField(max_length=40, default="notification")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event_key"], name="notification_once_per_event"
            )
        ]
        indexes = [
            # The bell's unread count: one index-only count per poll.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["user", "-created_at", "-id"], name="notification_list"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user_id}: {self.title}"


class NotificationSettings(models.Model):
    """A customer's choices: which kinds also come by e-mail, and the low-balance threshold."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    emails_off = models.JSONField(default=list, blank=True)  # kinds not e-mailed
    low_balance_below = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(low_balance_below__isnull=True) | Q(low_balance_below__gt=0),
                name="low_balance_threshold_positive",
            )
        ]

    def __str__(self):
        return f"Notification settings of {self.user_id}"

    def emails(self, kind: str) -> bool:
        return kind in ALWAYS_EMAILED or kind not in (self.emails_off or [])


class TransferNotice(models.Model):
    """A transfer whose two notifications are not written yet: a transactional outbox.

    The transfer adds its row in its own database transaction (on PostgreSQL in the same
    statement as the wallet_transfer() call), so the money never commits without it and a
    crash after the commit cannot lose it. The webhook worker (and a schedule, should no worker
    run) writes the notifications and deletes the row. A transfer pays one small insert, where
    a task per transfer cost it a second transaction, a pickle and a connection check
    (docs/PERFORMANCE.md, "Transfers")."""

    # The primary key: one notice per transfer, and one index to maintain, not two.
    transaction = models.OneToOneField(
        "wallet.Transaction", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    created_at = models.DateTimeField(db_default=Now())
    attempts = models.PositiveSmallIntegerField(db_default=0)

    def __str__(self):
        return f"Transfer {self.transaction_id} to tell"

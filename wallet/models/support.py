from django.conf import settings
from django.db import models
from django.db.models import Q


class SupportCase(models.Model):
    """A customer's "Report a problem" on one of their transactions: a back-office queue item
    with its own status and messages. Staff change it only through StaffActions (audited)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_cases"
    )
    transaction = models.ForeignKey(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="support_cases"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="support_case_queue")]
        permissions = [("answer_support_case", "Can answer and close customers' problem reports")]

    AUDITED_FIELDS = ["status"]

    def __str__(self):
        return f"Case {self.pk} on {self.transaction.reference} ({self.status})"

    @property
    def audit_customer(self):
        return self.user


class SupportMessage(models.Model):
    """One message of a case: the customer's words, or staff's answer (shown to the customer)."""

    class Sender(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        STAFF = "staff", "Support"

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="support_message_not_empty")
        ]

    def __str__(self):
        return f"{self.get_sender_display()} on case {self.case_id}"

"""The back office's audit trail: one append-only entry per staff action, and the permissions
(by role, docs/backoffice.md) that those actions check."""

from django.conf import settings
from django.db import models

from wallet.models.ledger import AppendOnlyQuerySet, AppendOnlyRows


class AuditOutcome(models.TextChoices):
    DONE = "done", "Done"
    REFUSED = "refused", "Refused"
    REQUESTED = "requested", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# The actions staff may take, each a permission on AuditEntry ("wallet.<codename>").
BACKOFFICE_PERMISSIONS = [
    ("view_dashboard", "Can see the back-office dashboard"),
    ("lock_wallet", "Can lock and unlock wallets"),
    ("deactivate_customer", "Can deactivate a customer"),
    ("reverse_transfer", "Can reverse an internal transfer"),
    ("refund_deposit", "Can refund a card deposit"),
    ("adjust_balance", "Can request a manual credit or debit"),
    ("approve_request", "Can approve or reject another user's request"),
    ("reverify_charge", "Can re-verify a pending charge"),
    ("retry_payout", "Can verify or retry a payout and a settlement"),
    ("enter_transfer_otp", "Can enter the OTP of a Paystack transfer"),
    ("reprocess_webhook", "Can reprocess a webhook event"),
    ("pause_schedule", "Can pause a settlement schedule"),
    ("sync_banks", "Can sync the bank list"),
    ("run_ledger_check", "Can run the ledger check"),
    ("run_reconciliation", "Can run the reconciliation with Paystack"),
    ("export_audit", "Can export the audit log"),
    ("resend_email", "Can resend a customer's e-mails"),
    ("request_access_change", "Can request a change to staff access (roles, flags, role rights)"),
    ("approve_access_change", "Can approve or reject another person's access-change request"),
]


class AuditEntry(AppendOnlyRows, models.Model):
    """Who did what to which row, why, for how much, and what it looked like before and after.

    Rows are never updated or deleted (as LedgerEntry): a mistake is answered by a new action.
    """

    append_only_message = "Audit entries are append-only."

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    action = models.CharField(max_length=40, db_index=True)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    # The customer the action concerns, so their page lists it with one indexed query.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        null=True,
        blank=True,
    )
    reason = models.TextField()
    amount = models.DecimalField(max_digits=19, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    approval = models.ForeignKey(
        "wallet.ApprovalRequest",
        on_delete=models.PROTECT,
        related_name="audit_entries",
        null=True,
        blank=True,
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        permissions = BACKOFFICE_PERMISSIONS
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self):
        from wallet.dates import lagos_time

        return f"{lagos_time(self.created_at)} {self.action} {self.target_repr}"

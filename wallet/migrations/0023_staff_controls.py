"""Staff controls (issue 19).

- Staff words stay with staff: adjustment and reversal rows written before showed the staff
  reason (and the approval note) to the customer in their description. Their description
  becomes the fixed customer-facing words; the reason is kept in metadata.
- Access changes by two people: the permissions to request and to approve one, and the
  "Access approver" role holding both (one member requests, another approves).
"""

import importlib

from django.db import migrations
from django.db.models import Q

ROLES = importlib.import_module("wallet.migrations.0017_backoffice_roles")
ACCESS_APPROVER = "Access approver"
ACCESS_APPROVER_PERMISSIONS = [
    ("wallet", "view_dashboard"), ("accounts", "view_user"), ("auth", "view_group"),
    ("wallet", "view_approvalrequest"), ("wallet", "view_auditentry"),
    ("wallet", "request_access_change"), ("wallet", "approve_access_change"),
]  # fmt: skip

ADJUSTMENT = {"credit": "Correction from Paystack Wallet", "debit": "Correction by Paystack Wallet"}
REVERSED = {"transfer": "Transfer reversed", "payment": "Payment reversed"}


def fixed_words(apps, schema_editor):
    Transaction = apps.get_model("wallet", "Transaction")
    for direction, words in ADJUSTMENT.items():
        Transaction.objects.filter(transaction_type="adjustment", direction=direction).exclude(
            description=words
        ).update(description=words)
    reversals = Transaction.objects.filter(transaction_type="reversal").filter(
        Q(description__contains=":") | Q(description__startswith="Reversal of")
    )
    for row in reversals.select_related("related_transaction").iterator(chunk_size=500):
        kind = getattr(row.related_transaction, "transaction_type", "transfer")
        words = REVERSED.get(kind, f"{kind.capitalize()} reversed")
        Transaction.objects.filter(pk=row.pk).update(description=words)


def create_access_approver(apps, schema_editor):
    ROLES.create_all_permissions(apps)  # the new codenames exist before a migrate's end
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    role, _ = Group.objects.get_or_create(name=ACCESS_APPROVER)
    for app_label, codename in ACCESS_APPROVER_PERMISSIONS:
        role.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_access_approver(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ACCESS_APPROVER).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0022_transfer_function_checks_recipient"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
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
                    (
                        "request_access_change",
                        "Can request a change to staff access (roles, flags, role rights)",
                    ),
                    (
                        "approve_access_change",
                        "Can approve or reject another person's access-change request",
                    ),
                ],
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.RunPython(fixed_words, migrations.RunPython.noop),
        migrations.RunPython(create_access_approver, remove_access_approver),
    ]

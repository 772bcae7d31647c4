"""Support resends customers' e-mails; Finance edits the KYC tiers' limits and sees the
customers' identification requests, to decide the NIN reviews (docs/backoffice.md)."""

import importlib

from django.db import migrations

ROLES = importlib.import_module("wallet.migrations.0017_backoffice_roles")

GRANTS = {
    "Support": ["resend_email"],
    "Finance": ["change_kyctier", "view_customeridentification"],
}


def role_grants(grants: dict):
    """grant and revoke for {role name: [new permission codenames]}: each role this database
    has gains (or, going back, loses) them. Later migrations that grant new permissions to the
    roles use this too."""

    def roles_and_permissions(apps):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for name, codenames in grants.items():
            group = Group.objects.filter(name=name).first()
            if group is not None:
                yield group, Permission.objects.filter(
                    content_type__app_label="wallet", codename__in=codenames
                )

    def grant(apps, schema_editor):
        ROLES.create_all_permissions(apps)  # the new codenames exist before a migrate's end
        for group, permissions in roles_and_permissions(apps):
            group.permissions.add(*permissions)

    def revoke(apps, schema_editor):
        for group, permissions in roles_and_permissions(apps):
            group.permissions.remove(*permissions)

    return grant, revoke


grant, revoke = role_grants(GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0018_backoffice_dashboard_indexes"),
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
                ],
                "verbose_name_plural": "audit entries",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]

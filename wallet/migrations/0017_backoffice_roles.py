"""The staff roles as groups (docs/backoffice.md has the matrix). Daily work needs no superuser."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CUSTOMER_READS = [
    "accounts.view_user",
    "wallet.view_dashboard",
    "wallet.view_wallet",
    "wallet.view_transaction",
    "wallet.view_card",
    "wallet.view_bankaccount",
    "wallet.view_payout",
    "wallet.view_settlement",
    "wallet.view_settlementschedule",
    "wallet.view_settlementrun",
    "wallet.view_refund",
    "wallet.view_refundabledeposit",
    "wallet.view_dedicatedaccount",
]
ROLES = {
    "Support": CUSTOMER_READS + ["wallet.lock_wallet", "wallet.deactivate_customer"],
    "Finance": CUSTOMER_READS
    + [
        "wallet.view_ledgerentry",
        "wallet.view_ledgercheck",
        "wallet.view_webhookevent",
        "wallet.view_chargeanomaly",
        "wallet.view_auditentry",
        "wallet.export_audit",
        "wallet.view_approvalrequest",
        "wallet.view_feerule",
        "wallet.change_feerule",
        "wallet.refund_deposit",
        "wallet.reverse_transfer",
        "wallet.adjust_balance",
        "wallet.approve_request",
        "wallet.reverify_charge",
        "wallet.retry_payout",
        "wallet.enter_transfer_otp",
        "wallet.run_reconciliation",
        "wallet.view_reconciliationrun",
        "wallet.view_reconciliationmismatch",
        "wallet.override_tier",
        "wallet.view_kyctier",
        "wallet.view_tierchange",
    ],
    "Operations": [
        "wallet.view_dashboard",
        "wallet.view_webhookevent",
        "wallet.reprocess_webhook",
        "wallet.view_settlementschedule",
        "wallet.add_settlementschedule",
        "wallet.change_settlementschedule",
        "wallet.view_settlementrun",
        "wallet.pause_schedule",
        "wallet.view_bank",
        "wallet.sync_banks",
        "wallet.view_ledgercheck",
        "wallet.run_ledger_check",
    ],
}


def create_all_permissions(apps):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None


def create_roles(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(dotted):
        app_label, codename = dotted.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for name, dotted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permission(p) for p in dotted])
    # The Auditor reads everything (the audit log included) and changes nothing.
    reads = Permission.objects.filter(
        codename__startswith="view_", content_type__app_label__in=["wallet", "accounts", "auth"]
    )
    auditor, _ = Group.objects.get_or_create(name="Auditor")
    auditor.permissions.set([*reads, permission("wallet.export_audit")])


def first_versions(apps, schema_editor):
    write_first_versions(apps, ("FeeRule", "SettlementSchedule"))


def write_first_versions(apps, model_names):
    """A first history row for each existing row of `model_names` (fee rules and schedules
    here, the KYC tiers in 0021), so the first change made in the back office shows what it
    changed from."""
    from django.utils import timezone

    for name in model_names:
        model = apps.get_model("wallet", name)
        history = apps.get_model("wallet", f"Historical{name}")
        names = [f.attname for f in model._meta.concrete_fields]
        history.objects.bulk_create(
            history(
                **{n: getattr(row, n) for n in names},
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="Version before the back office kept history",
            )
            for row in model.objects.all()
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLES, "Auditor"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0016_backoffice_audit_approvals_history"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]

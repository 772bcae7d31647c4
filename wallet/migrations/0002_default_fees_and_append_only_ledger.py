from decimal import Decimal

from django.db import migrations

# Withdrawals and settlements: ₦10 up to ₦5,000, ₦25 up to ₦50,000, ₦50 above.
# Transfers and internal payments are free (no rule).
PAYOUT_BANDS = [
    (Decimal("0.00"), Decimal("5000.00"), Decimal("10.00")),
    (Decimal("5000.01"), Decimal("50000.00"), Decimal("25.00")),
    (Decimal("50000.01"), None, Decimal("50.00")),
]

POSTGRES_TRIGGER = """
CREATE OR REPLACE FUNCTION wallet_ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON wallet_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION wallet_ledger_entry_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON wallet_ledgerentry;
DROP FUNCTION IF EXISTS wallet_ledger_entry_append_only();
"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON wallet_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only (UPDATE refused)'); END;""",
    """CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON wallet_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only (DELETE refused)'); END;""",
]


def add_default_fee_rules(apps, schema_editor):
    FeeRule = apps.get_model("wallet", "FeeRule")
    for operation in ("withdrawal", "settlement"):
        for low, high, flat in PAYOUT_BANDS:
            FeeRule.objects.create(
                transaction_type=operation, min_amount=low, max_amount=high, flat=flat
            )


def remove_default_fee_rules(apps, schema_editor):
    apps.get_model("wallet", "FeeRule").objects.filter(
        transaction_type__in=["withdrawal", "settlement"]
    ).delete()


def add_append_only_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRIGGER, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def drop_append_only_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_entry_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_entry_no_delete")


class Migration(migrations.Migration):
    dependencies = [("wallet", "0001_initial")]

    operations = [
        migrations.RunPython(add_default_fee_rules, remove_default_fee_rules),
        migrations.RunPython(add_append_only_triggers, drop_append_only_triggers),
    ]

"""Account security (issue 20): why safety mode is on, when the credentials last changed (the
cooling-off), and the "This wasn't me" freeze of outflows, which wallet_transfer() now refuses
with SQLSTATE WL425 right after its lock check (wallet.services.ledger.transfer_sql maps it)."""

import importlib

from django.db import migrations, models

SIGNATURE = importlib.import_module("wallet.migrations.0006_transfer_function")
PREVIOUS = importlib.import_module("wallet.migrations.0022_transfer_function_checks_recipient")

LOCKED = """    IF s.is_locked THEN
        RAISE EXCEPTION 'sender locked' USING ERRCODE = 'WL423';
    END IF;
"""
FROZEN = """    IF s.outflows_frozen_at IS NOT NULL THEN
        RAISE EXCEPTION 'sender frozen' USING ERRCODE = 'WL425';
    END IF;
"""
assert LOCKED in PREVIOUS.CREATE
CREATE = PREVIOUS.CREATE.replace(LOCKED, LOCKED + FROZEN)


def replace_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIGNATURE.DROP, params=None)
        schema_editor.execute(CREATE, params=None)


def restore_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIGNATURE.DROP, params=None)
        schema_editor.execute(PREVIOUS.CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0023_staff_controls")]

    operations = [
        migrations.AddField(
            model_name="wallet",
            name="safety_reason",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="wallet",
            name="credentials_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="wallet",
            name="outflows_frozen_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(replace_function, restore_function),
    ]

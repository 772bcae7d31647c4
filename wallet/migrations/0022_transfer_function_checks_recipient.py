"""wallet_transfer() also refuses a recipient whose account is deactivated (finding 9).

Until now the Python side asked first, in a query of its own: half the time of a transfer on
the SQL-function path (bench/transfers.py: 947 transfers/s with it, on 2 cores). The check now
reads the recipient's user inside the function, right after the wallets are locked, and
refuses with SQLSTATE WL410 (wallet.services.ledger.transfer_sql maps it to
RecipientDeactivated). The ORM path keeps its own check.
"""

import importlib

from django.db import migrations

SIGNATURE = importlib.import_module("wallet.migrations.0006_transfer_function")
PREVIOUS = importlib.import_module(
    "wallet.migrations.0013_outflows_tier_checks_in_transfer_function"
)

FOUND = """    IF s.id IS NULL OR r.id IS NULL THEN
        RAISE EXCEPTION 'wallet not found' USING ERRCODE = 'WL404';
    END IF;
"""
ACTIVE = """    IF NOT EXISTS (SELECT 1 FROM accounts_user WHERE id = r.user_id AND is_active) THEN
        RAISE EXCEPTION 'recipient deactivated' USING ERRCODE = 'WL410';
    END IF;
"""
assert FOUND in PREVIOUS.CREATE
CREATE = PREVIOUS.CREATE.replace(FOUND, FOUND + ACTIVE)


def replace_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIGNATURE.DROP, params=None)
        schema_editor.execute(CREATE, params=None)


def restore_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIGNATURE.DROP, params=None)
        schema_editor.execute(PREVIOUS.CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0021_kyc_tier_history"), ("accounts", "0003_customer_phone_handle")]

    operations = [migrations.RunPython(replace_function, restore_function)]

"""Operations (issue 21): staff notes, Paystack calls, alert digests; webhook events carry
their reference and customer and can be acknowledged; indexes for the back office's global
search: trigram indexes (pg_trgm) on UPPER(reference) and e-mail so a fragment in any case is
found without reading the table (PostgreSQL only: SQLite has no pg_trgm and small tables)."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GRANT_HELPERS = importlib.import_module("wallet.migrations.0019_backoffice_email_and_tier_roles")

GRANTS = {
    "Support": ["add_customernote", "view_customernote"],
    "Finance": ["add_customernote", "view_customernote", "view_paystackcall", "view_alertdigest"],
    "Operations": ["view_paystackcall", "view_alertdigest"],
}

# (index name, table, column): GIN trigram indexes on UPPER(column), which is what Django's
# icontains compares on PostgreSQL ("UPPER(col::text) LIKE UPPER('%frag%')").
TRIGRAM_INDEXES = [
    ("tx_reference_trgm", "wallet_transaction", "reference"),
    ("payout_reference_trgm", "wallet_payout", "reference"),
    ("webhook_reference_trgm", "wallet_webhookevent", "reference"),
    ("user_email_trgm", "accounts_user", "email"),
    ("user_first_name_trgm", "accounts_user", "first_name"),
    ("user_last_name_trgm", "accounts_user", "last_name"),
]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


grant, revoke = GRANT_HELPERS.role_grants(GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0024_account_security"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AlertDigest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("keys", models.JSONField(default=list)),
                ("body", models.TextField()),
                ("recipients", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "get_latest_by": "created_at",
            },
        ),
        migrations.CreateModel(
            name="CustomerNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="PaystackCall",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("method", models.CharField(max_length=6)),
                ("path", models.CharField(max_length=200)),
                ("reference", models.CharField(db_index=True, max_length=100)),
                ("http_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("ok", "Answered"),
                            ("refused", "Refused by Paystack"),
                            ("unavailable", "No answer (error or timeout)"),
                        ],
                        max_length=12,
                    ),
                ),
                ("message", models.CharField(blank=True, max_length=255)),
                ("latency_ms", models.PositiveIntegerField(default=0)),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="webhookevent",
            name="customer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="webhookevent",
            name="reference",
            field=models.CharField(blank=True, db_index=True, default="", max_length=100),
        ),
        migrations.AlterField(
            model_name="webhookevent",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("processing", "Processing"),
                    ("processed", "Processed"),
                    ("failed", "Failed (will be retried)"),
                    ("refused", "Refused (needs staff attention)"),
                    ("ignored", "Ignored (event not used)"),
                    ("rejected", "Rejected (not from Paystack)"),
                    ("acknowledged", "Acknowledged by staff"),
                ],
                default="received",
                max_length=12,
            ),
        ),
        migrations.AddIndex(
            model_name="bankaccount",
            index=models.Index(fields=["account_number"], name="bank_account_number"),
        ),
        migrations.AddIndex(
            model_name="card",
            index=models.Index(fields=["last4"], name="card_last4"),
        ),
        migrations.AddField(
            model_name="customernote",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="customernote",
            name="customer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff_notes",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="customernote",
            index=models.Index(fields=["customer", "-created_at"], name="note_customer"),
        ),
        migrations.AddIndex(
            model_name="transaction",
            index=models.Index(fields=["amount", "-id"], name="tx_amount_search"),
        ),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(grant, revoke),
    ]

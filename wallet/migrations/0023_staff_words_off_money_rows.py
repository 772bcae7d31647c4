"""Staff words stay with staff (issue 19): adjustment and reversal rows written before showed
the staff reason (and the approval note) to the customer in their description. Their
description becomes the fixed customer-facing words; the reason is kept in metadata."""

from django.db import migrations
from django.db.models import Q

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


class Migration(migrations.Migration):
    dependencies = [("wallet", "0022_transfer_function_checks_recipient")]

    operations = [migrations.RunPython(fixed_words, migrations.RunPython.noop)]

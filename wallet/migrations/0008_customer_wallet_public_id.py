"""A random public id for each wallet, shared instead of the sequential primary key.

Added nullable, filled for existing wallets, then made unique and required (Django's recipe
for adding a unique field to a table that has rows).
"""

from django.db import migrations, models

from wallet.models.wallet import new_public_id


def fill_public_ids(apps, schema_editor):
    Wallet = apps.get_model("wallet", "Wallet")
    taken = set()
    for pk in Wallet.objects.filter(public_id__isnull=True).values_list("pk", flat=True):
        code = new_public_id()
        while code in taken:  # 1 in 10**15 per pair, but a migration must not fail on it
            code = new_public_id()
        taken.add(code)
        Wallet.objects.filter(pk=pk).update(public_id=code)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0007_fewer_indexes_on_hot_tables")]

    operations = [
        migrations.AddField(
            model_name="wallet",
            name="public_id",
            field=models.CharField(max_length=10, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="wallet",
            name="public_id",
            field=models.CharField(
                default=new_public_id, max_length=10, unique=True
            ),
        ),
    ]

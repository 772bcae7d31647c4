"""Databases migrated before 0002 created the production cache tables whatever the settings:
create any that is missing now (`django_cache`, `django_cache_workers`). Idempotent."""

from django.db import migrations


def create_cache_tables(apps, schema_editor):
    from walletsite.cache_tables import create_tables

    create_tables(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_customer_phone_handle")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]

"""Creates the database cache tables, so `migrate` alone prepares a deployment.

settings.CACHES uses Django's database cache where state must be shared between processes
(rate limits in production, the worker heartbeat). The tables of the production defaults are
created whatever the settings of the moment (a database migrated in development mode and
served in production mode still has them), plus any other database cache configured now.
"""

from django.db import migrations


def create_cache_tables(apps, schema_editor):
    from walletsite.cache_tables import create_tables

    create_tables(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]

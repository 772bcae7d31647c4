"""Creates the database cache tables, so `migrate` alone prepares a deployment.

settings.CACHES uses Django's database cache where state must be shared between processes
(rate limits in production, the worker heartbeat). Caches of other kinds are skipped.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

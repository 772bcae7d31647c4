"""Creates the database cache table, so `migrate` alone prepares a deployment.

The default cache (settings.CACHES) is Django's database cache: login rate limits and the
worker heartbeat must be shared between processes. With CACHE_URL=redis://... this is a no-op.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]

"""The database-cache tables: created by `migrate` whatever the settings of the moment, and
reported by /healthz and `check --deploy` when one the current settings use is missing.

A database migrated under development settings (a memory cache) and then served in production
mode (the database cache) must still have its tables: so `migrate` always creates the tables
the production defaults name, plus any other database cache configured when it runs.
"""

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections

# The tables named by the production defaults of CACHE_URL and WORKER_CACHE_URL (settings.py).
PRODUCTION_TABLES = ("django_cache", "django_cache_workers")
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def configured_tables() -> list[str]:
    """The database-cache tables the current settings use (none when every cache is Redis)."""
    caches = settings.CACHES.values()
    return sorted({cache["LOCATION"] for cache in caches if cache["BACKEND"] == DATABASE_CACHE})


def create_tables(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Create each production table and each configured one that does not exist yet."""
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    for table in sorted({*PRODUCTION_TABLES, *configured_tables()}):
        command.create_table(alias, table, dry_run=False)


def missing_tables(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Configured database-cache tables the database does not have."""
    wanted = configured_tables()
    if not wanted:
        return []
    present = set(connections[alias].introspection.table_names())
    return [table for table in wanted if table not in present]


def explain(missing: list[str]) -> str:
    return (
        f"Cache table {', '.join(missing)} missing from the database: run "
        "`manage.py migrate` (or `manage.py createcachetable`)."
    )


@checks.register(checks.Tags.caches, deploy=True)
def check_cache_tables(app_configs=None, **kwargs):
    """check --deploy: a migrated database without a cache table the settings use (a 500 on
    the first login otherwise). Says nothing when the database is unreachable or not
    migrated at all: `migrate` creates the tables."""
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        if "django_migrations" not in connection.introspection.table_names():
            return []
        missing = missing_tables()
    except Exception:  # unreachable: other checks and /healthz say so
        return []
    if not missing:
        return []
    return [checks.Error(explain(missing), id="walletsite.E001")]

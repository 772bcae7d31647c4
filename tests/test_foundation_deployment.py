"""Running it for real (issue 26): the development server keeps no idle connections, the cache
tables exist whatever the settings at migrate time (or /healthz and check --deploy say which is
missing), and SECRET_KEY_FALLBACKS come from the environment."""

import socket
import subprocess
import sys
import time

import pytest
import requests
from django.core.cache import caches
from django.db import connection

from tests.test_foundation_health import database_url_of_test_database
from tests.test_foundation_settings import BASE_DIR, manage, production_key
from walletsite import cache_tables

APPLICATION = "wallet-runserver-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connections_of(application: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application]
        )
        return cursor.fetchone()[0]


def shell(code, **env) -> str:
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def setting(expression, **env):
    return shell(f"from django.conf import settings; print({expression})", **env)


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "wallet.example.com",
    "DATABASE_URL": "postgres://wallet@db.internal:5432/wallet",
}


# --- CONN_MAX_AGE ----------------------------------------------------------------------------


def test_persistent_connections_are_off_in_debug_and_on_in_production():
    url = PRODUCTION["DATABASE_URL"]
    expression = "settings.DATABASES['default']['CONN_MAX_AGE']"
    assert setting(expression, DATABASE_URL=url) == "0"
    assert setting(expression, **PRODUCTION, DJANGO_SECRET_KEY=production_key()) == "60"


@pytest.mark.django_db
def test_the_development_server_keeps_no_connection_per_request_thread():
    """runserver serves each browser connection (kept alive between requests) on a thread of
    its own; a persistent database connection per thread, even when DATABASE_CONN_MAX_AGE asks
    for one, would stay open for as long as the browser keeps its socket, until PostgreSQL
    runs out. Twenty keep-alive clients, 60 requests: the count stays flat."""
    port = free_port()
    url = f"{database_url_of_test_database()}?application_name={APPLICATION}"
    env = {"DATABASE_URL": url, "DATABASE_CONN_MAX_AGE": "60", "PYTHONUNBUFFERED": "1"}
    command = ["manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [sys.executable, *command],
        cwd=BASE_DIR,
        env={**manage_env(), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    browsers = [requests.Session() for _ in range(20)]
    counts = []
    try:
        wait_until_listening(port, server)
        for round_ in range(3):
            for browser in browsers:
                # /healthz reads the database on every request (SELECT 1, the cache tables).
                answer = browser.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
                assert answer.status_code in (200, 503)
            counts.append(connections_of(APPLICATION))
    finally:
        for browser in browsers:
            browser.close()
        server.terminate()
        server.wait(timeout=10)
    # A request still finishing may hold one for a moment; 20 per round without the fix.
    assert max(counts) <= 2, counts


def manage_env():
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}


def wait_until_listening(port, process, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "runserver exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("runserver did not start")


# --- Cache tables ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_creates_the_production_cache_tables_under_development_settings():
    # The test database was migrated with development settings: the default cache is memory.
    assert caches["default"].__class__.__name__ == "LocMemCache"
    tables = connection.introspection.table_names()
    assert {"django_cache", "django_cache_workers"} <= set(tables)


@pytest.mark.django_db
def test_healthz_says_which_cache_table_is_missing(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": cache_tables.DATABASE_CACHE, "LOCATION": "never_created"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == (
        "Cache table never_created missing from the database: run `manage.py migrate` "
        "(or `manage.py createcachetable`)."
    )


@pytest.mark.django_db
def test_healthz_reports_the_cache_tables_ok_when_present(client):
    assert client.get("/healthz").json()["cache"] == "ok"


@pytest.mark.django_db
def test_check_deploy_names_a_missing_cache_table_of_a_migrated_database():
    env = {
        **PRODUCTION,
        "DATABASE_URL": database_url_of_test_database(),
        "DJANGO_SECRET_KEY": production_key(),
        "CACHE_URL": "dbcache://never_created",
    }
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "Cache table never_created missing from the database" in result.stderr
    env["CACHE_URL"] = "dbcache://django_cache"
    assert manage("check", "--deploy", "--fail-level", "WARNING", **env).returncode == 0


# --- SECRET_KEY_FALLBACKS --------------------------------------------------------------------


def test_secret_key_fallbacks_are_read_from_the_environment():
    old, older = production_key(), production_key()
    value = setting("settings.SECRET_KEY_FALLBACKS", DJANGO_SECRET_KEY_FALLBACKS=f"{old},{older}")
    assert value == repr([old, older])
    assert setting("settings.SECRET_KEY_FALLBACKS") == "[]"


def test_production_refuses_a_development_key_among_the_fallbacks():
    result = manage(
        "check", **PRODUCTION, DJANGO_SECRET_KEY=production_key(),
        DJANGO_SECRET_KEY_FALLBACKS="django-insecure-development-only-key-never-use-in-production",
    )  # fmt: skip
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY_FALLBACKS must not list a development key" in result.stderr


def test_rotating_the_key_through_the_environment_keeps_stored_pins_valid():
    """The PIN hash is keyed with SECRET_KEY: after a rotation done with environment variables
    alone (docs/operations.md), the old key as a fallback still verifies a stored PIN."""
    old, new = production_key(), production_key()
    hashed = "from wallet.services.outflows.pin_hasher import hash_pin; print(hash_pin('2468'))"
    stored = shell(hashed, DJANGO_SECRET_KEY=old)

    def matches(pin, **env):
        code = (
            "from wallet.services.outflows.pin_hasher import pin_matches; "
            f"print(pin_matches({pin!r}, {stored!r})[0])"
        )
        return shell(code, DJANGO_SECRET_KEY=new, **env)

    assert matches("2468", DJANGO_SECRET_KEY_FALLBACKS=old) == "True"
    assert matches("1357", DJANGO_SECRET_KEY_FALLBACKS=old) == "False"
    assert matches("2468") == "False"  # without the fallback, the old PIN no longer verifies

"""Production mode (DJANGO_DEBUG=0) refuses unsafe configuration and passes check --deploy."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_key():
    return secrets.token_urlsafe(50)


def test_production_without_a_secret_key_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="wallet.example.com")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start():
    result = manage(
        "check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="a.example"
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too short" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=production_key())
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must list" in result.stderr


@pytest.mark.parametrize("database_url", [None, "postgres://wallet@db.internal:5432/wallet"])
def test_production_with_key_and_hosts_passes_check_deploy_without_warnings(database_url):
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": production_key(),
        "DJANGO_ALLOWED_HOSTS": "wallet.example.com",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def variables_read_by_settings():
    source = (BASE_DIR / "walletsite" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))


@pytest.mark.parametrize("document", [".env.example", "docs/settings.md"])
def test_every_variable_settings_reads_is_documented(document):
    variables = variables_read_by_settings()
    assert {"DJANGO_DEBUG", "DATABASE_URL", "PAYSTACK_SECRET_KEY"} <= variables
    text = (BASE_DIR / document).read_text()
    undocumented = sorted(name for name in variables if name not in text)
    assert undocumented == [], f"add these to {document}: {undocumented}"

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_transaction_pin(settings):
    """These tests predate the transaction PIN (issue 12) and are about other rules; the PIN
    itself is tested in tests/outflows/ with WALLET_PIN_REQUIRED on."""
    settings.WALLET_PIN_REQUIRED = False

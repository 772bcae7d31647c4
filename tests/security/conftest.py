import pytest
from django.core.cache import cache

from tests.accounts.conftest import (  # noqa: F401
    PASSWORD,
    log_in_through_form,
    mfa_user,
    reauthenticate,
)
from tests.api.v1.conftest import Api, token_api  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


from tests.payouts.conftest import (  # noqa: E402,F401  (fixtures)
    add_account,
    bank_account,
    banks,
    payout_fee_rules,
    payouts_service,
    stored_bank_account,
    synced_banks,
)


@pytest.fixture
def no_pin(settings):
    """These tests are about re-authentication, freezes and caps, not the PIN."""
    settings.WALLET_PIN_REQUIRED = False

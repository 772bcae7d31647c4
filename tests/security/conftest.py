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

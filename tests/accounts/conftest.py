import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Failed-login counters live in the cache; one test's lock-out must not leak into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # These tests log in dozens of times; production-strength hashing would dominate their time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in_through_form(client, email, password=PASSWORD):
    """A real allauth login (records the authentication, unlike force_login)."""
    return client.post("/accounts/login/", {"login": email, "password": password})


def reauthenticate(client, password=PASSWORD, code=None):
    """Sensitive pages (MFA set-up, e-mail changes) want a fresh password entry, and the
    authenticator (or a recovery) code where the user has MFA."""
    body = {"password": password} | ({"code": code} if code else {})
    response = client.post("/accounts/reauthenticate/", body)
    assert response.status_code == 302
    return response


@pytest.fixture
def logged_in_client(client, user):
    response = log_in_through_form(client, user.email)
    assert response.status_code == 302
    reauthenticate(client)
    return client


@pytest.fixture
def mfa_user(make_user):
    user = make_user(email="mfa@example.com")
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user

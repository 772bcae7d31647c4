"""Two-factor authentication, reached from the profile page: TOTP + recovery codes."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

from tests.accounts.conftest import PASSWORD, log_in_through_form


def current_code(secret):
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 2:  # don't hand out a code that expires before the server checks it
        time.sleep(remaining + 0.05)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db
def test_activating_totp_then_logging_in_asks_for_a_code(logged_in_client, user):
    profile = logged_in_client.get("/accounts/profile/").content.decode()
    assert 'href="/accounts/2fa/"' in profile

    assert logged_in_client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = logged_in_client.session[SECRET_SESSION_KEY]
    response = logged_in_client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    logged_in_client.post("/accounts/logout/")
    response = log_in_through_form(logged_in_client, user.email, PASSWORD)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in logged_in_client.session

    response = logged_in_client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in logged_in_client.session

    response = logged_in_client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response["Location"] == "/wallet/"
    assert logged_in_client.get("/accounts/profile/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, mfa_user):
    codes = (
        Authenticator.objects.get(user=mfa_user, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    log_in_through_form(client, mfa_user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]})["Location"] == "/wallet/"

    client.post("/accounts/logout/")
    log_in_through_form(client, mfa_user.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

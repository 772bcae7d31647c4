"""Every allauth page (account, MFA, sessions) renders in the site's own layout."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from tests.accounts.conftest import log_in_through_form, reauthenticate

SITE_LAYOUT = 'data-layout="site"'
ALLAUTH_BARE_LAYOUT = "<strong>Menu:</strong>"

ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/done/",
    "/accounts/password/reset/key/1-not-a-real-key/",
    "/accounts/confirm-email/",
]

SIGNED_IN_PAGES = [
    "/accounts/profile/",
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/sessions/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
]

MFA_PAGES = [
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
]


def assert_site_page(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert SITE_LAYOUT in html
    assert ALLAUTH_BARE_LAYOUT not in html
    assert '<link rel="stylesheet" href="/static/css/app.css">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_account_page_uses_site_layout(client, path):
    assert_site_page(client.get(path))


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_account_page_uses_site_layout(logged_in_client, path):
    assert_site_page(logged_in_client.get(path))


@pytest.mark.django_db
@pytest.mark.parametrize("path", MFA_PAGES)
def test_mfa_management_page_uses_site_layout(client, mfa_user, path):
    log_in_through_form(client, mfa_user.email)
    client.post("/accounts/2fa/authenticate/", {"code": _recovery_code(mfa_user)})
    reauthenticate(client, code=_recovery_code(mfa_user))
    assert_site_page(client.get(path))


@pytest.mark.django_db
def test_a_code_alone_is_no_reauthentication(client, mfa_user):
    """Re-authentication is the password plus the code (one form), never the code alone."""
    client.force_login(mfa_user)
    assert client.get("/accounts/2fa/reauthenticate/").status_code == 403


@pytest.mark.django_db
def test_mfa_challenge_after_password_uses_site_layout(client, mfa_user):
    response = log_in_through_form(client, mfa_user.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert_site_page(client.get("/accounts/2fa/authenticate/"))


@pytest.mark.django_db
def test_email_confirmation_page_uses_site_layout(client, make_user):
    user = make_user(email="new@example.com", verified=False)
    key = EmailConfirmationHMAC(EmailAddress.objects.get(user=user)).key
    assert_site_page(client.get(f"/accounts/confirm-email/{key}/"))


@pytest.mark.django_db
def test_account_forms_label_every_field(client):
    html = client.get("/accounts/signup/").content.decode()
    for field_id in ("id_email", "id_password1", "id_password2"):
        assert f'<label for="{field_id}">' in html


def _recovery_code(user):
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()[0]


@pytest.mark.django_db
def test_allauth_pages_speak_in_sentence_case_like_the_rest_of_the_site(client):
    """locale/en overrides allauth's Title Case ("Sign In", "Remember Me")."""
    login = client.get("/accounts/login/").content.decode()
    signup = client.get("/accounts/signup/").content.decode()

    assert "Sign in" in login and "Remember me" in login
    assert "Sign In" not in login and "Remember Me" not in login
    assert "Sign up" in signup and "Sign Up" not in signup

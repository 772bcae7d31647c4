"""Every change of e-mail, phone, password, PIN, MFA or API token, every new bank account and
every sign-in from a new device e-mails the address on record before the change, with the
"This wasn't me" link; each notice is audited. Tokens die with the credentials."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client

from tests.accounts.conftest import PASSWORD, log_in_through_form
from wallet.models import ApiToken, AuditEntry, Wallet
from wallet.services.api_tokens import issue_token, live_tokens
from wallet.services.outflows import pin as pins
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db

OLD = "alice@example.com"
FREEZE_LINK = re.compile(r"https?://\S+/wallet/security/freeze/[^/\s]+/")


@pytest.fixture
def notices(mailoutbox, django_capture_on_commit_callbacks):
    """The security notices e-mailed while the test body runs (they go after commit)."""

    class Outbox:
        def __enter__(self):
            self._capture = django_capture_on_commit_callbacks(execute=True)
            self._capture.__enter__()
            mailoutbox.clear()
            return self

        def __exit__(self, *exc):
            return self._capture.__exit__(*exc)

        def to(self, address, about):
            return [
                m
                for m in mailoutbox
                if m.to == [address] and about in m.subject and FREEZE_LINK.search(m.body)
            ]

    return Outbox()


@pytest.fixture
def reauthenticated(client_logged_in):
    client_logged_in.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client_logged_in


def audited(user, what):
    return AuditEntry.objects.filter(customer=user, action="security_notice", reason__contains=what)


def test_a_new_primary_address_is_told_to_the_old_one_and_revokes_tokens(
    reauthenticated, user, wallet, notices
):
    EmailAddress.objects.create(user=user, email="new@example.com", verified=True)
    issue_token(user=user, name="Shop", scope="money")

    with notices:
        reauthenticated.post("/accounts/email/", {"action_primary": "", "email": "new@example.com"})

    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert notices.to(OLD, "e-mail address was changed") and not notices.to(
        "new@example.com", "e-mail address was changed"
    )
    assert not live_tokens(user=user).exists()
    assert audited(user, "e-mail address was changed").exists()
    wallet.refresh_from_db()
    assert wallet.safety_reason == "cooling_off" and wallet.credentials_changed_at is not None


def test_an_added_address_is_told_to_the_primary(reauthenticated, user, notices):
    with notices:
        reauthenticated.post("/accounts/email/", {"action_add": "", "email": "extra@example.com"})

    assert notices.to(OLD, "e-mail address was added")
    assert audited(user, "e-mail address was added").exists()


def test_a_password_change_is_told_and_revokes_every_token(reauthenticated, user, wallet, notices):
    issue_token(user=user, name="Shop", scope="money")
    issue_token(user=user, name="Books", scope="read")
    new = "a-brand-new-password-9"

    with notices:
        changed = reauthenticated.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": new, "password2": new},
        )

    assert changed.status_code == 302
    assert notices.to(OLD, "password was changed")
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0
    wallet.refresh_from_db()
    assert wallet.safety_reason == "cooling_off"


def test_a_password_reset_is_told_and_revokes_every_token(
    client, user, wallet, notices, mailoutbox
):
    issue_token(user=user, name="Shop", scope="money")
    client.post("/accounts/password/reset/", {"email": OLD})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body)
    form_url = client.get(link.group(1))["Location"]
    new = "a-brand-new-password-9"

    with notices:
        client.post(form_url, {"password1": new, "password2": new})

    assert notices.to(OLD, "password was reset")
    assert not live_tokens(user=user).exists()


def test_signing_out_everywhere_else_revokes_every_token(reauthenticated, user):
    issue_token(user=user, name="Shop", scope="money")

    reauthenticated.post("/accounts/sessions/")

    assert not live_tokens(user=user).exists()


def test_the_profile_lists_sessions_beside_live_tokens(user):
    browser = Client()
    log_in_through_form(browser, user.email)
    issue_token(user=user, name="Live one", scope="read")
    dead, _ = issue_token(user=user, name="Revoked one", scope="read")
    dead.revoked_at = dead.created_at
    dead.save()

    page = browser.get("/accounts/profile/").content.decode()

    assert "Where your account is signed in" in page and "This browser" in page
    assert "Live one" in page and "Revoked one" not in page


def test_a_phone_change_is_told(reauthenticated, user, notices):
    body = {"first_name": "Alice", "last_name": "Adeyemi", "phone": "0803 555 0111"}
    with notices:
        reauthenticated.post("/accounts/profile/", {**body, "handle": "alice"})

    assert notices.to(OLD, "phone number was changed")


def test_pin_set_change_and_reset_are_told(user, wallet, notices):
    with notices:
        pins.set_first_pin(user, "8642")
        pins.change_pin(user, old_pin="8642", new_pin="9753")
        pins.reset_pin(user, token=pins.reset_token(user), password=PASSWORD, new_pin="3579")

    for what in ("PIN was set", "PIN was changed", "PIN was reset"):
        assert notices.to(OLD, what) and audited(user, what).exists()
    wallet.refresh_from_db()
    assert wallet.safety_reason == "cooling_off"  # the reset starts the cooling-off


def test_turning_mfa_off_is_told_and_starts_the_cooling_off(client, mfa_user, notices):
    codes = (
        Authenticator.objects.get(user=mfa_user, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    WalletService().get_wallet(mfa_user)
    client.force_login(mfa_user)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD, "code": codes[0]})

    with notices:
        client.post("/accounts/2fa/totp/deactivate/")

    assert not Authenticator.objects.filter(user=mfa_user, type=Authenticator.Type.TOTP).exists()
    assert notices.to(mfa_user.email, "Two-factor authentication was turned off")
    wallet = Wallet.objects.get(user=mfa_user)
    assert wallet.safety_reason == "cooling_off"


def test_a_new_api_token_is_told(reauthenticated, user, notices):
    with notices:
        reauthenticated.post(
            "/accounts/profile/api-tokens/", {"name": "Shop", "scope": "money", "days": 30}
        )

    assert notices.to(OLD, "API token was created")


def test_a_new_bank_account_is_told(funded_wallet, add_account, user, notices):
    with notices:
        add_account(funded_wallet)

    assert notices.to(OLD, "bank account was added")
    assert audited(user, "bank account was added").exists()


def test_a_sign_in_from_a_new_device_is_told(user, wallet, notices):
    log_in_through_form(Client(), user.email)  # the first browser is trusted

    with notices:
        log_in_through_form(Client(), user.email)

    assert notices.to(OLD, "New sign-in")
    assert audited(user, "New sign-in").exists()


def test_a_security_notice_is_in_the_bell_and_e_mailed_once(
    reauthenticated, user, notices, mailoutbox
):
    from wallet.models import Notification

    with notices:
        reauthenticated.post("/accounts/email/", {"action_add": "", "email": "extra@example.com"})

    told = Notification.objects.get(user=user, kind="security")
    assert "e-mail address was added" in told.title.lower() + told.body.lower()
    assert not told.email_wanted  # its e-mail is the notice to the address on record
    about_it = [m for m in mailoutbox if "e-mail address was added" in m.subject]
    assert len(about_it) == 1 and FREEZE_LINK.search(about_it[0].body)
    bell = reauthenticated.get("/wallet/notifications/").content.decode()
    assert told.title in bell

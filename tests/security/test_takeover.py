"""The five-step takeover from issue 20, tried with only a session cookie (or only a token):
it stops at step 1, and every later step is refused on its own too."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail

from tests.accounts.conftest import PASSWORD
from tests.api.v1.conftest import Api, token_api
from wallet.models import ApiToken
from wallet.services.outflows import pin as pins

pytestmark = pytest.mark.django_db

ATTACKER = "att@evil.test"


def sent_to_reauthentication(response):
    return response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]


def reset_links_to(address):
    return [m for m in mail.outbox if address in m.to and "/password/reset/key/" in m.body]


def attacker_address(user, **fields):
    return EmailAddress.objects.create(user=user, email=ATTACKER, verified=True, **fields)


def test_the_five_step_takeover_stops_at_the_first_step(client_logged_in, user, wallet):
    # 1. Add the attacker's address: refused, nothing stored, nothing mailed.
    added = client_logged_in.post("/accounts/email/", {"action_add": "", "email": ATTACKER})
    assert sent_to_reauthentication(added)
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()
    assert not [m for m in mail.outbox if ATTACKER in m.to]
    # 2. Make it primary: there is nothing to make primary.
    client_logged_in.post("/accounts/email/", {"action_primary": "", "email": ATTACKER})
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()
    # 3. A password reset for the attacker's address mails no reset link.
    client_logged_in.post("/accounts/password/reset/", {"email": ATTACKER})
    assert not reset_links_to(ATTACKER)
    # 4. The PIN reset link cannot even be asked for.
    assert sent_to_reauthentication(client_logged_in.post("/wallet/security/pin/reset/"))
    # 5. So the transfer has no PIN to use.
    user.refresh_from_db()
    assert user.email == "alice@example.com" and not pins.has_pin(user)


def test_step_two_making_an_address_primary_needs_reauthentication(client_logged_in, user):
    attacker_address(user)

    response = client_logged_in.post("/accounts/email/", {"action_primary": "", "email": ATTACKER})

    assert sent_to_reauthentication(response)
    assert EmailAddress.objects.get(email=ATTACKER).primary is False
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_removing_an_address_needs_reauthentication(client_logged_in, user):
    attacker_address(user)

    response = client_logged_in.post("/accounts/email/", {"action_remove": "", "email": ATTACKER})

    assert sent_to_reauthentication(response)
    assert EmailAddress.objects.filter(email=ATTACKER).exists()


def test_step_three_a_password_reset_goes_only_to_the_primary_address(client, user):
    attacker_address(user)

    client.post("/accounts/password/reset/", {"email": ATTACKER})
    client.post("/accounts/password/reset/", {"email": user.email})

    assert not reset_links_to(ATTACKER) and reset_links_to(user.email)


def test_step_three_changing_the_password_needs_reauthentication(client_logged_in, user):
    new = "a-brand-new-password-9"
    response = client_logged_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert sent_to_reauthentication(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_step_four_pin_reset_and_first_pin_need_reauthentication(client_logged_in, user):
    first = client_logged_in.post(
        "/wallet/security/pin/", {"new_pin": "8642", "new_pin_confirm": "8642"}
    )
    token = pins.reset_token(user)
    reset = client_logged_in.post(
        f"/wallet/security/pin/reset/{token}/",
        {"password": PASSWORD, "new_pin": "8642", "new_pin_confirm": "8642"},
    )

    assert sent_to_reauthentication(first) and sent_to_reauthentication(reset)
    assert not pins.has_pin(user)


def test_step_four_a_money_token_alone_cannot_choose_the_first_pin(user, wallet):
    response = token_api(user, "money").post("me/pin/", {"pin": "8642"})

    assert response.status_code == 403 and response.json()["error"] == "reauthentication_required"
    assert not pins.has_pin(user)


def test_a_money_token_cannot_change_the_pin_even_with_the_old_one(user, wallet):
    pins.set_first_pin(user, "8642")

    change = {"old_pin": "8642", "new_pin": "9753"}
    response = token_api(user, "money").post("me/pin/change/", change)

    assert response.status_code == 403 and response.json()["error"] == "reauthentication_required"
    pins.verify_pin(user, "8642")  # still the old PIN (raises PinInvalid otherwise)


def test_a_session_must_have_reauthenticated_to_set_the_pin_over_the_api(client_logged_in, user):
    api = Api(client_logged_in)

    refused = api.post("me/pin/", {"pin": "8642"})
    client_logged_in.post("/accounts/reauthenticate/", {"password": PASSWORD})
    accepted = api.post("me/pin/", {"pin": "8642"})

    assert refused.status_code == 403 and refused.json()["error"] == "reauthentication_required"
    assert accepted.status_code == 201 and pins.has_pin(user)


def test_turning_mfa_off_needs_reauthentication(client, mfa_user):
    client.force_login(mfa_user)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert sent_to_reauthentication(response)
    assert Authenticator.objects.filter(user=mfa_user, type=Authenticator.Type.TOTP).exists()


def test_with_mfa_the_password_alone_does_not_reauthenticate(client, mfa_user):
    client.force_login(mfa_user)

    without_code = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/accounts/2fa/totp/deactivate/")

    assert without_code.status_code == 200  # the form again, asking for the code
    assert sent_to_reauthentication(response)


def test_creating_an_api_token_needs_reauthentication(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/profile/api-tokens/", {"name": "Mine", "scope": "money", "days": 30}
    )

    assert sent_to_reauthentication(response)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "change", [{"phone": "+2348031234999"}, {"handle": "takenover"}], ids=["phone", "handle"]
)
def test_changing_the_phone_or_handle_needs_reauthentication(client_logged_in, user, change):
    body = {"first_name": user.first_name, "last_name": user.last_name, "phone": str(user.phone)}
    body["handle"] = user.handle
    response = client_logged_in.post("/accounts/profile/", {**body, **change})

    assert sent_to_reauthentication(response)
    user.refresh_from_db()
    assert user.handle != "takenover" and str(user.phone) != "+2348031234999"


def test_changing_only_the_name_needs_no_reauthentication(client_logged_in, user):
    body = {"first_name": "Alicia", "last_name": user.last_name, "phone": str(user.phone)}
    response = client_logged_in.post("/accounts/profile/", {**body, "handle": user.handle})

    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.first_name == "Alicia"


def test_adding_a_bank_account_on_the_web_needs_reauthentication(client_logged_in, wallet):
    response = client_logged_in.post(
        "/wallet/bank-accounts/add/", {"bank_code": "057", "account_number": "0123456789"}
    )

    assert sent_to_reauthentication(response)
    assert not wallet.bank_accounts.exists()


@pytest.mark.parametrize("caller", ["session", "token"])
def test_adding_a_bank_account_over_the_api_needs_reauthentication(
    client_logged_in, user, wallet, caller
):
    pins.set_first_pin(user, "8642")
    api = Api(client_logged_in) if caller == "session" else token_api(user, "money")
    body = {"bank_code": "057", "account_number": "0123456789", "pin": "8642"}

    response = api.post("me/bank-accounts/", body)

    assert response.status_code == 403 and response.json()["error"] == "reauthentication_required"
    assert not wallet.bank_accounts.exists()


def test_with_mfa_the_password_and_a_code_reauthenticate(client, mfa_user):
    codes = (
        Authenticator.objects.get(user=mfa_user, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    client.force_login(mfa_user)

    wrong = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "code": "000000"})
    right = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "code": codes[0]})
    token = {"name": "Mine", "scope": "read", "days": 9}
    made = client.post("/accounts/profile/api-tokens/", token)

    assert wrong.status_code == 200 and right.status_code == 302
    assert made.status_code == 201 and ApiToken.objects.filter(user=mfa_user).exists()


def test_an_htmx_phone_change_is_sent_to_reauthenticate_as_a_full_page(client_logged_in, user):
    body = {"first_name": "Alice", "last_name": "Adeyemi", "phone": "0803 555 0111", "handle": ""}

    response = client_logged_in.post("/accounts/profile/", body, headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/reauthenticate/?next=")
    user.refresh_from_db()
    assert str(user.phone) == ""

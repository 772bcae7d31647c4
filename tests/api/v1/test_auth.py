"""Who may call v1: tokens (hashed, scoped, expiring, revocable, made on the profile page) and
the browser session with CSRF."""

import datetime as dt
import hashlib
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.v1.conftest import V1, Api, failed, token_api
from tests.wallet.money import balances
from wallet.models import ApiToken
from wallet.services.api_tokens import TokenNotAllowed, issue_token, revoke_token

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_a_hash(user):
    token, secret = issue_token(user=user, name="Books", scope="read")

    assert secret.startswith(f"wlt_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_a_read_token_reads_and_records_when_it_was_used(user, funded_wallet):
    token, secret = issue_token(user=user, name="Books", scope="read")
    api = Api(Client(headers={"Authorization": f"Bearer {secret}"}))

    response = api.get("me/balance/")

    assert response.status_code == 200 and response.json()["balance"] == "10000.00"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_token_may_not_move_money(read_api, funded_wallet, other_wallet):
    response = read_api.post(
        "me/transfers/", {"recipient": other_wallet.public_code, "amount": "5"}
    )

    failed(response, 403, "insufficient_scope")
    assert balances(funded_wallet, other_wallet) == [10000, 0]


def test_a_money_token_moves_money(money_api, funded_wallet, other_wallet):
    response = money_api.post(
        "me/transfers/", {"recipient": other_wallet.public_code, "amount": "5"}
    )

    assert response.status_code == 201
    assert balances(funded_wallet, other_wallet) == [9995, 5]


@pytest.mark.parametrize("state", ["expired", "revoked", "owner inactive"])
def test_an_unusable_token_is_refused(user, funded_wallet, state):
    token, secret = issue_token(user=user, name="Old", scope="money")
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif state == "revoked":
        revoke_token(token=token)
    else:
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    api = Api(Client(headers={"Authorization": f"Bearer {secret}"}))

    response = api.get("me/")

    failed(response, 401, "invalid_token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer wlt_abc_def", "Bearer", "Bearer a b", "Bearer wlt_" + "x" * 300],
)
def test_a_malformed_or_unknown_token_is_refused(db, header):
    failed(Api(Client(headers={"Authorization": header})).get("me/"), 401)


def test_a_tampered_secret_with_a_real_prefix_is_refused(user):
    _, secret = issue_token(user=user, name="Books", scope="read")
    tampered = secret[:-2] + ("AA" if not secret.endswith("AA") else "BB")

    failed(Api(Client(headers={"Authorization": f"Bearer {tampered}"})).get("me/"), 401)


def test_no_credentials_is_401(db):
    failed(Api(Client()).get("me/"), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"scope": "admin"}, "scope"),
        ({"days": 0}, "days"),
        ({"days": 400}, "days"),
        ({"name": " "}, "name"),
    ],
)
def test_token_rules(user, fields, message):
    with pytest.raises(TokenNotAllowed):
        issue_token(user=user, **{"name": "x", "scope": "read", **fields})


def test_session_requests_need_the_csrf_token(user, funded_wallet, other_wallet):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = {"recipient": other_wallet.public_code, "amount": "5"}

    refused = Api(client).post("me/transfers/", body)
    client.get("/wallet/")  # the page sets the CSRF cookie, as in the browser
    token = client.cookies["csrftoken"].value
    accepted = Api(client).post("me/transfers/", body, **{"X-CSRFToken": token})

    failed(refused, 403, "csrf_failed")
    assert accepted.status_code == 201
    assert balances(funded_wallet, other_wallet) == [9995, 5]


def test_session_reads_need_no_csrf_token(user, wallet):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert Api(client).get("me/").status_code == 200


def test_tokens_are_made_on_the_profile_page_and_shown_once(client_logged_in, user, wallet):
    client_logged_in.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})

    made = client_logged_in.post(
        "/accounts/profile/api-tokens/", {"name": "Shop", "scope": "money", "days": 30}
    )
    secret = re.search(r'value="(wlt_[^"]+)"', made.content.decode()).group(1)
    later = client_logged_in.get("/accounts/profile/")

    assert made.status_code == 201
    assert secret not in later.content.decode() and "Shop" in later.content.decode()
    token = ApiToken.objects.get(user=user)
    assert (
        token.scope == "money"
        and token.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    )
    assert Api(Client(headers={"Authorization": f"Bearer {secret}"})).get("me/").status_code == 200


def test_making_a_token_asks_for_the_password_again(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/profile/api-tokens/", {"name": "Shop", "scope": "money", "days": 30}
    )

    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not ApiToken.objects.exists()


def test_an_invalid_token_form_says_why(client_logged_in, user):
    client_logged_in.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})

    response = client_logged_in.post("/accounts/profile/api-tokens/", {"name": "", "days": 999})

    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_tokens_are_revoked_on_the_profile_page(client_logged_in, user):
    token, secret = issue_token(user=user, name="Shop", scope="read")

    response = client_logged_in.post(f"/accounts/profile/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    failed(Api(Client(headers={"Authorization": f"Bearer {secret}"})).get("me/"), 401)


def test_nobody_revokes_another_users_token(client_logged_in, other_user):
    token, _ = issue_token(user=other_user, name="Theirs", scope="read")

    response = client_logged_in.post(f"/accounts/profile/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_acts_only_on_its_owners_wallet(other_user, funded_wallet):
    api = token_api(other_user, "read")

    me = api.get("me/").json()

    assert me["id"] != funded_wallet.pk and me["balance"] == "0.00"


def test_the_schema_and_its_page_are_served_without_login(db):
    schema = Client().get(V1 + "schema/")
    page = Client().get(V1 + "docs/")

    assert schema.status_code == 200 and b"/wallet/api/v1/me/transfers/" in schema.content
    assert page.status_code == 200 and b"swagger-ui" in page.content.lower()
    assert b"cdn.jsdelivr" not in page.content and b"unpkg" not in page.content  # offline

"""Money endpoints are throttled per user, per token and per IP (429 with Retry-After, nothing
moved); every WalletError is a 4xx in the one error shape."""

import pytest
from django.test import Client

from tests.api.v1.conftest import Api, failed, token_api
from tests.wallet.money import balances
from wallet import exceptions
from wallet.api.v1.errors import wallet_error_answer
from wallet.services.api_tokens import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(user="100/m", token="100/m", ip="100/m"):
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {"money_user": user, "money_token": token, "money_ip": ip}
        settings.REST_FRAMEWORK = rest

    return set_rates


def send(api, wallet, amount="1"):
    return api.post("me/transfers/", {"recipient": wallet.public_code, "amount": amount})


def assert_throttled(response):
    failed(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) >= 1


def test_per_user_across_tokens_and_session(rates, user, funded_wallet, other_wallet):
    rates(user="2/m")
    first, second = token_api(user), token_api(user)

    assert send(first, other_wallet).status_code == 201
    assert send(second, other_wallet).status_code == 201
    assert_throttled(send(first, other_wallet))
    assert balances(funded_wallet, other_wallet) == [9998, 2]


def test_per_token(rates, user, funded_wallet, other_wallet):
    rates(token="1/m")
    first, second = token_api(user), token_api(user)

    assert send(first, other_wallet).status_code == 201
    assert_throttled(send(first, other_wallet))
    assert send(second, other_wallet).status_code == 201  # another token has its own allowance


def test_per_ip_across_users(rates, make_user, funded_wallet, other_wallet, user):
    rates(ip="1/m")
    carol = make_user()
    near = Api(Client(REMOTE_ADDR="10.0.0.1"))
    near.client.force_login(user)
    same_ip = Api(Client(REMOTE_ADDR="10.0.0.1"))
    same_ip.client.force_login(carol)
    elsewhere = Api(Client(REMOTE_ADDR="10.0.0.2"))
    elsewhere.client.force_login(user)

    assert send(near, other_wallet).status_code == 201
    assert_throttled(send(same_ip, other_wallet))
    assert send(elsewhere, other_wallet).status_code == 201


def test_reads_are_not_money_throttled(rates, api, funded_wallet):
    rates(user="1/m", token="1/m", ip="1/m")

    assert all(api.get("me/balance/").status_code == 200 for _ in range(3))


def test_a_throttle_set_to_zero_is_off(rates, api, funded_wallet, other_wallet):
    rates(user="0", token="0", ip="0")

    assert all(send(api, other_wallet).status_code == 201 for _ in range(3))


def _all_wallet_errors(cls=exceptions.WalletError):
    yield cls
    for sub in cls.__subclasses__():
        yield from _all_wallet_errors(sub)


@pytest.mark.parametrize("error_class", sorted(set(_all_wallet_errors()), key=lambda c: c.__name__))
def test_every_wallet_error_is_a_4xx_with_a_code(error_class):
    status, code, reason = wallet_error_answer(error_class())

    assert 400 <= status < 500
    assert code and code.islower() and reason


def test_errors_raised_by_services_keep_their_codes(api, funded_wallet, bank_account):
    response = api.post(
        "me/settlement-schedules/", {"bank_account_id": bank_account.pk, "schedule_type": "weekly"}
    )

    failed(response, 422, "invalid_schedule")


def test_a_token_does_not_leak_into_answers(user, funded_wallet):
    _, secret = issue_token(user=user, name="x", scope="read")
    api = Api(Client(headers={"Authorization": f"Bearer {secret}"}))

    for path in ("me/", "me/transactions/", "me/limits/"):
        assert secret not in api.get(path).content.decode()


def test_recipient_lookups_are_throttled_like_money(rates, api, funded_wallet, other_wallet):
    rates(user="2/m")
    lookup = {"q": other_wallet.public_code}

    assert api.get("me/recipients/lookup/", lookup).status_code == 200
    assert api.get("me/bank-accounts/").status_code == 200  # a plain read does not count
    assert api.get("me/recipients/lookup/", lookup).status_code == 200
    assert_throttled(api.get("me/recipients/lookup/", lookup))

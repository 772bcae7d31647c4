"""An API transfer (token, PIN, Idempotency-Key, money throttles) costs a small, fixed number of
queries: the throttles count in the cache (Redis in production) and no row is read twice."""

import pytest
from django.core.cache import caches

from tests.api.v1.conftest import token_api
from tests.wallet.money import balances
from wallet.models import IdempotencyKey
from wallet.services.outflows.pin import set_first_pin

pytestmark = pytest.mark.django_db
PIN = "2468"


@pytest.fixture
def sender(user, funded_wallet, settings):
    settings.WALLET_PIN_REQUIRED = True
    set_first_pin(user, PIN)
    return token_api(user)


def send(api, wallet, key=None, amount="1"):
    body = {"recipient": wallet.public_code, "amount": amount, "pin": PIN}
    return api.post("me/transfers/", body, key=key)


def test_a_keyed_transfer_costs_six_queries(
    sender, funded_wallet, other_wallet, django_assert_max_num_queries
):
    send(sender, other_wallet, key="warm-up")  # first use: token last-used stamp, fee rules
    # token (+ PIN), key claimed, own wallet, recipient, wallet_transfer(), answer kept; plus
    # the savepoint pair the test's own transaction wraps around the call (none in production)
    with django_assert_max_num_queries(8) as captured:
        response = send(sender, other_wallet, key="k-1")

    assert response.status_code == 201, response.content
    assert balances(funded_wallet, other_wallet) == [9998, 2]
    assert IdempotencyKey.objects.get(key="k-1").status_code == 201
    statements = [query["sql"] for query in captured.captured_queries]
    statements = [sql for sql in statements if "SAVEPOINT" not in sql]
    assert len(statements) == 6
    # No row is looked up twice: one token with its owner's PIN, two wallets, one transfer
    # call, and no lookup of the reference before the transfer (only a refusal looks).
    token_lookups = [sql for sql in statements if 'FROM "wallet_apitoken"' in sql]
    assert len(token_lookups) == 1 and '"wallet_transactionpin"' in token_lookups[0]
    assert sum('"wallet_transactionpin"' in sql for sql in statements) == 1
    assert sum('FROM "wallet_wallet"' in sql for sql in statements) == 2
    assert sum("wallet_transfer(" in sql for sql in statements) == 1
    assert not any('FROM "wallet_transaction"' in sql for sql in statements)
    assert not any("django_cache" in sql for sql in statements)


def test_a_transfer_without_a_key_costs_fewer(sender, other_wallet, django_assert_max_num_queries):
    send(sender, other_wallet)
    with django_assert_max_num_queries(6):  # 4, and the test transaction's savepoint pair
        assert send(sender, other_wallet).status_code == 201


def test_with_the_redis_cache_the_throttles_cost_no_query(
    sender, funded_wallet, other_wallet, redis_url, settings, django_assert_max_num_queries
):
    cache_url = redis_url.rsplit("/", 1)[0] + "/1"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": cache_url},
    }
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {
        "money_user": "2/m",
        "money_token": "60/m",
        "money_ip": "60/m",
    }
    settings.REST_FRAMEWORK = rest

    assert send(sender, other_wallet, key="r-1").status_code == 201
    with django_assert_max_num_queries(8):
        assert send(sender, other_wallet, key="r-2").status_code == 201
    throttled = send(sender, other_wallet, key="r-3")  # the per-user allowance, kept in Redis

    assert throttled.status_code == 429
    keys = {key.decode() for key in caches["default"].client.get_client().keys("*throttle*")}
    user_key = f":1:throttle_money_user_{funded_wallet.user_id}:"
    assert any(key.startswith(user_key) for key in keys)  # a counter per window
    assert balances(funded_wallet, other_wallet) == [9998, 2]


def test_a_replayed_key_still_answers_the_first_result(sender, funded_wallet, other_wallet):
    first = send(sender, other_wallet, key="same")
    again = send(sender, other_wallet, key="same")

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert balances(funded_wallet, other_wallet) == [9999, 1]

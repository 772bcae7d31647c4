"""What made the API transfer cheaper keeps every guarantee it replaced (issue 25):
- the owner's PIN row joined to the token lookup is trusted once, for that request only, and
  a wrong PIN through a token still counts and locks;
- the answer written out by hand is the serializer's answer;
- the three money throttles counted in one Redis round trip count exactly as before;
- a repeated reference still replays, even when the repeat would now be refused;
- a handle still wins over a wallet code spelled the same, asked in one query."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import caches

from accounts.models import User
from tests.api.v1.conftest import failed, token_api
from tests.wallet.money import balances
from wallet import ratelimit, selectors
from wallet.api.v1 import serializers as out
from wallet.models import TransactionPin, Wallet
from wallet.ratelimit import hit, hit_many
from wallet.services import api_tokens
from wallet.services.outflows import pin as pins
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
PIN = "2468"


@pytest.fixture
def pin_on(settings, user):
    settings.WALLET_PIN_REQUIRED = True
    pins.set_first_pin(user, PIN)


def send(api, wallet, pin=PIN, key=None, amount="1"):
    body = {"recipient": wallet.public_code, "amount": amount, "pin": pin}
    return api.post("me/transfers/", body, key=key)


# --- the PIN row joined to the token lookup --------------------------------------------------


def token_owner(user):
    _, secret = api_tokens.issue_token(user=user, name="t", scope="money")
    return api_tokens.token_for_secret(secret).user


def test_the_joined_pin_row_is_used_by_one_check_only(user, pin_on):
    owner = token_owner(user)
    assert "transaction_pin" not in owner._state.fields_cache  # not left for other code
    pins.change_pin(user, old_pin=PIN, new_pin="9753")  # after the lookup, elsewhere

    pins.verify_pin(owner, PIN)  # the row as the token lookup saw it, milliseconds ago
    with pytest.raises(pins.PinInvalid):  # the next check reads the row again
        pins.verify_pin(owner, PIN)
    pins.verify_pin(owner, "9753")


def test_a_token_lookup_for_someone_without_a_pin_says_so(user, settings):
    settings.WALLET_PIN_REQUIRED = True
    with pytest.raises(pins.PinNotSet):
        pins.verify_pin(token_owner(user), PIN)


def test_wrong_pins_through_a_token_count_and_lock_even_with_the_joined_row(
    user, pin_on, funded_wallet, other_wallet, mailoutbox
):
    api = token_api(user)
    for left in (4, 3, 2, 1):
        body = failed(send(api, other_wallet, pin="1357"), 403, "pin_invalid")
        assert f"{left} tr" in body["reason"]
    assert "is locked" in failed(send(api, other_wallet, pin="1357"), 403)["reason"]

    locked = failed(send(api, other_wallet), 403)  # the right PIN, while locked: refused
    assert "is locked" in locked["reason"]
    record = TransactionPin.objects.get(user=user)
    assert record.failed_attempts == 6 and record.locked_until is not None
    assert balances(funded_wallet, other_wallet) == [10000, 0]


def test_a_pin_changed_by_the_owner_is_the_one_the_next_request_needs(
    user, pin_on, funded_wallet, other_wallet
):
    api = token_api(user)
    assert send(api, other_wallet).status_code == 201
    pins.change_pin(user, old_pin=PIN, new_pin="9753")

    failed(send(api, other_wallet), 403, "pin_invalid")
    assert send(api, other_wallet, pin="9753").status_code == 201
    assert balances(funded_wallet, other_wallet) == [9998, 2]


# --- the answer ----------------------------------------------------------------------------


@pytest.mark.parametrize("description", ["", "Rent for März ✓"])
def test_the_written_out_answer_is_the_serializers_answer(funded_wallet, other_wallet, description):
    sent = WalletService().transfer(
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("12.5"),
        description=description,
        reference=f"answer-{len(description)}",
    )

    assert out.transfer_answer(sent) == dict(out.TransferSerializer(sent).data)
    stored = type(sent).objects.select_related("counterparty_wallet__user").get(pk=sent.pk)
    assert out.transfer_answer(stored) == dict(out.TransferSerializer(stored).data)


def test_the_api_answers_what_the_serializer_would(user, pin_on, funded_wallet, other_wallet):
    answer = send(token_api(user), other_wallet, amount="3.10").json()

    stored = type(funded_wallet).objects.get(pk=funded_wallet.pk).transactions.get(pk=answer["id"])
    assert answer == dict(out.TransferSerializer(stored).data)
    assert answer["amount"] == "3.10" and answer["recipient_name"]


# --- throttles counted in one round trip -----------------------------------------------------


@pytest.fixture
def redis_cache(redis_url, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url.rsplit("/", 1)[0] + "/1",
        },
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_counting_together_in_redis_counts_as_counting_one_by_one(redis_cache, monkeypatch):
    now = dt.datetime(2026, 12, 5, 0, 0, 10, tzinfo=dt.UTC).timestamp()  # 10 s into a minute
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    checks = [("t:user", 3, 60), ("t:token", 2, 60), ("t:ip", 10, 60)]

    assert hit_many(checks) == [None, None, None]
    assert hit("t:token", 2, 60) is None  # the one-by-one path sees the same counter
    assert hit_many(checks) == [None, 50, None]  # token: third of 2, wait out the minute
    assert hit_many(checks) == [None, 50, None]  # a refused attempt counts too
    assert hit_many(checks) == [50, 50, None]  # user: fourth of 3
    assert redis_cache.get(f"t:user:{int(now // 60)}") == 4  # Django's cache reads the count


def test_a_windows_count_expires_with_its_window(redis_cache):
    hit_many([("t:expiry", 5, 60)])
    client = redis_cache.client.get_client(write=True)
    (key,) = client.keys("*t:expiry*")
    assert 60 < client.ttl(key) <= 120  # two windows: the next one still reads it


def test_the_per_user_limit_in_redis_answers_429_with_retry_after(
    user, pin_on, funded_wallet, other_wallet, redis_cache, settings
):
    rest = dict(settings.REST_FRAMEWORK)
    rates = {"money_user": "60/m", "money_token": "2/m", "money_ip": "60/m"}
    rest["DEFAULT_THROTTLE_RATES"] = rates
    settings.REST_FRAMEWORK = rest
    api = token_api(user)

    assert send(api, other_wallet, key="a").status_code == 201
    assert send(api, other_wallet, key="b").status_code == 201
    refused = send(api, other_wallet, key="c")

    failed(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert send(token_api(user), other_wallet, key="d").status_code == 201  # another token
    assert balances(funded_wallet, other_wallet) == [9997, 3]


# --- references: run first, look only on failure --------------------------------------------


def test_a_repeat_that_would_now_be_refused_still_replays_the_first(funded_wallet, other_wallet):
    service = WalletService()
    first = service.transfer(
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("10000"),
        reference="all-of-it",
    )

    again = service.transfer(  # the funds are gone now: the repeat replays, it is not refused
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("10000"),
        reference="all-of-it",
    )

    assert again.pk == first.pk
    assert balances(funded_wallet, other_wallet) == [0, 10000]


def test_a_reference_reused_for_another_transfer_is_refused_as_a_duplicate(
    funded_wallet, other_wallet
):
    service = WalletService()
    service.transfer(
        source_wallet=funded_wallet,
        destination_wallet=other_wallet,
        amount=Decimal("5"),
        reference="once",
    )
    with pytest.raises(pins.WalletError, match="already used"):
        service.transfer(
            source_wallet=funded_wallet,
            destination_wallet=other_wallet,
            amount=Decimal("6"),
            reference="once",
        )
    assert balances(funded_wallet, other_wallet) == [9995, 5]


# --- the recipient lookup ------------------------------------------------------------------


def test_a_handle_spelled_like_a_wallet_code_wins_over_that_code(
    funded_wallet, other_wallet, django_assert_num_queries
):
    Wallet.objects.filter(pk=other_wallet.pk).update(public_id="KQ2345MNPR")
    User.objects.filter(pk=funded_wallet.user_id).update(handle="kq2345mnpr")

    with django_assert_num_queries(1):  # handle and code asked together
        assert selectors.find_recipient("KQ2345MNPR").pk == funded_wallet.pk
    assert selectors.find_recipient("KQ23-45MN-PR").pk == other_wallet.pk  # a code, dashed
    User.objects.filter(pk=funded_wallet.user_id).update(handle="someone_else")
    assert selectors.find_recipient("kq2345mnpr").pk == other_wallet.pk  # no such handle


def test_a_handle_that_cannot_be_a_wallet_code_is_one_query(
    funded_wallet, django_assert_num_queries
):
    User.objects.filter(pk=funded_wallet.user_id).update(handle="bola_a")

    with django_assert_num_queries(1):
        assert selectors.find_recipient("Bola_A").pk == funded_wallet.pk
    with django_assert_num_queries(1):
        assert selectors.find_recipient("nobody") is None

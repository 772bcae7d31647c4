"""Issue 20's odd input: lone UTF-16 surrogates in any JSON or form field, days the code cannot
add a day to, and charge-callback anomalies a signed-in customer can make: 4xx, never 5xx, and
staff records kept once per reference and at most a few per customer."""

import json

import pytest

from tests.api.v1.conftest import Api
from wallet.models import ChargeAnomaly, LedgerEntry, Transaction

API = "/wallet/api"
GUIDE_ENDPOINTS = [
    (f"{API}/wallets/default/transfer/", {"amount": "10", "description": "rent\ud800"}),
    (f"{API}/transactions/verify/", {"reference": "ref\udfff"}),
    (f"{API}/wallets/default/deposit/", {"amount": "100", "callback_url": "http://x/\udbff"}),
]


def money():
    return Transaction.objects.count(), LedgerEntry.objects.count()


@pytest.mark.parametrize(("path", "body"), GUIDE_ENDPOINTS)
@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_a_lone_surrogate_in_the_guides_json_is_a_400(
    client_logged_in, wallet, settings, path, body, debug
):
    settings.DEBUG = debug
    before = money()

    response = client_logged_in.post(path, json.dumps(body), content_type="application/json")

    assert response.status_code == 400 and response.json()["error"] == "invalid_characters"
    assert "surrogates" in response.json()["reason"] and money() == before


def test_a_lone_surrogate_in_a_v1_body_is_a_400(client_logged_in, wallet, other_wallet):
    body = {"recipient": other_wallet.public_code, "amount": "5", "description": "\ud800x"}

    response = Api(client_logged_in).post("me/transfers/", body)

    assert response.status_code == 400 and money()[0] == 0


def test_a_proper_surrogate_pair_is_an_ordinary_character(client_logged_in, funded_wallet):
    body = {"destination_wallet_id": funded_wallet.pk + 999, "amount": "10", "description": "💸"}

    response = client_logged_in.post(
        f"{API}/wallets/default/transfer/", json.dumps(body), content_type="application/json"
    )

    assert response.status_code != 400 or response.json()["error"] != "invalid_characters"


def test_surrogate_bytes_in_a_form_field_are_a_4xx(client_logged_in, funded_wallet):
    # The bytes a surrogate would have in UTF-8 (invalid UTF-8): Django reads them as U+FFFD.
    response = client_logged_in.generic(
        "POST",
        "/wallet/send/",
        "recipient=%ED%A0%80&amount=5&step=send",
        "application/x-www-form-urlencoded",
    )

    assert 400 <= response.status_code < 500 and money()[1] == LedgerEntry.objects.count()


@pytest.mark.parametrize("end", ["9999-12-31", "31/12/9999", "0001-01-01"])
def test_a_day_the_code_cannot_add_a_day_to_is_a_4xx_on_the_history(client_logged_in, wallet, end):
    page = client_logged_in.get(f"/wallet/transactions/?end={end}")
    export = client_logged_in.get(f"/wallet/transactions/export.csv?end={end}")
    api = Api(client_logged_in).get("me/transactions/", {"end": end, "start": end})

    assert page.status_code == 422 and b"between 1900 and 9998" in page.content
    assert export.status_code == 400 and b"between 1900 and 9998" in export.content
    assert api.status_code == 400  # (the API reads ISO days only: 31/12/9999 is malformed)
    assert "/" in end or "between 1900 and 9998" in api.json()["reason"]


def test_the_last_day_that_works_still_works(client_logged_in, wallet):
    assert client_logged_in.get("/wallet/transactions/?end=9998-12-31").status_code == 200
    assert client_logged_in.get("/wallet/transactions/export.csv?end=9998-12-31").status_code == 200


def test_a_junk_callback_reference_is_kept_once(client_logged_in, wallet):
    for _ in range(3):
        client_logged_in.get("/wallet/deposit/callback/?reference=junk-1")

    assert ChargeAnomaly.objects.filter(reference="junk-1").count() == 1


def test_junk_callbacks_are_rate_limited_per_customer(client_logged_in, wallet, other_user):
    from django.test import Client

    for n in range(25):
        response = client_logged_in.get(f"/wallet/deposit/callback/?reference=junk-{n}")
        assert response.status_code < 500
    other = Client()
    other.force_login(other_user)
    other.get("/wallet/deposit/callback/?reference=someone-elses")

    assert ChargeAnomaly.objects.filter(wallet=wallet).count() == 10  # 10 an hour
    assert ChargeAnomaly.objects.filter(reference="someone-elses").count() == 1

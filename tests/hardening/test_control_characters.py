"""Finding 4: a NUL (or another control character) anywhere is a clear 400, never a 500.

Run on PostgreSQL, where a NUL in text raised an unhandled DataError on six routes."""

import json

import pytest

from wallet.models import LedgerEntry, Transaction, WebhookEvent, WebhookRefusal

API = "/wallet/api"


def _assert_refused_in_json(response):
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_characters"
    assert "control characters" in response.json()["reason"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"{API}/wallets/default/transfer/", {"amount": "10", "description": "rent\x00"}),
        (f"{API}/transactions/verify/", {"reference": "ref\x00"}),
        (f"{API}/wallets/default/deposit/", {"amount": "100", "callback_url": "http://x/\x00"}),
    ],
)
def test_a_nul_in_a_json_field_is_a_400_in_the_api_shape(client_logged_in, wallet, path, body):
    before = Transaction.objects.count(), LedgerEntry.objects.count()
    _assert_refused_in_json(client_logged_in.post(path, body, content_type="application/json"))
    assert (Transaction.objects.count(), LedgerEntry.objects.count()) == before


def test_a_raw_control_byte_in_a_json_body_is_refused(client_logged_in, wallet):
    body = b'{"amount": "10", "description": "a\x07b"}'
    response = client_logged_in.post(
        f"{API}/wallets/default/transfer/", body, content_type="application/json"
    )
    _assert_refused_in_json(response)


def test_newlines_and_tabs_in_json_text_are_still_welcome(
    client_logged_in, funded_wallet, other_wallet
):
    body = {
        "amount": "10",
        "description": "line one\nline\ttwo",
        "destination_wallet_id": other_wallet.pk,
    }
    response = client_logged_in.post(
        f"{API}/wallets/default/transfer/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "url",
    [
        "/wallet/deposit/callback/?reference=abc%00",
        "/wallet/send/recipient/?recipient=a%00@example.com",
        "/wallet/deposit/abc%00/status/",
        "/wallet/transactions/?q=%00",
    ],
)
def test_a_nul_in_a_page_query_or_path_is_a_400_with_a_message(client_logged_in, wallet, url):
    response = client_logged_in.get(url)
    assert response.status_code == 400
    assert b"control characters" in response.content


def test_a_nul_in_a_form_field_is_a_400(client_logged_in, funded_wallet, other_wallet):
    response = client_logged_in.post(
        "/wallet/send/",
        {
            "recipient": other_wallet.user.email,
            "amount": "10",
            "description": "\x00",
            "step": "send",
        },
    )
    assert response.status_code == 400
    assert Transaction.objects.filter(wallet=other_wallet).count() == 0


def test_a_nul_in_a_header_is_a_400(client_logged_in, wallet):
    response = client_logged_in.post(
        f"{API}/wallets/default/transfer/",
        {"amount": "10"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key\x00",
    )
    _assert_refused_in_json(response)


def test_an_anonymous_login_with_a_nul_is_a_400(client, db):
    response = client.post("/accounts/login/", {"login": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_an_unsigned_webhook_with_a_nul_is_a_401_and_its_refusal_is_counted(client):
    body = b'{"event": "charge.success", "data": {"reference": "r\x00\\u0000"}}'
    response = client.generic("POST", "/wallet/webhook/", body, content_type="application/json")
    assert response.status_code == 401
    refusal = WebhookRefusal.objects.get()
    assert refusal.count == 1 and "\x00" not in refusal.first_bytes
    assert "\\x00" in refusal.first_bytes and refusal.body_length == len(body)
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_a_signed_webhook_with_a_nul_escape_is_refused_not_a_500(client):
    from wallet.services.funding.webhooks import signature_for

    body = b'{"event": "charge.success", "data": {"reference": "r\\u0000"}}'
    signature = signature_for(body, "sk_test_sandbox_secret_key")
    response = client.generic(
        "POST",
        "/wallet/webhook/",
        body,
        content_type="application/json",
        HTTP_X_PAYSTACK_SIGNATURE=signature,
    )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists() and WebhookRefusal.objects.count() == 1

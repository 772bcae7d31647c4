"""Finding 5: refused webhook requests cannot fill the database: bounded and rate-limited."""

import pytest

from wallet.models import WebhookRefusal

pytestmark = pytest.mark.django_db


def post(client, body=b"{}", address="203.0.113.9", **extra):
    return client.generic(
        "POST",
        "/wallet/webhook/",
        body,
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def test_a_large_unsigned_body_keeps_only_a_digest_and_the_first_bytes(client):
    body = b'{"event": "charge.success", "pad": "' + b"x" * 60_000 + b'"}'
    assert post(client, body).status_code == 401
    refusal = WebhookRefusal.objects.get()
    assert len(refusal.first_bytes) <= 2000 and refusal.body_length == len(body)
    assert len(refusal.body_sha256) == 64


def test_repeated_refusals_from_one_source_are_one_row_with_a_count(client):
    for number in range(5):
        assert post(client, f'{{"n": {number}}}'.encode()).status_code == 401
    refusal = WebhookRefusal.objects.get()
    assert refusal.count == 5 and refusal.first_bytes == '{"n": 4}'


def test_refusals_past_the_rate_limit_are_answered_429_and_not_written(client, settings):
    settings.WALLET_WEBHOOK_REFUSAL_RATE_LIMIT = "3/m"
    statuses = [post(client, address="198.51.100.7").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    assert WebhookRefusal.objects.get().count == 3


def test_new_sources_past_the_cap_are_counted_on_one_overflow_row(client, monkeypatch):
    monkeypatch.setattr(WebhookRefusal, "SOURCES_MAX", 3)
    for last in range(1, 7):
        assert post(client, address=f"192.0.2.{last}").status_code == 401
    assert WebhookRefusal.objects.count() == 4
    assert WebhookRefusal.objects.get(source=WebhookRefusal.OVERFLOW).count == 3

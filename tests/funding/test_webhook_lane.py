"""The webhook's own lane through the middleware (walletsite/webhook_lane.py): Paystack's POST
skips the layers that serve people, and keeps every check and header that applies to it;
every other request still walks the whole stack."""

import json

import pytest
from django.test import Client

from tests.funding.conftest import post_webhook
from wallet.models import WebhookEvent, WebhookRefusal
from wallet.services.funding import webhooks

pytestmark = pytest.mark.django_db
SECRET = "sk_test_webhook_lane"
SITE_POLICY_PART = "script-src 'self'"  # the site's CSP, added by django-csp below the lane


@pytest.fixture(autouse=True)
def paystack_secret(settings):
    settings.PAYSTACK_SECRET_KEY = SECRET


def signed_event(reference="lane-ref-1"):
    body = json.dumps(
        {"event": "charge.success", "data": {"reference": reference, "status": "success"}}
    ).encode()
    return body, webhooks.signature_for(body, SECRET)


def assert_security_headers(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_genuine_event_takes_the_lane_is_stored_once_and_keeps_the_security_headers(client):
    body, signature = signed_event()

    response = post_webhook(client, body, signature)

    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert response.json() == {"status": "ok", "event": event.pk}
    assert event.status == WebhookEvent.Status.RECEIVED and event.raw_body == body.decode()
    assert_security_headers(response)
    assert response.headers["Content-Length"] == str(len(response.content))
    # The lane's own policy for a JSON answer, not the site's (django-csp never saw it) ...
    assert (
        response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
    # ... and no session, CSRF or device cookie: the people's layers were skipped.
    assert not response.cookies


def test_a_forged_signature_in_the_lane_is_refused_and_stores_no_event(client):
    body, _ = signed_event()
    forged = webhooks.signature_for(body, "sk_test_guessed")

    response = post_webhook(client, body, forged)

    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()
    assert "Invalid signature" in WebhookRefusal.objects.get().reason
    assert_security_headers(response)


def test_a_signed_body_with_a_nul_escape_is_refused_in_the_lane(client):
    body = b'{"event": "charge.success", "data": {"reference": "x\\u0000y"}}'

    response = post_webhook(client, body, webhooks.signature_for(body, SECRET))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_signed_body_that_is_not_json_is_refused_in_the_lane(client):
    body = b"{not json"

    response = post_webhook(client, body, webhooks.signature_for(body, SECRET))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_an_oversized_body_is_refused_in_the_lane(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"event": "charge.success", "data": {"note": "x" * 2_000}}).encode()

    response = post_webhook(client, body, webhooks.signature_for(body, SECRET))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_control_character_in_a_header_is_refused_before_the_view(client):
    body, signature = signed_event()

    response = post_webhook(client, body, signature, HTTP_X_NOTE="a\x00b")

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists() and not WebhookRefusal.objects.exists()


def test_a_host_not_allowed_is_refused_in_the_lane(client):
    body, signature = signed_event()

    response = post_webhook(client, body, signature, HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_plain_http_is_still_redirected_to_https_before_the_lane(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    body, signature = signed_event()

    response = post_webhook(client, body, signature)

    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert not WebhookEvent.objects.exists()


def test_another_method_on_the_webhook_url_walks_the_whole_stack(client):
    response = client.get("/wallet/webhook/")

    assert response.status_code == 405
    assert b"accepts POST" in response.content  # ExplainClientErrorsMiddleware, below the lane
    assert SITE_POLICY_PART in response.headers["Content-Security-Policy"]


def test_a_post_to_any_other_url_still_meets_the_csrf_check():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "x"})

    assert response.status_code == 403  # CsrfViewMiddleware, below the lane, refused it


def test_with_the_lane_switched_off_the_webhook_walks_every_middleware(client, settings):
    settings.WEBHOOK_FAST_PATH = False
    body, signature = signed_event()

    response = post_webhook(client, body, signature)

    assert response.status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert SITE_POLICY_PART in response.headers["Content-Security-Policy"]
    assert_security_headers(response)


def test_with_the_lane_switched_off_a_forged_signature_is_still_refused(client, settings):
    settings.WEBHOOK_FAST_PATH = False
    body, _ = signed_event()

    response = post_webhook(client, body, webhooks.signature_for(body, "sk_test_guessed"))

    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()

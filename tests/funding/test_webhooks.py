"""/wallet/webhook/: only genuine Paystack events are stored, each once, then processed by the
worker; nothing a forged or failed request does moves money."""

import json
from decimal import Decimal

import pytest
from django.db import connection

from tests.funding.conftest import post_webhook
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import (
    LedgerEntry,
    Transaction,
    TransactionStatus,
    WebhookEvent,
    WebhookRefusal,
)
from wallet.services.funding import webhooks

pytestmark = pytest.mark.django_db
Status = WebhookEvent.Status


@pytest.fixture
def paid_delivery(wallet, paid_charge, delivery):
    checkout = paid_charge(wallet, "2000.00")
    return delivery("charge.success", checkout["reference"])


def test_a_signed_charge_success_is_acknowledged_stored_and_credited(
    client, wallet, paid_delivery, q_sync
):
    response = post_webhook(client, paid_delivery["body"], paid_delivery["signature"])

    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.status == Status.PROCESSED and event.raw_body == paid_delivery["body"]
    assert event.event_key.startswith("charge.success:")
    assert balances(wallet) == [Decimal("2000.00")]
    assert_ledger_consistent()


def test_redeliveries_are_acknowledged_and_credit_nothing_more(
    client, wallet, paid_delivery, q_sync
):
    for _ in range(3):
        response = post_webhook(client, paid_delivery["body"], paid_delivery["signature"])
        assert response.status_code == 200

    event = WebhookEvent.objects.get()
    assert (event.deliveries, event.attempts) == (3, 1)
    assert balances(wallet) == [Decimal("2000.00")]


def _assert_rejected_and_nothing_moved(response, wallet, reason_part):
    assert 400 <= response.status_code < 500
    assert not WebhookEvent.objects.exists()
    refusal = WebhookRefusal.objects.get()
    assert refusal.count == 1 and reason_part in refusal.reason
    assert not LedgerEntry.objects.exists()
    assert balances(wallet) == [Decimal("0.00")]
    assert Transaction.objects.get().status == TransactionStatus.PENDING


def test_a_forged_signature_is_rejected_recorded_and_moves_nothing(
    client, wallet, paid_delivery, q_sync
):
    forged = webhooks.signature_for(paid_delivery["body"].encode(), "sk_test_guessed")
    response = post_webhook(client, paid_delivery["body"], forged)
    _assert_rejected_and_nothing_moved(response, wallet, "Invalid signature")


def test_a_missing_signature_is_rejected(client, wallet, paid_delivery, q_sync):
    response = post_webhook(client, paid_delivery["body"], "")
    _assert_rejected_and_nothing_moved(response, wallet, "Missing")


def test_a_modified_body_with_the_original_signature_is_rejected(
    client, wallet, paid_delivery, q_sync
):
    payload = json.loads(paid_delivery["body"])
    payload["data"]["amount"] *= 10
    response = post_webhook(client, json.dumps(payload), paid_delivery["signature"])
    _assert_rejected_and_nothing_moved(response, wallet, "Invalid signature")


def test_re_serialised_json_is_rejected_because_the_signature_covers_the_raw_bytes(
    client, wallet, paid_delivery, q_sync
):
    body = json.dumps(json.loads(paid_delivery["body"]), indent=1)
    response = post_webhook(client, body, paid_delivery["signature"])
    _assert_rejected_and_nothing_moved(response, wallet, "Invalid signature")


def test_no_webhook_is_accepted_while_no_secret_key_is_configured(
    client, wallet, paid_delivery, settings, q_sync
):
    settings.PAYSTACK_SECRET_KEY = ""
    empty_key_signature = webhooks.signature_for(paid_delivery["body"].encode(), "")
    response = post_webhook(client, paid_delivery["body"], empty_key_signature)
    _assert_rejected_and_nothing_moved(response, wallet, "No Paystack secret key")


def test_a_sender_outside_the_ip_allowlist_is_rejected(
    client, wallet, paid_delivery, settings, q_sync
):
    settings.PAYSTACK_WEBHOOK_IPS = ["52.31.139.75", "52.49.173.169", "52.214.14.220"]
    response = post_webhook(client, paid_delivery["body"], paid_delivery["signature"])
    _assert_rejected_and_nothing_moved(response, wallet, "not in PAYSTACK_WEBHOOK_IPS")


def test_a_sender_inside_the_ip_allowlist_is_accepted(
    client, wallet, paid_delivery, settings, q_sync
):
    settings.PAYSTACK_WEBHOOK_IPS = ["52.31.139.75"]
    response = post_webhook(
        client, paid_delivery["body"], paid_delivery["signature"], REMOTE_ADDR="52.31.139.75"
    )
    assert response.status_code == 200
    assert balances(wallet) == [Decimal("2000.00")]


def test_a_get_request_is_not_allowed(client):
    assert client.get("/wallet/webhook/").status_code == 405


def test_an_unknown_event_is_recorded_and_acknowledged(client, settings, q_sync):
    body = json.dumps({"event": "subscription.create", "data": {"id": 7}}).encode()
    signature = webhooks.signature_for(body, settings.PAYSTACK_SECRET_KEY)

    response = post_webhook(client, body, signature)

    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.status == Status.IGNORED and event.event == "subscription.create"


def test_a_charge_success_for_an_unknown_reference_is_refused_and_kept(client, settings, q_sync):
    data = {"reference": "someone-elses-123456", "status": "success", "amount": 5000}
    body = json.dumps({"event": "charge.success", "data": data}).encode()
    signature = webhooks.signature_for(body, settings.PAYSTACK_SECRET_KEY)

    assert post_webhook(client, body, signature).status_code == 200

    event = WebhookEvent.objects.get()
    assert event.status == Status.REFUSED and "No payment with this reference" in event.last_error
    assert not LedgerEntry.objects.exists()


@pytest.fixture
def ledger_insert_fails():
    """Make the database refuse ledger rows: a handler fails midway, after locking the deposit
    (a PostgreSQL trigger; nothing in the project is replaced)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_ledger_rows() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'disk full (test)'; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER refuse_ledger_rows BEFORE INSERT ON wallet_ledgerentry "
            "FOR EACH ROW EXECUTE FUNCTION refuse_ledger_rows();"
        )

    def heal():
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER refuse_ledger_rows ON wallet_ledgerentry;"
                "DROP FUNCTION refuse_ledger_rows();"
            )

    return heal


def test_a_handler_failing_midway_keeps_the_event_and_a_retry_credits_once(
    client, wallet, paid_delivery, ledger_insert_fails, q_sync
):
    response = post_webhook(client, paid_delivery["body"], paid_delivery["signature"])

    assert response.status_code == 200  # stored: Paystack need not retry, we will
    event = WebhookEvent.objects.get()
    assert event.status == Status.FAILED and "disk full" in event.last_error
    assert Transaction.objects.get().status == TransactionStatus.PENDING
    assert not LedgerEntry.objects.exists()
    assert balances(wallet) == [Decimal("0.00")]

    ledger_insert_fails()  # heal
    post_webhook(client, paid_delivery["body"], paid_delivery["signature"])  # Paystack's retry
    webhooks.reprocess(event)  # and staff pressing "reprocess" too

    event.refresh_from_db()
    assert event.status == Status.PROCESSED and event.attempts == 2
    assert balances(wallet) == [Decimal("2000.00")]
    assert_ledger_consistent()


def test_the_retry_schedule_processes_failed_events_once(
    client, wallet, paid_delivery, ledger_insert_fails, q_sync
):
    post_webhook(client, paid_delivery["body"], paid_delivery["signature"])
    ledger_insert_fails()
    WebhookEvent.objects.update(updated_at="2000-01-01T00:00:00Z")

    assert webhooks.retry_failed_events() == 1
    assert webhooks.retry_failed_events() == 0

    assert WebhookEvent.objects.get().status == Status.PROCESSED
    assert balances(wallet) == [Decimal("2000.00")]


def test_transfer_events_are_handed_to_payouts_and_unknown_ones_recorded_as_ignored(
    client, settings, q_sync
):
    data = {"reference": "not-a-payout-of-ours-0001", "status": "success", "amount": 100000}
    body = json.dumps({"event": "transfer.success", "data": data}).encode()
    signature = webhooks.signature_for(body, settings.PAYSTACK_SECRET_KEY)

    assert post_webhook(client, body, signature).status_code == 200

    event = WebhookEvent.objects.get()
    assert event.status == Status.IGNORED and "Not a payout" in event.last_error

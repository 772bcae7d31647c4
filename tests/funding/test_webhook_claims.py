"""The acknowledgement is one INSERT; the webhook worker claims stored events with SKIP LOCKED
and applies each exactly once, however many workers run at once."""

import json
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.funding.conftest import post_webhook
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import LedgerEntry, Transaction, TransactionStatus, WebhookEvent
from wallet.services.funding import webhook_claims, webhooks
from wallet.services.notifications import service

Status = WebhookEvent.Status


@pytest.fixture
def paid_delivery(wallet, paid_charge, delivery):
    checkout = paid_charge(wallet, "2000.00")
    return delivery("charge.success", checkout["reference"])


@pytest.mark.django_db
def test_the_acknowledgement_is_one_insert_and_queues_nothing(
    client, wallet, paid_delivery, django_assert_num_queries
):
    with django_assert_num_queries(1) as captured:
        response = post_webhook(client, paid_delivery["body"], paid_delivery["signature"])

    assert response.status_code == 200
    assert captured.captured_queries[0]["sql"].startswith('INSERT INTO "wallet_webhookevent"')
    event = WebhookEvent.objects.get()
    assert response.json() == {"status": "ok", "event": event.pk}
    assert (event.status, event.attempts, event.deliveries) == (Status.RECEIVED, 0, 1)
    assert event.raw_body == paid_delivery["body"] and event.remote_addr == "127.0.0.1"
    assert event.event == "charge.success" and event.payload["event"] == "charge.success"
    assert balances(wallet) == [Decimal("0.00")]  # nothing applied until the worker claims it

    assert webhook_claims.process_waiting() == 1
    event.refresh_from_db()
    assert (event.status, event.attempts) == (Status.PROCESSED, 1)
    assert balances(wallet) == [Decimal("2000.00")]
    assert webhook_claims.process_waiting() == 0


@pytest.mark.django_db
def test_a_redelivery_is_counted_and_credits_nothing_more(client, wallet, paid_delivery):
    post_webhook(client, paid_delivery["body"], paid_delivery["signature"])
    webhook_claims.process_waiting()
    again = post_webhook(client, paid_delivery["body"], paid_delivery["signature"])

    event = WebhookEvent.objects.get()
    assert again.status_code == 200 and again.json()["event"] == event.pk
    assert (event.deliveries, event.status) == (2, Status.PROCESSED)
    assert webhook_claims.process_waiting() == 0
    assert balances(wallet) == [Decimal("2000.00")]


@pytest.mark.django_db
def test_a_forged_signature_is_refused_and_nothing_is_claimable(client, wallet, paid_delivery):
    response = post_webhook(client, paid_delivery["body"], "0" * 128)

    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()
    assert webhook_claims.process_waiting() == 0
    assert balances(wallet) == [Decimal("0.00")]


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_apply_every_event_exactly_once(wallet, paid_charge, delivery):
    """Twelve stored deposits (each also delivered twice more), four workers started together
    on their own connections: every event applied once, every deposit credited once."""
    amounts = [Decimal(f"{100 + n}.00") for n in range(12)]
    references = []
    for amount in amounts:
        sent = delivery("charge.success", paid_charge(wallet, str(amount))["reference"])
        references.append(sent["reference"])
        for _ in range(3):  # Paystack's redeliveries, acknowledged before any worker runs
            assert post_webhook(Client(), sent["body"], sent["signature"]).status_code == 200
    barrier = threading.Barrier(4)
    applied, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            while done := webhook_claims.process_waiting(limit=2):
                applied.append(done)
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(applied) == 12
    events = WebhookEvent.objects.all()
    assert {(e.status, e.attempts, e.deliveries) for e in events} == {(Status.PROCESSED, 1, 3)}
    assert balances(wallet) == [sum(amounts)]
    for reference in references:
        tx = Transaction.objects.get(reference=reference)
        assert tx.status == TransactionStatus.SUCCESS
        assert LedgerEntry.objects.filter(journal=tx, wallet=wallet).count() == 1
    assert_ledger_consistent()


@pytest.mark.django_db
def test_a_worker_that_died_holding_an_event_is_replaced_by_the_retry_schedule(
    client, wallet, paid_delivery
):
    post_webhook(client, paid_delivery["body"], paid_delivery["signature"])
    assert [event.pk for event in webhook_claims.claim()]  # claimed, then the worker died
    WebhookEvent.objects.update(updated_at="2000-01-01T00:00:00Z")

    assert webhook_claims.process_waiting() == 0  # not `received`: no other worker takes it
    assert webhooks.retry_failed_events() == 1
    event = WebhookEvent.objects.get()
    assert (event.status, event.attempts) == (Status.PROCESSED, 2)
    assert balances(wallet) == [Decimal("2000.00")]


@pytest.mark.django_db
def test_a_redelivered_failed_event_becomes_claimable_again(client, wallet, paid_delivery):
    post_webhook(client, paid_delivery["body"], paid_delivery["signature"])
    WebhookEvent.objects.update(status=Status.FAILED, attempts=1)

    post_webhook(client, paid_delivery["body"], paid_delivery["signature"])

    assert WebhookEvent.objects.get().status == Status.RECEIVED
    assert webhook_claims.process_waiting() == 1
    assert balances(wallet) == [Decimal("2000.00")]


@pytest.mark.django_db(transaction=True)
def test_the_worker_e_mails_a_batch_of_credits_with_one_task(
    client, wallet, paid_charge, delivery, monkeypatch
):
    queued = []
    monkeypatch.setattr(service, "enqueue", lambda func, *args: queued.append((func, args)))
    for amount in ("100.00", "200.00", "300.00"):
        paid = delivery("charge.success", paid_charge(wallet, amount)["reference"])
        post_webhook(client, paid["body"], paid["signature"])

    assert webhook_claims.process_waiting() == 3

    email_tasks = [args for func, args in queued if func == service.EMAIL_TASK]
    assert len(email_tasks) == 1 and len(email_tasks[0][0]) == 3
    assert balances(wallet) == [Decimal("600.00")]


@pytest.mark.django_db
def test_a_batch_of_card_credits_costs_a_bounded_number_of_queries(
    client, wallet, paid_charge, delivery, django_assert_num_queries
):
    """Per credit: the deposit found and locked with its owner and notification settings (one
    query), the wallet lock, the card, the ledger, the balance, the status and its change, the
    tier cap, the notice; the batch's outcomes in one UPDATE per outcome (issue 25)."""
    for amount in ("100.00", "200.00", "300.00", "400.00"):
        paid = delivery("charge.success", paid_charge(wallet, amount)["reference"])
        post_webhook(client, paid["body"], paid["signature"])
    first = delivery("charge.success", paid_charge(wallet, "50.00")["reference"])
    post_webhook(client, first["body"], first["signature"])
    webhook_claims.process_waiting(limit=1)  # the card is saved: later credits update it

    # The claim (its savepoint pair, the locked read, the flip to processing, the events'
    # rows), 10 statements a credit within its savepoint pair, one UPDATE for the outcomes.
    # It was 5 + 4 * 14 + 4: the deposit read, then locked; settings read; one UPDATE each.
    with django_assert_num_queries(5 + 4 * (10 + 2) + 1):
        assert webhook_claims.process_waiting() == 4

    assert balances(wallet) == [Decimal("1050.00")]
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {Status.PROCESSED}


def signed(payload):
    body = json.dumps(payload).encode()
    return body, webhooks.signature_for(body, settings.PAYSTACK_SECRET_KEY)


@pytest.mark.django_db
def test_a_batch_records_each_event_s_own_outcome(client, wallet, paid_charge, delivery):
    """Outcomes are written together but stay each event's own: a credit, a refusal (an
    unknown reference) and an event this site does not use, in one batch."""
    paid = delivery("charge.success", paid_charge(wallet, "700.00")["reference"])
    assert post_webhook(client, paid["body"], paid["signature"]).status_code == 200
    unknown = {"status": "success", "reference": "no-such-deposit-here", "amount": 70000}
    for payload in (
        {"event": "charge.success", "data": {**unknown, "currency": "NGN", "channel": "card"}},
        {"event": "subscription.create", "data": {"id": 1}},
    ):
        assert post_webhook(client, *signed(payload)).status_code == 200

    assert webhook_claims.process_waiting() == 3

    credited = WebhookEvent.objects.get(reference=paid["reference"])
    assert (credited.status, credited.last_error) == (Status.PROCESSED, "")
    assert credited.processed_at is not None and credited.customer_id == wallet.user_id
    refused = WebhookEvent.objects.get(reference="no-such-deposit-here")
    assert refused.status == Status.REFUSED and refused.last_error
    assert refused.processed_at is not None and refused.customer_id is None
    assert WebhookEvent.objects.get(event="subscription.create").status == Status.IGNORED
    assert balances(wallet) == [Decimal("700.00")]

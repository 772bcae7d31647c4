"""Webhooks: signed with HMAC-SHA512 of the raw body, retried on non-200, faults apply."""

import hashlib
import hmac
import json
import time

import requests


def wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def pay(sandbox, amount=500_000):
    body = {"email": "payer@example.com", "amount": amount}
    data = sandbox.api("POST", "/transaction/initialize", json=body).json()["data"]
    sandbox.complete_checkout(data["access_code"])
    return data["reference"]


def test_charge_success_is_signed_over_the_exact_raw_body(sandbox, webhook_receiver):
    reference = pay(sandbox)
    wait_until(lambda: webhook_receiver.requests)
    request = webhook_receiver.requests[0]
    expected = hmac.new(sandbox.secret_key.encode(), request["body"], hashlib.sha512).hexdigest()
    assert request["headers"]["x-paystack-signature"] == expected
    payload = json.loads(request["body"])
    assert payload["event"] == "charge.success"
    assert payload["data"]["reference"] == reference
    assert payload["data"]["amount"] == 500_000


def test_non_200_answers_are_retried_until_accepted(sandbox, webhook_receiver):
    sandbox.configure(webhook_retry_delays=[0.05, 0.05, 0.05])
    webhook_receiver.answers = [500, 404]
    reference = pay(sandbox)
    delivery = sandbox.wait_for_delivery("charge.success", reference=reference)
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 404, 200]


def test_delivery_gives_up_after_the_retry_schedule(sandbox, webhook_receiver):
    sandbox.configure(webhook_retry_delays=[0.05])
    webhook_receiver.answers = [500, 500, 500]
    reference = pay(sandbox)
    delivery = sandbox.wait_for_delivery("charge.success", reference=reference, status="failed")
    assert len(delivery["attempts"]) == 2


def test_resend_delivers_a_failed_delivery_again(sandbox, webhook_receiver):
    sandbox.configure(webhook_retry_delays=[])
    webhook_receiver.answers = [500]
    reference = pay(sandbox)
    failed = sandbox.wait_for_delivery("charge.success", reference=reference, status="failed")
    sandbox.resend(failed["id"])
    delivered = sandbox.wait_for_delivery("charge.success", reference=reference)
    assert [a["status_code"] for a in delivered["attempts"]] == [500, 200]


def test_duplicate_fault_delivers_the_same_event_twice(sandbox, webhook_receiver):
    sandbox.fault("webhook", "duplicate")
    pay(sandbox)
    wait_until(lambda: len(webhook_receiver.requests) == 2)
    first, second = webhook_receiver.requests
    assert first["body"] == second["body"]


def test_reorder_fault_sends_held_events_in_reverse(sandbox, webhook_receiver):
    sandbox.fault("webhook", "reorder", times=2)
    first, second = pay(sandbox), pay(sandbox)
    wait_until(lambda: len(webhook_receiver.requests) == 2)
    order = [json.loads(r["body"])["data"]["reference"] for r in webhook_receiver.requests]
    assert order == [second, first]


def test_delay_fault_holds_the_delivery(sandbox, webhook_receiver):
    sandbox.fault("webhook", "delay", seconds=0.5)
    started = time.monotonic()
    pay(sandbox)
    wait_until(lambda: webhook_receiver.requests)
    assert time.monotonic() - started >= 0.5


def test_deliveries_page_lists_deliveries_with_a_resend_button(sandbox, webhook_receiver):
    reference = pay(sandbox)
    sandbox.wait_for_delivery("charge.success", reference=reference)
    page = requests.get(f"{sandbox.base_url}/deliveries", timeout=5).text
    assert reference in page
    assert "Resend</button>" in page


def test_without_a_webhook_url_deliveries_are_recorded_not_sent(sandbox):
    reference = pay(sandbox)
    (delivery,) = sandbox.deliveries("charge.success", reference)
    assert delivery["status"] == "no_url"


def test_after_a_reset_nothing_from_before_reaches_the_webhook_url(sandbox, webhook_receiver):
    sandbox.configure(webhook_retry_delays=[0.02] * 100, settle_delay=0.3)
    webhook_receiver.answers = [500] * 1000
    pay(sandbox)
    wait_until(lambda: len(webhook_receiver.requests) >= 3)
    sandbox.reset()
    seen = len(webhook_receiver.requests)
    time.sleep(0.4)
    assert len(webhook_receiver.requests) == seen
    assert {d["status"] for d in sandbox.deliveries()} <= {
        "delivered",
        "failed",
        "cancelled",
        "no_url",
    }


def test_burst_fault_sends_the_same_event_in_parallel_requests(sandbox, webhook_receiver):
    webhook_receiver.delay = 0.3
    sandbox.fault("webhook", "burst", copies=5)
    reference = pay(sandbox)
    wait_until(lambda: len(webhook_receiver.requests) == 5)
    assert len({r["body"] for r in webhook_receiver.requests}) == 1
    assert webhook_receiver.most_in_flight >= 3
    wait_until(
        lambda: (
            len(
                sandbox.deliveries(
                    "charge.success",
                    reference,
                )
            )
            == 5
            and all(
                d["status"] == "delivered" for d in sandbox.deliveries("charge.success", reference)
            )
        )
    )

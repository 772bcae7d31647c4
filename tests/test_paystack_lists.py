"""Reconciliation's paging: PaystackClient.iter_list reads every page of each list Paystack
serves (transactions, transfers, refunds, customers) and keeps to a from / to window."""

import time
from datetime import UTC, datetime

import pytest

from wallet.paystack import PaystackClient


@pytest.fixture
def client(sandbox):
    client = PaystackClient(timeout=2.0, connect_timeout=0.5)
    yield client
    client.close()


def moment():
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def paid(client, sandbox, n):
    started = client.initialize_transaction(email=f"pages-{n}@example.com", amount_kobo=20_000)
    assert sandbox.complete_checkout(started["authorization_url"]) == "success"
    return started["reference"]


def refund(client, sandbox, n):
    return client.create_refund(transaction=paid(client, sandbox, n), amount_kobo=5_000)["id"]


def transfer(client, sandbox, n):
    recipient = client.create_transfer_recipient(
        name="Pages", account_number="0123123123", bank_code="058"
    )["recipient_code"]
    reference = f"pages-{time.time_ns()}-{n}"
    client.initiate_transfer(amount_kobo=100_000, recipient_code=recipient, reference=reference)
    return reference


def customer(client, sandbox, n):
    return client.create_customer(email=f"pages-{time.time_ns()}-{n}@example.com")["customer_code"]


LISTS = {
    "/transaction": (paid, "reference"),
    "/transfer": (transfer, "reference"),
    "/refund": (refund, "id"),
    "/customer": (customer, "customer_code"),
}


@pytest.mark.parametrize("path", LISTS)
def test_iter_list_reads_every_page_of_a_window_and_nothing_outside_it(client, sandbox, path):
    make, key = LISTS[path]
    make(client, sandbox, "before")
    time.sleep(0.02)
    start = moment()
    made = [make(client, sandbox, n) for n in range(5)]
    time.sleep(0.002)  # moment() drops the microseconds: `to` must not fall before the last
    end = moment()
    time.sleep(0.02)
    make(client, sandbox, "after")

    rows = list(client.iter_list(path, per_page=2, from_=start, to=end))

    assert [row[key] for row in rows] == made[::-1]  # three pages, newest first


def test_iter_refunds_of_one_charge_reads_past_the_first_page(client, sandbox):
    reference = paid(client, sandbox, "many")
    ids = [client.create_refund(transaction=reference, amount_kobo=2_000)["id"] for _ in range(5)]
    today = datetime.now(UTC).date().isoformat()

    found = [r["id"] for r in client.iter_refunds(transaction=reference, from_=today, per_page=2)]

    assert found == ids[::-1]
    assert list(client.iter_refunds(transaction=reference, to="2000-01-01")) == []

"""The list endpoints reconciliation reads page like Paystack: perPage, page, meta, from / to."""

import time
from datetime import UTC, datetime

import pytest


def iso_now():
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def paid_transaction(sandbox, email="lists@example.com", amount=20_000):
    started = sandbox.api(
        "POST", "/transaction/initialize", json={"email": email, "amount": amount}
    ).json()["data"]
    assert sandbox.complete_checkout(started["access_code"]) == "success"
    return started["reference"]


def make_transaction(sandbox, n):
    return paid_transaction(sandbox, email=f"lists-{n}@example.com")


def make_refund(sandbox, n):
    reference = paid_transaction(sandbox)
    answer = sandbox.api("POST", "/refund", json={"transaction": reference, "amount": 5_000})
    return answer.json()["data"]["id"]


def make_customer(sandbox, n):
    email = f"lists-{time.time_ns()}-{n}@example.com"
    return sandbox.api("POST", "/customer", json={"email": email}).json()["data"]["customer_code"]


def make_transfer(sandbox, n):
    recipient = sandbox.api(
        "POST",
        "/transferrecipient",
        json={"type": "nuban", "name": "L", "account_number": "0555555555", "bank_code": "058"},
    ).json()["data"]["recipient_code"]
    reference = f"lists-{time.time_ns()}-{n}"
    body = {"source": "balance", "amount": 100_000, "recipient": recipient, "reference": reference}
    return sandbox.api("POST", "/transfer", json=body).json()["data"]["reference"]


LISTS = {
    "/transaction": (make_transaction, "reference"),
    "/transfer": (make_transfer, "reference"),
    "/refund": (make_refund, "id"),
    "/customer": (make_customer, "customer_code"),
}


def every_page(sandbox, path, **params):
    """(rows of every page, the meta of each page), following meta.pageCount."""
    rows, metas, page = [], [], 1
    while True:
        answer = sandbox.api("GET", path, params={**params, "page": page}).json()
        assert answer["status"] is True
        rows += answer["data"]
        metas.append(answer["meta"])
        if page >= answer["meta"]["pageCount"]:
            return rows, metas
        page += 1


@pytest.mark.parametrize("path", LISTS)
def test_a_from_to_window_pages_through_exactly_the_objects_made_inside_it(sandbox, path):
    make, key = LISTS[path]
    make(sandbox, "before")
    time.sleep(0.02)
    start = iso_now()
    inside = [make(sandbox, n) for n in range(5)]
    time.sleep(0.002)  # iso_now() drops the microseconds: `to` must not fall before the last
    end = iso_now()
    time.sleep(0.02)
    make(sandbox, "after")

    rows, metas = every_page(sandbox, path, perPage=2, **{"from": start, "to": end})

    assert [row[key] for row in rows] == inside[::-1]  # newest first, nothing else
    assert [m["page"] for m in metas] == [1, 2, 3]
    # The refund list's perPage is a string, as Paystack's spec gives it.
    assert {(m["total"], int(m["perPage"]), m["pageCount"]) for m in metas} == {(5, 2, 3)}
    assert [m["skipped"] for m in metas] == [0, 2, 4]


def test_a_page_past_the_end_is_empty_with_the_same_meta(sandbox):
    start = iso_now()
    paid_transaction(sandbox)
    answer = sandbox.api("GET", "/transaction", params={"from": start, "page": 9}).json()
    assert answer["data"] == []
    assert (answer["meta"]["total"], answer["meta"]["page"], answer["meta"]["skipped"]) == (
        1,
        9,
        400,
    )


def test_a_bare_date_in_to_covers_that_whole_day(sandbox):
    today = datetime.now(UTC).date().isoformat()
    reference = paid_transaction(sandbox)
    rows, _ = every_page(sandbox, "/transaction", perPage=100, **{"from": today, "to": today})
    assert reference in [row["reference"] for row in rows]
    yesterday = sandbox.api("GET", "/transaction", params={"to": "2000-01-01"}).json()
    assert yesterday["data"] == [] and yesterday["meta"]["total"] == 0


def test_an_unreadable_date_is_a_validation_error(sandbox):
    answer = sandbox.api("GET", "/refund", params={"from": "last tuesday"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_params"


def test_the_transaction_list_sums_the_successful_volume_of_the_window(sandbox):
    start = iso_now()
    paid_transaction(sandbox, amount=20_000)
    paid_transaction(sandbox, amount=30_000)
    sandbox.api("POST", "/transaction/initialize", json={"email": "x@example.com", "amount": 9_000})
    meta = sandbox.api("GET", "/transaction", params={"from": start}).json()["meta"]
    assert (meta["total"], meta["total_volume"]) == (3, 50_000)

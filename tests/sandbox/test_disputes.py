"""The sandbox's disputes: raised on a paid card charge with a due date, webhooks shaped as
GET /dispute/:id (the official spec), lost by default after the due date, the merchant balance
moving only when the business loses, list windows and paging, export as CSV."""

import time

import requests

from tests.sandbox import spec
from tests.sandbox.tour import paid
from tests.sandbox.tour_disputes import EVIDENCE, disputed, uploaded_file


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not (found := predicate()):
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
    return found


def balance(sandbox):
    return sandbox.api("GET", "/balance").json()["data"][0]["balance"]


def test_each_dispute_webhook_carries_the_dispute_as_the_spec_shapes_it(sandbox):
    dispute = disputed(sandbox, due_in_seconds=3600)
    reference = dispute["transaction"]["reference"]
    sandbox.remind_dispute(dispute["id"])
    (create,) = sandbox.deliveries("charge.dispute.create", reference)
    (remind,) = sandbox.deliveries("charge.dispute.remind", reference)
    for delivery in (create, remind):
        data = delivery["payload"]["data"]
        assert (
            spec.problems(
                "GET", "/dispute/{id}", 200, {"status": True, "message": "ok", "data": data}
            )
            == []
        )
        assert (data["id"], data["status"]) == (dispute["id"], "awaiting-merchant-feedback")
        assert data["dueAt"] and data["refund_amount"] == dispute["transaction"]["amount"]


def test_an_unanswered_dispute_is_lost_by_default_at_its_due_date(sandbox):
    before = balance(sandbox)
    dispute = disputed(sandbox, due_in_seconds=0.2)
    reference = dispute["transaction"]["reference"]
    (resolve,) = wait_for(lambda: sandbox.deliveries("charge.dispute.resolve", reference))
    data = resolve["payload"]["data"]
    assert (data["status"], data["resolution"]) == ("resolved", "auto-accepted")
    # The sandbox's balance does not count card payments in; the disputed amount went out.
    assert balance(sandbox) == before - dispute["refund_amount"]


def test_declining_with_evidence_keeps_the_money_and_accepting_gives_it_back(sandbox):
    won = disputed(sandbox)
    sandbox.api("POST", f"/dispute/{won['id']}/evidence", json=EVIDENCE)
    before = balance(sandbox)
    body = {
        "resolution": "declined",
        "message": "Our evidence",
        "refund_amount": 20_000,
        "uploaded_filename": uploaded_file(sandbox, won["id"]),
    }
    answer = sandbox.api("PUT", f"/dispute/{won['id']}/resolve", json=body).json()["data"]
    assert (answer["resolution"], balance(sandbox)) == ("declined", before)
    lost = disputed(sandbox)
    body = {
        "resolution": "merchant-accepted",
        "message": "Fine",
        "refund_amount": 15_000,
        "uploaded_filename": uploaded_file(sandbox, lost["id"]),
    }
    answer = sandbox.api("PUT", f"/dispute/{lost['id']}/resolve", json=body).json()["data"]
    assert (answer["resolution"], balance(sandbox)) == ("merchant-accepted", before - 15_000)
    again = sandbox.api("PUT", f"/dispute/{lost['id']}/resolve", json=body)
    assert again.status_code == 400 and balance(sandbox) == before - 15_000


def test_declining_without_evidence_or_with_a_file_never_uploaded_is_refused(sandbox):
    dispute = disputed(sandbox)
    signed = sandbox.api("GET", f"/dispute/{dispute['id']}/upload_url").json()["data"]
    body = {
        "resolution": "declined",
        "message": "x",
        "refund_amount": 100,
        "uploaded_filename": signed["fileName"],
    }
    not_uploaded = sandbox.api("PUT", f"/dispute/{dispute['id']}/resolve", json=body)
    assert not_uploaded.status_code == 400
    requests.put(signed["signedUrl"], data=b"file", timeout=10).raise_for_status()
    no_evidence = sandbox.api("PUT", f"/dispute/{dispute['id']}/resolve", json=body)
    assert no_evidence.status_code == 400
    fetched = sandbox.api("GET", f"/dispute/{dispute['id']}").json()["data"]
    assert fetched["status"] == "awaiting-merchant-feedback"


def test_a_charge_not_paid_by_card_or_already_disputed_cannot_be_disputed(sandbox):
    tx = paid(sandbox)
    sandbox.raise_dispute(tx["reference"])
    again = sandbox.http.post(
        f"{sandbox.base_url}/_sandbox/disputes", json={"transaction": tx["reference"]}, timeout=10
    )
    assert again.status_code == 400


def test_the_list_filters_by_status_and_window_and_pages(sandbox):
    start = time.time()
    first, second, third = (disputed(sandbox) for _ in range(3))
    since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(start - 1))
    page = sandbox.api("GET", "/dispute", params={"from": since, "perPage": 2, "page": 2})
    body = page.json()
    assert [d["id"] for d in body["data"]][:1] == [first["id"]]
    assert body["meta"]["perPage"] == 2 and body["meta"]["total"] >= 3
    by_tx = sandbox.api("GET", "/dispute", params={"transaction": second["transaction"]["id"]})
    assert [d["id"] for d in by_tx.json()["data"]] == [second["id"]]
    resolved = sandbox.api("GET", "/dispute", params={"status": "resolved", "from": since})
    assert third["id"] not in [d["id"] for d in resolved.json()["data"]]


def test_the_export_is_a_csv_of_the_chosen_disputes(sandbox):
    dispute = disputed(sandbox)
    path = sandbox.api("GET", "/dispute/export").json()["data"]["path"]
    text = requests.get(path, timeout=10).text
    assert text.startswith("id,transaction_reference,refund_amount")
    assert f"{dispute['id']},{dispute['transaction']['reference']}," in text

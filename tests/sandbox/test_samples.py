"""The objects the conformance test cannot judge by type alone: values as Paystack's samples
show them (notes, processor references, recipients set inactive, identification outcomes)."""

import re

from tests.sandbox.tour import (
    FAILED_BVN,
    customer,
    identification_body,
    paid,
    recipient,
    transfer_body,
)

PROCESSOR_CARD_REFERENCE = re.compile(r"^\d{12}$")


def test_a_refund_without_notes_gets_paystacks_notes_and_the_whole_transaction(sandbox):
    tx = paid(sandbox)
    data = sandbox.api("POST", "/refund", json={"transaction": tx["reference"]}).json()["data"]
    assert data["customer_note"] == f"Refund for transaction {tx['reference']}"
    assert data["merchant_note"] == (
        f"Refund for transaction {tx['reference']} by {data['refunded_by']}"
    )
    inside = data["transaction"]
    assert (
        inside["authorization"]["authorization_code"] == (tx["authorization"]["authorization_code"])
    )
    assert inside["customer"]["customer_code"] == tx["customer"]["customer_code"]
    assert (inside["plan"], inside["split"], inside["order_id"]) == ({}, {}, None)
    assert (data["refund_type"], data["initiated_by"], data["refund_channel"]) == (
        "full",
        "merchant",
        "card",
    )
    assert data["bank_reference"] is None and data["created_at"] == data["createdAt"]


def test_a_processed_refund_carries_a_processor_reference_and_its_webhook_no_refund_id(sandbox):
    tx = paid(sandbox)
    created = sandbox.api("POST", "/refund", json={"transaction": tx["reference"], "amount": 5_000})
    refund_id = created.json()["data"]["id"]
    sandbox.settle()
    fetched = sandbox.api("GET", f"/refund/{refund_id}").json()["data"]
    assert PROCESSOR_CARD_REFERENCE.match(fetched["bank_reference"])
    assert (fetched["refund_type"], fetched["transaction_amount"]) == ("partial", 20_000)
    (pending,) = sandbox.deliveries("refund.pending", tx["reference"])
    (processed,) = sandbox.deliveries("refund.processed", tx["reference"])
    assert pending["payload"]["data"]["refund_reference"] is None
    data = processed["payload"]["data"]
    assert data["refund_reference"] == fetched["bank_reference"]
    assert data["refund_reference"] != str(refund_id)
    assert "id" not in data and "refund_id" not in data
    assert (data["transaction_reference"], data["amount"]) == (tx["reference"], 5000)


def test_a_bank_transfer_payment_is_refunded_by_a_transfer_code(sandbox):
    code = customer(sandbox)["customer_code"]
    dva = sandbox.api("POST", "/dedicated_account", json={"customer": code}).json()["data"]
    tx = sandbox.send_dva_transfer(dva["account_number"], 30_000)
    sandbox.api("POST", "/refund", json={"transaction": tx["reference"]})
    sandbox.settle()
    (processed,) = sandbox.deliveries("refund.processed", tx["reference"])
    assert processed["payload"]["data"]["refund_reference"].startswith("TRF_")


def test_a_needs_attention_refund_names_its_refund_for_the_retry(sandbox):
    tx = paid(sandbox, card="4084080000671902")
    refund_id = sandbox.api("POST", "/refund", json={"transaction": tx["reference"]}).json()[
        "data"
    ]["id"]
    sandbox.settle()
    (event,) = sandbox.deliveries("refund.needs-attention", tx["reference"])
    assert event["payload"]["data"]["id"] == str(refund_id)  # a string, as in the samples
    assert event["payload"]["data"]["refund_reference"] is None


def test_deleting_a_recipient_sets_it_inactive_and_transfers_to_it_are_refused(sandbox):
    code = recipient(sandbox, "0888888888")["recipient_code"]
    answer = sandbox.api("DELETE", f"/transferrecipient/{code}")
    assert answer.json() == {"status": True, "message": "Transfer recipient set as inactive"}
    fetched = sandbox.api("GET", f"/transferrecipient/{code}").json()["data"]
    assert (fetched["active"], fetched["isDeleted"], fetched["is_deleted"]) == (False, True, True)
    refused = sandbox.api("POST", "/transfer", json=transfer_body(sandbox, recipient=code))
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_transfer_recipient"
    again = recipient(sandbox, "0888888888")
    assert (again["recipient_code"], again["active"]) == (code, True)


def test_recipients_name_their_account_and_institution(sandbox):
    data = recipient(sandbox, "0999999990")
    assert (data["recipient_account"], data["institution_code"]) == ("0999999990", "058")


def test_a_transfer_answer_opens_with_session_ids_and_trials_and_a_string_reason(sandbox):
    body = transfer_body(sandbox)
    del body["reason"]
    data = sandbox.api("POST", "/transfer", json=body).json()["data"]
    assert list(data)[:2] == ["transfersessionid", "transfertrials"]
    assert (data["transfersessionid"], data["transfertrials"], data["reason"]) == ([], [], "")


def test_banks_come_by_name_with_paystacks_keys_in_paystacks_order(sandbox):
    banks = sandbox.api("GET", "/bank", params={"perPage": 100}).json()["data"]
    names = [bank["name"] for bank in banks]
    assert names == sorted(names, key=str.lower)
    assert list(banks[0]) == [
        "name",
        "slug",
        "code",
        "longcode",
        "gateway",
        "pay_with_bank",
        "supports_transfer",
        "available_for_direct_debit",
        "active",
        "is_deleted",
        "country",
        "currency",
        "type",
        "id",
        "createdAt",
        "updatedAt",
    ]


def test_a_customer_fetch_lists_its_transactions_cards_totals_and_dedicated_account(sandbox):
    first = paid(sandbox, email="fetch-me@example.com")
    paid(sandbox, email="fetch-me@example.com")
    code = first["customer"]["customer_code"]
    dva = sandbox.api("POST", "/dedicated_account", json={"customer": code}).json()
    assert dva["message"] == "NUBAN successfully created"
    data = sandbox.api("GET", f"/customer/{code}").json()["data"]
    references = {tx["reference"] for tx in data["transactions"]}
    assert first["reference"] in references
    assert data["total_transactions"] == len(data["transactions"]) >= 2
    assert {"currency": "NGN", "amount": 20_000 * data["total_transactions"]} in data[
        "total_transaction_value"
    ]
    codes = [auth["authorization_code"] for auth in data["authorizations"]]
    assert first["authorization"]["authorization_code"] in codes
    assert data["dedicated_account"]["account_number"] == dva["data"]["account_number"]
    assert data["dedicated_account"]["assignment"]["expired_at"] is None
    assert data["created_at"] == data["createdAt"]


def test_an_identification_succeeds_and_the_customer_becomes_identified(sandbox):
    code = customer(sandbox)["customer_code"]
    answer = sandbox.api("POST", f"/customer/{code}/identification", json=identification_body())
    assert (answer.status_code, answer.json()["message"]) == (
        202,
        "Customer Identification in progress",
    )
    sandbox.settle()
    (event,) = sandbox.deliveries("customeridentification.success", code)
    data = event["payload"]["data"]
    assert (data["customer_code"], data["identification"]["bvn"]) == (code, "222*****222")
    assert data["identification"]["account_number"] == "012*****89"
    fetched = sandbox.api("GET", f"/customer/{code}").json()["data"]
    assert fetched["identified"] is True
    assert fetched["identifications"] == [{"country": "NG", "type": "bvn", "value": "222*****222"}]


def test_the_documented_failing_bvn_fails_identification(sandbox):
    code = customer(sandbox)["customer_code"]
    body = identification_body(bvn=FAILED_BVN)
    assert sandbox.api("POST", f"/customer/{code}/identification", json=body).status_code == 202
    sandbox.settle()
    (event,) = sandbox.deliveries("customeridentification.failed", code)
    assert event["payload"]["data"]["reason"] == "Account number or BVN is incorrect"
    assert sandbox.deliveries("customeridentification.success", code) == []
    assert sandbox.api("GET", f"/customer/{code}").json()["data"]["identified"] is False


def test_an_ongoing_transaction_says_so_in_its_gateway_response(sandbox):
    started = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "otp@example.com", "amount": 20_000}
    ).json()["data"]
    result = sandbox.complete_checkout(started["access_code"], card="5060666666666666666", otp="1")
    assert (result, result.next_step) == ("ongoing", "otp")
    listed = sandbox.api("GET", f"/transaction/verify/{started['reference']}").json()["data"]
    assert listed["gateway_response"] == "Transaction in progress"


def test_charge_success_has_the_samples_log_and_metadata_and_the_list_an_object(
    sandbox, webhook_receiver
):
    import json
    import time

    started = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "log@example.com", "amount": 20_000}
    ).json()["data"]
    sandbox.complete_checkout(started["access_code"], card="5060666666666666666")
    deadline = time.monotonic() + 5
    while not webhook_receiver.requests:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    data = json.loads(webhook_receiver.requests[0]["body"])["data"]
    assert data["log"]["authentication"] == "otp" and data["log"]["channel"] is None
    assert data["metadata"] == 0
    listed = sandbox.api("GET", "/transaction", params={"perPage": 1}).json()["data"][0]
    assert listed["reference"] == started["reference"] and listed["metadata"] == {}


def test_transfer_webhooks_carry_the_logo_and_snake_case_times(sandbox):
    transfer = sandbox.api("POST", "/transfer", json=transfer_body(sandbox)).json()["data"]
    sandbox.settle()
    (event,) = sandbox.deliveries("transfer.success", transfer["reference"])
    data = event["payload"]["data"]
    assert data["integration"]["logo_path"].startswith("https://")
    for shape in (data, data["recipient"]):
        assert shape["created_at"] == shape["createdAt"] and shape["updated_at"]


def test_an_otp_mode_transfer_answers_with_a_session_object(sandbox):
    sandbox.configure(transfer_otp=True)
    answer = sandbox.api("POST", "/transfer", json=transfer_body(sandbox)).json()["data"]
    assert answer["status"] == "otp" and answer["session"] == {"provider": None, "id": None}


def test_the_refund_fetch_says_fully_deducted_as_a_boolean_and_the_dva_list_in_sentence_case(
    sandbox,
):
    tx = paid(sandbox)
    created = sandbox.api("POST", "/refund", json={"transaction": tx["reference"]}).json()
    sandbox.settle()
    fetched = sandbox.api("GET", f"/refund/{created['data']['id']}").json()["data"]
    assert fetched["fully_deducted"] is True
    listed = sandbox.api("GET", "/dedicated_account").json()
    assert listed["message"] == "Managed accounts successfully retrieved"


def test_refund_pending_gives_the_amount_as_a_string_and_the_others_as_an_integer(sandbox):
    tx = paid(sandbox)
    sandbox.api("POST", "/refund", json={"transaction": tx["reference"], "amount": 5_000})
    sandbox.settle()
    (pending,) = sandbox.deliveries("refund.pending", tx["reference"])
    (processed,) = sandbox.deliveries("refund.processed", tx["reference"])
    assert pending["payload"]["data"]["amount"] == "5000"
    assert processed["payload"]["data"]["amount"] == 5000

"""The hosted checkout page and its control-API twin behave as the test-card table says."""

import re
from urllib.parse import parse_qs, urlsplit

import requests


def initialize(sandbox, amount=500_000, **extra):
    body = {"email": "payer@example.com", "amount": amount, **extra}
    response = sandbox.api("POST", "/transaction/initialize", json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def verify(sandbox, reference):
    return sandbox.api("GET", f"/transaction/verify/{reference}").json()["data"]


def test_initialize_points_at_the_sandbox_checkout_page(sandbox):
    data = initialize(sandbox, callback_url="http://shop.test/cb")
    assert data["authorization_url"] == f"{sandbox.base_url}/checkout/{data['access_code']}"
    page = requests.get(data["authorization_url"], timeout=5)
    assert page.status_code == 200
    assert 'label for="card_number">Card number' in page.text
    assert "4084084084084081" in page.text  # the test cards are listed
    assert ">Cancel</button>" in page.text


def test_unpaid_transaction_verifies_as_abandoned(sandbox):
    data = initialize(sandbox)
    tx = verify(sandbox, data["reference"])
    assert tx["status"] == "abandoned"
    assert tx["paid_at"] is None


def test_success_card_pays_and_redirects_to_callback_with_trxref_and_reference(sandbox):
    data = initialize(sandbox, callback_url="http://shop.test/cb?order=7")
    result = sandbox.complete_checkout(data["authorization_url"])
    assert result == "success"
    query = parse_qs(urlsplit(result.redirect_url).query)
    assert query == {
        "order": ["7"],
        "trxref": [data["reference"]],
        "reference": [data["reference"]],
    }
    tx = verify(sandbox, data["reference"])
    assert tx["status"] == "success"
    assert tx["gateway_response"] == "Successful"
    assert tx["channel"] == "card"
    assert tx["authorization"]["reusable"] is True
    assert tx["authorization"]["last4"] == "4081"


def test_declined_card_fails_and_can_be_retried_with_another_card(sandbox):
    data = initialize(sandbox)
    assert sandbox.complete_checkout(data["access_code"], card="4084080000005408") == "failed"
    assert verify(sandbox, data["reference"])["gateway_response"] == "Declined"
    assert sandbox.complete_checkout(data["access_code"]) == "success"


def test_insufficient_funds_card_fails_with_that_reason(sandbox):
    data = initialize(sandbox)
    result = sandbox.complete_checkout(data["access_code"], card="4084080000670037")
    assert result == "failed"
    assert result.gateway_response == "Insufficient Funds"


def test_pin_and_otp_card_waits_for_the_right_otp(sandbox):
    data = initialize(sandbox)
    waiting = sandbox.complete_checkout(
        data["access_code"], card="5060666666666666666", otp="999999"
    )
    assert waiting == "ongoing"
    assert waiting.next_step == "otp"
    assert verify(sandbox, data["reference"])["status"] == "ongoing"


def test_pin_card_with_documented_pin_succeeds(sandbox):
    data = initialize(sandbox)
    result = sandbox.complete_checkout(data["access_code"], card="507850785078507812", pin="1111")
    assert result == "success"


def test_token_not_generated_card_fails_after_pin(sandbox):
    data = initialize(sandbox)
    result = sandbox.complete_checkout(data["access_code"], card="507850785078507853")
    assert result == "failed"
    assert result.gateway_response.startswith("Token Not Generated")


def test_html_checkout_walks_pin_then_otp_then_redirects(sandbox):
    data = initialize(sandbox, callback_url="http://shop.test/cb")
    url = data["authorization_url"]
    page = requests.post(url, data={"step": "card", "card_number": "5060 6666 6666 6666 666"})
    assert 'id="pin"' in page.text
    page = requests.post(url, data={"step": "pin", "value": "0000"})
    assert "Incorrect PIN" in page.text
    page = requests.post(url, data={"step": "pin", "value": "1234"})
    assert 'id="otp"' in page.text
    done = requests.post(url, data={"step": "otp", "value": "123456"}, allow_redirects=False)
    assert done.status_code == 303
    ref = data["reference"]
    assert done.headers["Location"] == f"http://shop.test/cb?trxref={ref}&reference={ref}"


def test_html_checkout_bank_authorization_card_asks_then_succeeds(sandbox):
    data = initialize(sandbox)
    url = data["authorization_url"]
    page = requests.post(url, data={"step": "card", "card_number": "5192602720584796"})
    assert ">\nAuthorize</button>" in page.text
    page = requests.post(url, data={"step": "bank_auth", "decision": "approve"})
    assert "Payment successful" in page.text
    assert verify(sandbox, data["reference"])["status"] == "success"


def test_cancel_abandons_and_goes_to_cancel_action(sandbox):
    data = initialize(sandbox, metadata={"cancel_action": "http://shop.test/cancelled"})
    response = requests.post(f"{data['authorization_url']}/cancel", allow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Location"] == "http://shop.test/cancelled"
    assert verify(sandbox, data["reference"])["status"] == "abandoned"


def test_paid_checkout_page_says_so_and_links_back(sandbox):
    data = initialize(sandbox, callback_url="http://shop.test/cb")
    sandbox.complete_checkout(data["access_code"])
    page = requests.get(data["authorization_url"], timeout=5).text
    assert "Payment successful" in page
    assert re.search(r'id="continue" href="http://shop.test/cb\?trxref=', page)


def test_charging_a_saved_otp_card_pauses_until_the_payer_gives_the_otp(sandbox):
    data = initialize(sandbox)
    sandbox.complete_checkout(data["access_code"], card="5060666666666666666")
    auth = verify(sandbox, data["reference"])["authorization"]["authorization_code"]
    body = {"authorization_code": auth, "email": "payer@example.com", "amount": 20_000}
    paused = sandbox.api("POST", "/transaction/charge_authorization", json=body).json()
    assert paused["message"] == "Please, redirect your customer to the authorization url provided"
    assert paused["data"]["paused"] is True
    assert verify(sandbox, paused["data"]["reference"])["status"] == "ongoing"
    page = requests.get(paused["data"]["authorization_url"], timeout=5).text
    assert 'id="otp"' in page
    requests.post(paused["data"]["authorization_url"], data={"step": "otp", "value": "123456"})
    assert verify(sandbox, paused["data"]["reference"])["status"] == "success"


def test_cancel_action_inside_stringified_metadata_is_honoured(sandbox):
    metadata = '{"cancel_action": "http://shop.test/back"}'
    data = initialize(sandbox, metadata=metadata)
    assert sandbox.cancel_checkout(data["access_code"]).redirect_url == "http://shop.test/back"
    assert verify(sandbox, data["reference"])["metadata"] == metadata


def test_giving_up_after_a_declined_card_leaves_it_failed_with_the_issuers_words(sandbox):
    """A payer cancelling after a decline: the transaction keeps the decline (issue 23, bug 9);
    only one never attempted becomes abandoned."""
    data = initialize(sandbox)
    sandbox.complete_checkout(data["authorization_url"], card="4084080000670037")

    sandbox.cancel_checkout(data["authorization_url"])

    tx = verify(sandbox, data["reference"])
    assert tx["status"] == "failed" and tx["gateway_response"] == "Insufficient Funds"

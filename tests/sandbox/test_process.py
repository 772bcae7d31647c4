"""The sandbox as a process: state survives a restart, pages and the control API answer."""

import time

import requests

from tests.fixtures.sandbox import PaystackSandbox, start_sandbox_process, stop_sandbox_process


def test_state_and_config_survive_a_restart_and_pending_transfers_still_settle(tmp_path):
    process, url = start_sandbox_process(tmp_path, settle_delay=1.5)
    sandbox = PaystackSandbox(url)
    try:
        sandbox.configure(balance=90_000_000)
        started = sandbox.api(
            "POST", "/transaction/initialize", json={"email": "r@example.com", "amount": 10_000}
        ).json()["data"]
        sandbox.complete_checkout(started["access_code"])
        recipient = sandbox.api(
            "POST",
            "/transferrecipient",
            json={"type": "nuban", "name": "R", "account_number": "0123456789", "bank_code": "058"},
        ).json()["data"]
        body = {
            "source": "balance",
            "amount": 100_000,
            "recipient": recipient["recipient_code"],
            "reference": "restart-transfer-0001",
        }
        assert sandbox.api("POST", "/transfer", json=body).json()["data"]["status"] == "pending"
    finally:
        stop_sandbox_process(process)

    process, url = start_sandbox_process(tmp_path, settle_delay=0.1)
    sandbox = PaystackSandbox(url)
    try:
        verified = sandbox.api("GET", f"/transaction/verify/{started['reference']}").json()
        assert verified["data"]["status"] == "success"
        assert sandbox.config()["balance"] == 90_000_000 - 101_000
        deadline = time.monotonic() + 5
        while (
            sandbox.api("GET", "/transfer/verify/restart-transfer-0001").json()["data"]["status"]
            != "success"
        ):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        stop_sandbox_process(process)


def test_overview_page_lists_transactions_transfers_and_customers(sandbox):
    data = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "page@example.com", "amount": 10_000}
    ).json()["data"]
    page = requests.get(sandbox.base_url + "/", timeout=5)
    assert page.status_code == 200
    for heading in ("Transactions", "Transfers", "Refunds", "Customers", "Webhook deliveries"):
        assert f"<h2>{heading}</h2>" in page.text
    assert data["reference"] in page.text
    assert "page@example.com" in page.text


def test_dva_page_sends_a_bank_transfer(sandbox):
    customer = sandbox.api("POST", "/customer", json={"email": "dvapage@example.com"}).json()
    dva = sandbox.api(
        "POST", "/dedicated_account", json={"customer": customer["data"]["customer_code"]}
    ).json()["data"]
    listing = requests.get(sandbox.base_url + "/dva", timeout=5).text
    assert dva["account_number"] in listing
    answer = requests.post(
        f"{sandbox.base_url}/dva/{dva['account_number']}/transfer",
        data={"amount_naira": "2,500.50"},
        timeout=5,
    )
    assert "Sent NGN 2,500.50" in answer.text
    (delivery,) = [
        d
        for d in sandbox.deliveries("charge.success")
        if d["payload"]["data"]["customer"]["email"] == "dvapage@example.com"
    ]
    assert delivery["payload"]["data"]["amount"] == 250_050


def test_control_api_rejects_an_unknown_fault_mode(sandbox):
    response = requests.post(
        f"{sandbox.base_url}/_sandbox/faults", json={"path": "/transfer", "mode": "explode"}
    )
    assert response.status_code == 400
    assert "explode" in response.json()["message"]


def test_reset_restores_default_config_and_clears_faults(sandbox):
    sandbox.configure(transfer_otp=True, balance=1)
    sandbox.fault("/balance", "500", times=None)
    sandbox.reset()
    assert sandbox.config()["transfer_otp"] is False
    assert sandbox.config()["balance"] == 100_000_000_000
    assert sandbox.api("GET", "/balance").status_code == 200


def test_unknown_paths_are_404_in_paystacks_shape(sandbox):
    response = sandbox.api("GET", "/no/such/endpoint")
    assert response.status_code == 404
    assert response.json()["status"] is False


def test_rate_limit_emulation_answers_429_past_the_limit(sandbox):
    sandbox.configure(rate_limit_per_minute=3)
    statuses = [sandbox.api("GET", "/balance").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = sandbox.api("GET", "/balance")
    assert limited.json()["code"] == "rate_limited"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    sandbox.reset()
    assert sandbox.api("GET", "/balance").status_code == 200

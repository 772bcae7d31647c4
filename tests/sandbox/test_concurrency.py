"""Many clients at once: the sandbox applies each reference once and caps refunds."""

from concurrent.futures import ThreadPoolExecutor


def post(sandbox, path, body):
    response = sandbox.api("POST", path, json=body)
    return response.status_code, response.json()


def test_twenty_concurrent_sends_of_one_transfer_reference_move_money_once(sandbox):
    sandbox.configure(settle_delay=5)
    recipient = sandbox.api(
        "POST",
        "/transferrecipient",
        json={"type": "nuban", "name": "C", "account_number": "0222222222", "bank_code": "058"},
    ).json()["data"]["recipient_code"]
    before = sandbox.config()["balance"]
    body = {
        "source": "balance",
        "amount": 100_000,
        "recipient": recipient,
        "reference": "concurrent-transfer-0001",
    }
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda _: post(sandbox, "/transfer", body), range(20)))
    assert {status for status, _ in answers} == {200}
    assert len({answer["data"]["transfer_code"] for _, answer in answers}) == 1
    assert sandbox.config()["balance"] == before - 101_000


def test_concurrent_refunds_never_exceed_the_transaction_amount(sandbox):
    data = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "c@example.com", "amount": 100_000}
    ).json()["data"]
    sandbox.complete_checkout(data["access_code"])
    refund = {"transaction": data["reference"], "amount": 30_000}
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: post(sandbox, "/refund", refund), range(10)))
    accepted = [answer for status, answer in answers if status == 200]
    assert len(accepted) == 3
    assert all(status == 400 for status, _ in answers if status != 200)

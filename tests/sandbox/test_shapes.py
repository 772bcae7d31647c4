"""The sandbox's objects have the fields and types PAYSTACK_API.md documents."""

import ast
import time
from pathlib import Path

import requests

SANDBOX_DIR = Path(__file__).resolve().parents[2] / "sandbox"


def test_the_sandbox_imports_nothing_from_the_wallet():
    for path in SANDBOX_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not any(n.split(".")[0] in ("wallet", "django") for n in names), path


def make_transfer(sandbox, account_number):
    recipient = sandbox.api(
        "POST",
        "/transferrecipient",
        json={"type": "nuban", "name": "S", "account_number": account_number, "bank_code": "058"},
    )
    assert recipient.status_code in (200, 201)
    reference = f"shape-{time.time_ns()}"
    body = {
        "source": "balance",
        "amount": 700_000,
        "recipient": recipient.json()["data"]["recipient_code"],
        "reference": reference,
        "reason": "Shapes",
    }
    answer = sandbox.api("POST", "/transfer", json=body).json()
    return recipient.json()["data"], answer, reference


def test_recipient_and_transfer_shapes(sandbox):
    recipient, answer, reference = make_transfer(sandbox, "0333333333")
    assert recipient["details"] == {
        "authorization_code": None,
        "account_number": "0333333333",
        "account_name": recipient["details"]["account_name"],
        "bank_code": "058",
        "bank_name": "Guaranty Trust Bank",
    }
    assert recipient["domain"] == "test" and recipient["type"] == "nuban"
    assert answer["message"] == "Transfer has been queued"
    data = answer["data"]
    assert data["transfer_code"].startswith("TRF_")
    assert data["recipient"] == recipient["id"]  # an integer id on initiate
    assert (data["amount"], data["currency"], data["source"]) == (700_000, "NGN", "balance")
    sandbox.settle()
    verified = sandbox.api("GET", f"/transfer/verify/{reference}").json()
    assert verified["message"] == "Transfer retrieved"
    assert verified["data"]["recipient"]["recipient_code"] == recipient["recipient_code"]
    assert verified["data"]["fee_charged"] == 2_500
    assert verified["data"]["transferred_at"].endswith("Z")


def test_transfer_webhook_carries_an_integration_object_and_expanded_recipient(sandbox):
    _, _, reference = make_transfer(sandbox, "0444444444")
    sandbox.settle()
    (delivery,) = sandbox.deliveries("transfer.success", reference)
    data = delivery["payload"]["data"]
    assert data["integration"]["is_live"] is False
    assert data["recipient"]["details"]["account_number"] == "0444444444"
    assert data["status"] == "success"


def test_refund_shapes_and_webhook_fields(sandbox):
    started = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "shape@example.com", "amount": 20_000}
    ).json()["data"]
    sandbox.complete_checkout(started["access_code"])
    refund = sandbox.api(
        "POST", "/refund", json={"transaction": started["reference"], "amount": "5000"}
    ).json()
    assert refund["message"] == "Refund has been queued for processing"
    assert refund["data"]["transaction"]["reference"] == started["reference"]
    assert (refund["data"]["status"], refund["data"]["amount"]) == ("pending", 5_000)
    sandbox.settle()
    fetched = sandbox.api("GET", f"/refund/{refund['data']['id']}").json()["data"]
    assert fetched["status"] == "processed"
    assert isinstance(fetched["transaction"], int)
    (processed,) = sandbox.deliveries("refund.processed", started["reference"])
    data = processed["payload"]["data"]
    assert data["transaction_reference"] == started["reference"]
    assert data["amount"] == 5000  # integer kobo, as in the samples
    assert set(data["customer"]) == {"first_name", "last_name", "email"}


def test_list_endpoints_carry_pagination_meta(sandbox):
    listing = sandbox.api("GET", "/transaction", params={"perPage": 2, "page": 1}).json()
    assert set(listing["meta"]) >= {"total", "skipped", "perPage", "page", "pageCount"}
    assert "total_volume" in listing["meta"]
    banks = sandbox.api("GET", "/bank", params={"use_cursor": "true", "perPage": 100}).json()
    assert len(banks["data"]) == 100 and banks["meta"]["next"]
    rest = sandbox.api("GET", "/bank", params={"next": banks["meta"]["next"]}).json()
    assert len(rest["data"]) == 10 and rest["meta"]["next"] is None


def test_html_checkout_decline_shows_the_reason_and_offers_the_card_form_again(sandbox):
    started = sandbox.api(
        "POST", "/transaction/initialize", json={"email": "d@example.com", "amount": 20_000}
    ).json()["data"]
    page = requests.post(
        started["authorization_url"],
        data={"step": "card", "card_number": "4084 0800 0000 5408"},
        timeout=5,
    ).text
    assert 'role="alert">Declined</div>' in page
    assert 'id="card_number"' in page
    tx = sandbox.api("GET", f"/transaction/verify/{started['reference']}").json()["data"]
    assert (tx["status"], tx["gateway_response"]) == ("failed", "Declined")

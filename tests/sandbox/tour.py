"""Ways to make the sandbox give each of its answers, for the conformance test: one function per
answer, returning the `requests` response (success and documented errors of every operation)."""

import time

import requests

OTP_CARD = "5060666666666666666"
FAILED_BVN = "00000000000"


def unique(prefix):
    return f"{prefix}-{time.time_ns()}"


def initialize(sb, **extra):
    body = {"email": "tour@example.com", "amount": 20_000, **extra}
    return sb.api("POST", "/transaction/initialize", json=body)


def paid(sb, card="4084084084084081", email="tour@example.com"):
    started = initialize(sb, email=email).json()["data"]
    assert sb.complete_checkout(started["access_code"], card=card) == "success"
    return sb.api("GET", f"/transaction/verify/{started['reference']}").json()["data"]


def recipient(sb, account_number="0666666666"):
    body = {"type": "nuban", "name": "Tour", "account_number": account_number, "bank_code": "058"}
    return sb.api("POST", "/transferrecipient", json=body).json()["data"]


def transfer_body(sb, **extra):
    return {
        "source": "balance",
        "amount": 100_000,
        "recipient": recipient(sb)["recipient_code"],
        "reference": unique("tour").replace("T", "t"),
        "reason": "Tour",
        **extra,
    }


def transfer(sb, otp=False):
    sb.configure(transfer_otp=otp)
    data = sb.api("POST", "/transfer", json=transfer_body(sb)).json()["data"]
    sb.configure(transfer_otp=False)
    return data


def customer(sb):
    email = f"{unique('tour')}@example.com"
    body = {"email": email, "first_name": "Tour", "last_name": "Guide", "phone": "+2348000000000"}
    return sb.api("POST", "/customer", json=body).json()["data"]


def refund(sb, **extra):
    tx = paid(sb)
    return sb.api("POST", "/refund", json={"transaction": tx["reference"], **extra})


def anonymous(sb, method, path, key=None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return requests.request(method, sb.base_url + path, headers=headers, timeout=10)


def identification_body(bvn="22222222222"):
    return {
        "country": "NG",
        "type": "bank_account",
        "account_number": "0123456789",
        "bvn": bvn,
        "bank_code": "007",
        "first_name": "Tour",
        "last_name": "Guide",
    }


# (method, path template, expected status, name) -> how to get that answer.
ANSWERS = {
    # --- transactions ----------------------------------------------------------------------
    ("POST", "/transaction/initialize", 200, "created"): lambda sb: initialize(sb),
    ("POST", "/transaction/initialize", 400, "invalid amount"): lambda sb: initialize(
        sb, amount="12.5"
    ),
    ("POST", "/transaction/initialize", 400, "duplicate reference"): lambda sb: initialize(
        sb, reference=initialize(sb).json()["data"]["reference"]
    ),
    ("POST", "/transaction/initialize", 400, "no email"): lambda sb: initialize(sb, email=""),
    ("POST", "/transaction/initialize", 401, "no header"): lambda sb: anonymous(
        sb, "POST", "/transaction/initialize"
    ),
    ("POST", "/transaction/initialize", 401, "invalid key"): lambda sb: anonymous(
        sb, "POST", "/transaction/initialize", key="sk_test_wrong"
    ),
    ("GET", "/transaction/verify/{reference}", 200, "paid"): lambda sb: sb.api(
        "GET", f"/transaction/verify/{paid(sb)['reference']}"
    ),
    ("GET", "/transaction/verify/{reference}", 200, "abandoned"): lambda sb: sb.api(
        "GET", f"/transaction/verify/{initialize(sb).json()['data']['reference']}"
    ),
    ("GET", "/transaction/verify/{reference}", 400, "unknown reference"): lambda sb: sb.api(
        "GET", "/transaction/verify/no-such-reference"
    ),
    ("GET", "/transaction", 200, "list"): lambda sb: (
        paid(sb),
        sb.api("GET", "/transaction", params={"perPage": 3}),
    )[1],
    ("GET", "/transaction/{id}", 200, "paid"): lambda sb: sb.api(
        "GET", f"/transaction/{paid(sb)['id']}"
    ),
    ("GET", "/transaction/{id}", 404, "unknown id"): lambda sb: sb.api("GET", "/transaction/1"),
    ("GET", "/transaction/{id}", 400, "not numeric"): lambda sb: sb.api("GET", "/transaction/abc"),
    ("POST", "/transaction/charge_authorization", 200, "approved"): lambda sb: charge(sb),
    ("POST", "/transaction/charge_authorization", 200, "paused"): lambda sb: charge(
        sb, card=OTP_CARD
    ),
    ("POST", "/transaction/charge_authorization", 400, "unknown authorization"): lambda sb: sb.api(
        "POST",
        "/transaction/charge_authorization",
        json={"authorization_code": "AUTH_nope", "email": "a@b.co", "amount": 20_000},
    ),
    # --- refunds ---------------------------------------------------------------------------
    ("POST", "/refund", 200, "queued"): lambda sb: refund(sb, amount=5_000),
    ("POST", "/refund", 400, "fully reversed"): lambda sb: full_then_again(sb),
    ("POST", "/refund", 400, "over the amount"): lambda sb: refund(sb, amount=90_000),
    ("POST", "/refund", 400, "unknown transaction"): lambda sb: sb.api(
        "POST", "/refund", json={"transaction": "no-such-reference"}
    ),
    ("GET", "/refund", 200, "list"): lambda sb: (
        refund(sb),
        sb.api("GET", "/refund", params={"perPage": 3}),
    )[1],
    ("GET", "/refund/{id}", 200, "processed"): lambda sb: settled_refund(sb),
    ("GET", "/refund/{id}", 404, "unknown id"): lambda sb: sb.api("GET", "/refund/1"),
    # --- banks and recipients --------------------------------------------------------------
    ("GET", "/bank", 200, "offset page"): lambda sb: sb.api("GET", "/bank", params={"perPage": 5}),
    ("GET", "/bank", 200, "cursor page"): lambda sb: sb.api(
        "GET", "/bank", params={"use_cursor": "true", "perPage": 5}
    ),
    ("GET", "/bank/resolve", 200, "resolved"): lambda sb: sb.api(
        "GET", "/bank/resolve", params={"account_number": "0001234567", "bank_code": "058"}
    ),
    ("GET", "/bank/resolve", 422, "unresolvable"): lambda sb: sb.api(
        "GET", "/bank/resolve", params={"account_number": "9990000000", "bank_code": "058"}
    ),
    ("POST", "/transferrecipient", 201, "created"): lambda sb: sb.api(
        "POST",
        "/transferrecipient",
        json={
            "type": "nuban",
            "name": "New",
            "account_number": str(time.time_ns())[-10:].replace("999", "111", 1),
            "bank_code": "058",
        },
    ),
    ("POST", "/transferrecipient", 200, "existing"): lambda sb: (
        recipient(sb),
        sb.api(
            "POST",
            "/transferrecipient",
            json={
                "type": "nuban",
                "name": "Tour",
                "account_number": "0666666666",
                "bank_code": "058",
            },
        ),
    )[1],
    ("POST", "/transferrecipient", 400, "unresolvable account"): lambda sb: sb.api(
        "POST",
        "/transferrecipient",
        json={"type": "nuban", "name": "X", "account_number": "9990000000", "bank_code": "058"},
    ),
    ("GET", "/transferrecipient", 200, "list"): lambda sb: (
        recipient(sb),
        sb.api("GET", "/transferrecipient", params={"perPage": 3}),
    )[1],
    ("GET", "/transferrecipient/{code}", 200, "found"): lambda sb: sb.api(
        "GET", f"/transferrecipient/{recipient(sb)['recipient_code']}"
    ),
    ("GET", "/transferrecipient/{code}", 404, "unknown code"): lambda sb: sb.api(
        "GET", "/transferrecipient/RCP_nope"
    ),
    ("DELETE", "/transferrecipient/{code}", 200, "set inactive"): lambda sb: sb.api(
        "DELETE", f"/transferrecipient/{recipient(sb, '0777777777')['recipient_code']}"
    ),
    ("DELETE", "/transferrecipient/{code}", 404, "unknown code"): lambda sb: sb.api(
        "DELETE", "/transferrecipient/RCP_nope"
    ),
    # --- transfers -------------------------------------------------------------------------
    ("POST", "/transfer", 200, "queued"): lambda sb: sb.api(
        "POST", "/transfer", json=transfer_body(sb)
    ),
    ("POST", "/transfer", 200, "needs otp"): lambda sb: (
        sb.configure(transfer_otp=True),
        sb.api("POST", "/transfer", json=transfer_body(sb)),
    )[1],
    ("POST", "/transfer", 400, "invalid recipient"): lambda sb: sb.api(
        "POST", "/transfer", json=transfer_body(sb, recipient="RCP_nope")
    ),
    ("POST", "/transfer", 400, "balance too low"): lambda sb: (
        sb.configure(balance=0),
        sb.api("POST", "/transfer", json=transfer_body(sb)),
    )[1],
    ("POST", "/transfer", 400, "duplicate reference"): lambda sb: duplicate_transfer(sb),
    ("GET", "/transfer", 200, "list"): lambda sb: (
        transfer(sb),
        sb.api("GET", "/transfer", params={"perPage": 3}),
    )[1],
    ("POST", "/transfer/finalize_transfer", 200, "queued"): lambda sb: sb.api(
        "POST",
        "/transfer/finalize_transfer",
        json={"transfer_code": transfer(sb, otp=True)["transfer_code"], "otp": "123456"},
    ),
    ("POST", "/transfer/finalize_transfer", 400, "invalid code"): lambda sb: sb.api(
        "POST", "/transfer/finalize_transfer", json={"transfer_code": "TRF_nope", "otp": "1"}
    ),
    ("POST", "/transfer/resend_otp", 200, "resent"): lambda sb: sb.api(
        "POST",
        "/transfer/resend_otp",
        json={"transfer_code": transfer(sb, otp=True)["transfer_code"], "reason": "transfer"},
    ),
    ("POST", "/transfer/resend_otp", 400, "invalid code"): lambda sb: sb.api(
        "POST", "/transfer/resend_otp", json={"transfer_code": "TRF_nope", "reason": "transfer"}
    ),
    ("GET", "/transfer/verify/{reference}", 200, "settled"): lambda sb: settled_transfer(
        sb, "verify"
    ),
    ("GET", "/transfer/verify/{reference}", 404, "unknown reference"): lambda sb: sb.api(
        "GET", "/transfer/verify/no-such-reference"
    ),
    ("GET", "/transfer/{code}", 200, "settled"): lambda sb: settled_transfer(sb, "fetch"),
    ("GET", "/transfer/{code}", 404, "unknown code"): lambda sb: sb.api(
        "GET", "/transfer/TRF_nope"
    ),
    ("GET", "/balance", 200, "balance"): lambda sb: sb.api("GET", "/balance"),
    ("GET", "/balance", 429, "rate limited"): lambda sb: (
        sb.fault("/balance", "429"),
        sb.api("GET", "/balance"),
    )[1],
    # --- customers and dedicated accounts --------------------------------------------------
    ("POST", "/customer", 200, "created"): lambda sb: sb.api(
        "POST", "/customer", json={"email": f"{unique('c')}@example.com"}
    ),
    ("POST", "/customer", 400, "no email"): lambda sb: sb.api("POST", "/customer", json={}),
    ("GET", "/customer", 200, "list"): lambda sb: (
        customer(sb),
        sb.api("GET", "/customer", params={"perPage": 3}),
    )[1],
    ("GET", "/customer/{code}", 200, "with transactions"): lambda sb: sb.api(
        "GET", f"/customer/{paid_customer_code(sb)}"
    ),
    ("GET", "/customer/{code}", 404, "unknown code"): lambda sb: sb.api(
        "GET", "/customer/CUS_nope"
    ),
    ("POST", "/customer/{code}/identification", 202, "accepted"): lambda sb: sb.api(
        "POST",
        f"/customer/{customer(sb)['customer_code']}/identification",
        json=identification_body(),
    ),
    ("POST", "/customer/{code}/identification", 400, "missing bvn"): lambda sb: sb.api(
        "POST",
        f"/customer/{customer(sb)['customer_code']}/identification",
        json={**identification_body(), "bvn": ""},
    ),
    ("POST", "/customer/{code}/identification", 404, "unknown customer"): lambda sb: sb.api(
        "POST", "/customer/CUS_nope/identification", json=identification_body()
    ),
    ("POST", "/dedicated_account", 200, "assigned"): lambda sb: sb.api(
        "POST", "/dedicated_account", json={"customer": customer(sb)["customer_code"]}
    ),
    ("POST", "/dedicated_account", 400, "unsupported bank"): lambda sb: sb.api(
        "POST",
        "/dedicated_account",
        json={"customer": customer(sb)["customer_code"], "preferred_bank": "nope"},
    ),
    ("POST", "/dedicated_account", 404, "unknown customer"): lambda sb: sb.api(
        "POST", "/dedicated_account", json={"customer": "CUS_nope"}
    ),
    ("GET", "/dedicated_account", 200, "list"): lambda sb: (
        sb.api("POST", "/dedicated_account", json={"customer": customer(sb)["customer_code"]}),
        sb.api("GET", "/dedicated_account", params={"perPage": 3}),
    )[1],
}


def charge(sb, card="4084084084084081"):
    tx = paid(sb, card=card)
    body = {
        "authorization_code": tx["authorization"]["authorization_code"],
        "email": tx["customer"]["email"],
        "amount": 20_000,
    }
    return sb.api("POST", "/transaction/charge_authorization", json=body)


def full_then_again(sb):
    tx = paid(sb)
    sb.api("POST", "/refund", json={"transaction": tx["reference"]})
    return sb.api("POST", "/refund", json={"transaction": tx["reference"]})


def settled_refund(sb):
    created = refund(sb).json()["data"]
    sb.settle()
    return sb.api("GET", f"/refund/{created['id']}")


def duplicate_transfer(sb):
    body = transfer_body(sb)
    sb.api("POST", "/transfer", json=body)
    sb.settle()
    return sb.api("POST", "/transfer", json=body)


def settled_transfer(sb, how):
    created = transfer(sb)
    sb.settle()
    if how == "verify":
        return sb.api("GET", f"/transfer/verify/{created['reference']}")
    return sb.api("GET", f"/transfer/{created['transfer_code']}")


def paid_customer_code(sb):
    return paid(sb, email=f"{unique('c')}@example.com")["customer"]["customer_code"]


# The Disputes API's answers (tests/sandbox/tour_disputes.py); imported last: it uses `paid`.
from tests.sandbox.tour_disputes import ANSWERS as DISPUTE_ANSWERS  # noqa: E402

ANSWERS.update(DISPUTE_ANSWERS)

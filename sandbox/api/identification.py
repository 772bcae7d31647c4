"""POST /customer/:code/identification: validate a customer's identity (KYC) against a bank
account and BVN. Paystack answers 202 at once and tells the result by webhook later:
`customeridentification.success` (the customer becomes identified) or `.failed`.

Test values (docs/sandbox.md): BVN 00000000000 fails ("Account number or BVN is incorrect");
any other 11-digit BVN succeeds, one `settle_delay` after the request.
"""

from ..shapes import now
from ..web import ApiError, envelope, router, validation_error
from .common import find_customer

FAILING_BVN = "00000000000"
FAILURE_REASON = "Account number or BVN is incorrect"
REQUIRED = ("country", "type", "account_number", "bvn", "bank_code", "first_name", "last_name")


@router.add("POST", "/customer/<code>/identification")
def identify(app, request, code):
    data = request.data
    customer = find_customer(app.store, code)
    if customer is None:
        raise ApiError(404, "Customer not found")
    for name in REQUIRED:
        if data.get(name) in (None, ""):
            label = "BVN" if name == "bvn" else name.replace("_", " ").capitalize()
            raise validation_error(f"{label} is required", "missing_params")
    if data["type"] != "bank_account" or str(data["country"]).upper() != "NG":
        raise validation_error(
            "Only bank_account identification in NG is supported", "invalid_params"
        )
    bvn = str(data["bvn"])
    if len(bvn) != 11 or not bvn.isdigit():
        raise validation_error("Invalid BVN", "invalid_params", "A BVN is 11 digits")
    app.store.insert(
        "job",
        {
            "status": "due",
            "action": "identify",
            "at": now() + float(app.config("settle_delay")),
            "customer_id": customer["id"],
            "outcome": "failed" if bvn == FAILING_BVN else "success",
            "identification": {
                "country": "NG",
                "type": "bank_account",
                "bvn": masked(bvn, 3, 3),
                "account_number": masked(str(data["account_number"]), 3, 2),
                "bank_code": str(data["bank_code"]),
            },
        },
    )
    return envelope("Customer Identification in progress", status=202)


def masked(value, head, tail):
    return value[:head] + "*" * max(len(value) - head - tail, 0) + value[-tail:]


def settle(app, job):
    """The identification result: the customer is identified (or not), and the webhook goes."""
    customer = app.store.get("customer", id=job["customer_id"])
    identification = job["identification"]
    data = {
        "customer_id": customer["id"],
        "customer_code": customer["customer_code"],
        "email": customer["email"],
        "identification": identification,
    }
    if job["outcome"] == "success":
        customer["identified"] = True
        customer["identifications"] = [
            {"country": "NG", "type": "bvn", "value": identification["bvn"]}
        ]
        customer["updated_at"] = now()
        app.store.save("customer", customer)
    else:
        data["reason"] = FAILURE_REASON
    app.webhooks.emit(
        f"customeridentification.{job['outcome']}", data, reference=customer["customer_code"]
    )

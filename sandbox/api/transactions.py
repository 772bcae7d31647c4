"""/transaction: initialize, verify, charge_authorization, list, fetch."""

import re

from ..cards import find_card
from ..payments import ONGOING, payment_log, transaction_data, webhook_data
from ..shapes import card_fee_kobo, now, random_code
from ..web import ApiError, envelope, router, validation_error
from .common import (
    get_or_create_customer,
    parse_amount,
    parse_currency,
    parse_email,
)
from .paging import in_window, paginate

REFERENCE = re.compile(r"^[A-Za-z0-9.=-]+$")


def unique_reference(store, reference):
    if reference in (None, ""):
        return random_code(10)
    reference = str(reference)
    if not REFERENCE.match(reference):
        raise validation_error(
            "Invalid transaction reference",
            "invalid_reference",
            "Only -, ., = and alphanumeric characters are allowed in a reference",
        )
    if store.get("transaction", ref=reference) is not None:
        raise validation_error(
            "Duplicate Transaction Reference",
            "duplicate_reference",
            "Try and create the Transaction or Charge with a new reference",
        )
    return reference


def new_transaction(app, *, data, email, amount, currency, reference, status, **fields):
    customer = get_or_create_customer(app.store, email)
    access_code = random_code(15)
    tx = {
        "reference": reference,
        "access_code": access_code,
        "amount": amount,
        "currency": currency,
        "email": email,
        "customer_id": customer["id"],
        "status": status,
        "gateway_response": None,
        "channel": "card",
        "metadata": data.get("metadata", ""),
        "callback_url": data.get("callback_url"),
        "created_at": now(),
        "paid_at": None,
        "fees": None,
        "log": None,
        "step": "card",
        **fields,
    }
    return app.store.insert("transaction", tx, ref=reference, code=access_code)


@router.add("POST", "/transaction/initialize")
def initialize(app, request):
    data = request.data
    email = parse_email(data.get("email"))
    currency = parse_currency(data.get("currency"))
    amount = parse_amount(data.get("amount"), currency)
    reference = unique_reference(app.store, data.get("reference"))
    tx = new_transaction(
        app,
        data=data,
        email=email,
        amount=amount,
        currency=currency,
        reference=reference,
        status="abandoned",
        gateway_response="The transaction was not completed",
    )
    return envelope(
        "Authorization URL created",
        {
            "authorization_url": f"{request.base_url}/checkout/{tx['access_code']}",
            "access_code": tx["access_code"],
            "reference": tx["reference"],
        },
    )


@router.add("GET", "/transaction/verify/<reference>")
def verify(app, request, reference):
    tx = app.store.get("transaction", ref=reference)
    if tx is None:
        raise validation_error(
            "Transaction reference not found",
            "transaction_not_found",
            "Ensure that you're passing the reference of a transaction that exists on this "
            "integration",
        )
    return envelope("Verification successful", transaction_data(app, tx))


@router.add("GET", "/transaction/<id>")
def fetch(app, request, id):
    if not id.isdigit():
        raise ApiError(400, "Transaction ID should be numeric.")
    tx = app.store.get("transaction", id=int(id))
    if tx is None:
        raise ApiError(404, "Transaction not found")
    return envelope("Transaction retrieved", transaction_data(app, tx, "fetch"))


@router.add("GET", "/transaction")
def list_transactions(app, request):
    query = request.query
    items = app.store.all("transaction")
    if query.get("status"):
        items = [tx for tx in items if tx["status"] == query["status"]]
    if query.get("customer"):
        items = [tx for tx in items if str(tx["customer_id"]) == query["customer"]]
    if query.get("amount"):
        items = [tx for tx in items if str(tx["amount"]) == query["amount"]]
    items = in_window(items, query)
    chunk, meta = paginate(items, query)
    meta["total_volume"] = sum(tx["amount"] for tx in items if tx["status"] == "success")
    return envelope(
        "Transactions retrieved", [transaction_data(app, tx, "list") for tx in chunk], meta
    )


@router.add("POST", "/transaction/charge_authorization")
def charge_authorization(app, request):
    data = request.data
    email = parse_email(data.get("email"))
    currency = parse_currency(data.get("currency"))
    amount = parse_amount(data.get("amount"), currency)
    auth = app.store.get("authorization", code=str(data.get("authorization_code") or ""))
    if auth is None or auth.get("status") != "active":
        raise validation_error(
            "Authorization code does not exist or has been deactivated", "invalid_params"
        )
    if auth["email"] != email:
        raise validation_error(
            "Email does not match Authorization code. Please confirm the email and try again",
            "invalid_params",
        )
    if not auth["reusable"]:
        raise validation_error("This authorization is not reusable", "invalid_params")
    reference = unique_reference(app.store, data.get("reference"))
    if auth.get("requires_otp"):
        return paused_charge(app, request, data, auth, email, amount, currency, reference)
    tx = new_transaction(
        app,
        data=data,
        email=email,
        amount=amount,
        currency=currency,
        reference=reference,
        status="success",
        gateway_response="Approved",
        paid_at=now(),
        fees=card_fee_kobo(amount),
        authorization_code=auth["authorization_code"],
        origin="charge_authorization",
        refund_behaviour=auth.get("refund_behaviour", "processed"),
        step="done",
    )
    tx["log"] = payment_log(tx, "card")
    app.store.save("transaction", tx)
    payload = transaction_data(app, tx)
    app.webhooks.emit("charge.success", webhook_data(app, tx))
    return envelope("Charge attempted", payload)


def paused_charge(app, request, data, auth, email, amount, currency, reference):
    """The bank wants the payer back for an OTP: Paystack's "paused" answer; the payer finishes
    at authorization_url (the checkout page opens on the OTP step)."""
    card = find_card(auth["card_number"])
    tx = new_transaction(
        app,
        data=data,
        email=email,
        amount=amount,
        currency=currency,
        reference=reference,
        status="ongoing",
        gateway_response=ONGOING,
        origin="charge_authorization",
        card_number=card.number,
        steps_done=[step for step in card.steps if step != "otp"],
        step="otp",
    )
    return envelope(
        "Please, redirect your customer to the authorization url provided",
        {
            "authorization_url": f"{request.base_url}/checkout/{tx['access_code']}",
            "reference": tx["reference"],
            "access_code": tx["access_code"],
            "paused": True,
        },
    )

"""/customer and /dedicated_account, plus the "bank transfer into a DVA" that the control API and
the DVA page trigger (it pays like a real transfer: a successful transaction and charge.success).
"""

from ..payments import payment_log, transaction_data, webhook_data
from ..shapes import (
    authorization_shape,
    customer_full_shape,
    customer_shape,
    dva_fee_kobo,
    iso,
    now,
    random_code,
)
from ..shapes.customers import customer_fetch_shape
from ..web import ApiError, envelope, router, validation_error
from .common import find_customer, get_or_create_customer, parse_amount, parse_email
from .paging import in_window, paginate

DVA_BANKS = {
    "test-bank": {"name": "Test Bank", "id": 20, "slug": "test-bank"},
    "wema-bank": {"name": "Wema Bank", "id": 20, "slug": "wema-bank"},
    "titan-paystack": {"name": "Paystack-Titan", "id": 23, "slug": "titan-paystack"},
}


@router.add("POST", "/customer")
def create_customer(app, request):
    data = request.data
    email = parse_email(data.get("email"))
    fields = {key: data.get(key) for key in ("first_name", "last_name", "phone", "metadata")}
    customer = get_or_create_customer(app.store, email, **fields)
    changed = {key: value for key, value in fields.items() if value is not None}
    if changed:
        customer.update(changed, updated_at=now())
        app.store.save("customer", customer)
    return envelope("Customer created", customer_full_shape(customer))


@router.add("GET", "/customer/<id_or_code>")
def fetch_customer(app, request, id_or_code):
    customer = find_customer(app.store, id_or_code)
    if customer is None:
        raise ApiError(404, "Customer not found")
    transactions = [
        tx for tx in app.store.all("transaction") if tx["customer_id"] == customer["id"]
    ]
    authorizations = [
        authorization_shape(auth)
        for auth in app.store.all("authorization", status="active", newest_first=False)
        if auth["email"] == customer["email"] and auth["reusable"]
    ]
    dvas = [dva_shape(app, dva, customer) for dva in customer_dvas(app, customer["id"])]
    shape = customer_fetch_shape(
        customer, transactions=transactions, authorizations=authorizations, dedicated_accounts=dvas
    )
    return envelope("Customer retrieved", shape)


@router.add("GET", "/customer")
def list_customers(app, request):
    customers = in_window(app.store.all("customer"), request.query)
    chunk, meta = paginate(customers, request.query)
    return envelope("Customers retrieved", [customer_full_shape(c) for c in chunk], meta)


def customer_dvas(app, customer_id):
    return [dva for dva in app.store.all("dva") if dva["customer_id"] == customer_id]


def dva_shape(app, dva, customer):
    return {
        "bank": DVA_BANKS[dva["preferred_bank"]],
        "account_name": dva["account_name"],
        "account_number": dva["account_number"],
        "assigned": True,
        "currency": "NGN",
        "metadata": None,
        "active": dva.get("active", True),
        "id": dva["id"],
        "created_at": iso(dva["created_at"]),
        "updated_at": iso(dva["created_at"]),
        "assignment": {
            "integration": 463433,
            "assignee_id": customer["id"],
            "assignee_type": "Customer",
            "expired": False,
            "account_type": "PAY-WITH-TRANSFER-RECURRING",
            "assigned_at": iso(dva["created_at"]),
            "expired_at": None,
        },
        "customer": customer_shape(customer),
        "split_config": None,
    }


@router.add("POST", "/dedicated_account")
def assign_dedicated_account(app, request):
    data = request.data
    if data.get("customer") in (None, ""):
        raise validation_error("Customer is required", "missing_params")
    customer = find_customer(app.store, data["customer"])
    if customer is None:
        raise ApiError(404, "Customer not found")
    bank = data.get("preferred_bank") or "test-bank"
    if bank not in DVA_BANKS:
        raise validation_error("Preferred bank is not supported", "invalid_params")
    existing = [dva for dva in customer_dvas(app, customer["id"]) if dva["preferred_bank"] == bank]
    if existing:
        return envelope("NUBAN successfully created", dva_shape(app, existing[0], customer))
    dva = app.store.insert(
        "dva",
        {
            "customer_id": customer["id"],
            "preferred_bank": bank,
            "account_name": dva_account_name(customer),
            "account_number": None,
            "created_at": now(),
        },
    )
    dva["account_number"] = f"{9930000000 + dva['_rowid']:010d}"
    app.store.save("dva", dva)
    app.store.set_ref("dva", dva, dva["account_number"])
    return envelope("NUBAN successfully created", dva_shape(app, dva, customer))


def dva_account_name(customer):
    names = " ".join(n for n in (customer.get("first_name"), customer.get("last_name")) if n)
    return f"PAYSTACK SANDBOX/{(names or customer['email'].split('@')[0]).upper()}"


@router.add("GET", "/dedicated_account")
def list_dedicated_accounts(app, request):
    rows = []
    for dva in app.store.all("dva"):
        customer = app.store.get("customer", id=dva["customer_id"])
        rows.append(dva_shape(app, dva, customer))
    chunk, meta = paginate(rows, request.query)
    return envelope("Managed accounts successfully retrieved", chunk, meta)


def receive_bank_transfer(app, account_number, amount, sender_name=None, narration=None):
    """A payer's bank transfer into a DVA: a successful `dedicated_nuban` transaction."""
    dva = app.store.get("dva", ref=str(account_number))
    if dva is None:
        raise ApiError(404, f"No dedicated account {account_number}")
    amount = parse_amount(amount, minimum=False)
    customer = app.store.get("customer", id=dva["customer_id"])
    sender = sender_name or "SANDBOX SENDER"
    reference = "1000" + random_code(16).upper()
    auth_code = "AUTH_" + random_code(10)
    app.store.insert(
        "authorization",
        {
            "authorization_code": auth_code,
            "bin": "008XXX",
            "last4": "X553",
            "exp_month": "12",
            "exp_year": "2030",
            "channel": "dedicated_nuban",
            "card_type": "transfer",
            "bank": "Test Bank",
            "country_code": "NG",
            "brand": "Managed Account",
            "reusable": False,
            "signature": None,
            "account_name": None,
            "sender_bank": "Test Bank",
            "sender_bank_account_number": "XXXXXX4553",
            "sender_country": "NG",
            "sender_name": sender,
            "narration": narration or f"Transfer from {sender}",
            "receiver_bank_account_number": dva["account_number"],
            "receiver_bank": DVA_BANKS[dva["preferred_bank"]]["name"],
            "email": customer["email"],
            "status": "inactive",
        },
        code=auth_code,
    )
    paid = now()
    tx = {
        "reference": reference,
        "access_code": None,
        "amount": amount,
        "currency": "NGN",
        "email": customer["email"],
        "customer_id": customer["id"],
        "status": "success",
        "gateway_response": "Approved",
        "channel": "dedicated_nuban",
        "metadata": {
            "receiver_account_number": dva["account_number"],
            "receiver_bank": DVA_BANKS[dva["preferred_bank"]]["name"],
            "custom_fields": [],
        },
        "callback_url": None,
        "created_at": paid,
        "paid_at": paid,
        "fees": dva_fee_kobo(amount),
        "authorization_code": auth_code,
        "refund_behaviour": "processed",
        "step": "done",
    }
    tx = app.store.insert("transaction", tx, ref=reference)
    tx["log"] = payment_log(tx, "dedicated_nuban")
    app.store.save("transaction", tx)
    payload = transaction_data(app, tx)
    app.webhooks.emit("charge.success", webhook_data(app, tx))
    return payload

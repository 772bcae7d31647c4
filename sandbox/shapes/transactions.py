"""Transactions and authorizations as Paystack writes them.

One stored transaction has three views, as Paystack's samples show: `verify` (also the
webhooks and charge_authorization: `plan` null, `source` null), `fetch` and `list` (`plan`
and `source` objects, `helpdesk_link`).
"""

from .basics import iso
from .customers import customer_shape

AUTHORIZATION_KEYS = (
    "authorization_code bin last4 exp_month exp_year channel card_type bank country_code "
    "brand reusable signature account_name receiver_bank_account_number receiver_bank"
).split()
BANK_TRANSFER_KEYS = (
    "sender_bank",
    "sender_bank_account_number",
    "sender_country",
    "sender_name",
    "narration",
)
# Where a transaction came from, as newer Paystack answers say (`source`).
SOURCES = {
    "dedicated_nuban": {"type": "offline", "source": "dedicated_nuban", "entry_point": "nuban"},
    "charge_authorization": {
        "type": "api",
        "source": "merchant_api",
        "entry_point": "charge_authorization",
    },
}
INITIALIZE_SOURCE = {
    "type": "api",
    "source": "merchant_api",
    "entry_point": "transaction_initialize",
}


def authorization_shape(auth):
    """Every key; an unpaid transaction's are all null and it is not reusable (as in Paystack's
    list sample); bank transfers add the sender's details."""
    auth = auth or {}
    shape = {key: auth.get(key) for key in AUTHORIZATION_KEYS}
    shape["reusable"] = bool(auth.get("reusable"))
    for extra in BANK_TRANSFER_KEYS:
        if extra in auth:
            shape[extra] = auth[extra]
    return shape


def transaction_shape(tx, customer, auth, view="verify"):
    paid_at = iso(tx.get("paid_at"))
    created_at = iso(tx["created_at"])
    shape = {
        "id": tx["id"],
        "domain": "test",
        "status": tx["status"],
        "reference": tx["reference"],
        "receipt_number": None,
        "amount": tx["amount"],
        "message": None,
        "gateway_response": tx.get("gateway_response") or "",
        "paid_at": paid_at,
        "created_at": created_at,
        "channel": tx.get("channel", "card"),
        "currency": tx["currency"],
        "ip_address": tx.get("ip_address", "127.0.0.1"),
        "metadata": tx.get("metadata", ""),
        "log": tx.get("log"),
        "fees": tx.get("fees"),
        "fees_split": None,
        # Verify shows an unpaid transaction's authorization as {}.
        "authorization": authorization_shape(auth) if auth or view != "verify" else {},
        "customer": customer_shape(customer) if customer else {},
        "plan": None,
        "split": {},
        "order_id": None,
        "paidAt": paid_at,
        "createdAt": created_at,
        "requested_amount": tx["amount"],
        "pos_transaction_data": None,
        "source": None,
        "fees_breakdown": None,
        "connect": None,
        "transaction_date": created_at,
        "plan_object": {},
        "subaccount": {},
    }
    if view != "verify":
        origin = SOURCES.get(tx.get("origin") or tx.get("channel"), INITIALIZE_SOURCE)
        shape.update(plan={}, source={**origin, "identifier": None}, helpdesk_link=None)
    if view == "list" and shape["metadata"] in (None, ""):
        shape["metadata"] = {}  # the list's schema has an object (verify's sample has "")
    return shape

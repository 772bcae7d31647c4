"""Customers as Paystack writes them: the short form inside transactions, the full form on
create and list, and the fetch form with the customer's transactions, cards and totals."""

from .basics import INTEGRATION_ID, iso


def customer_shape(customer):
    return {
        "id": customer["id"],
        "first_name": customer.get("first_name"),
        "last_name": customer.get("last_name"),
        "email": customer["email"],
        "customer_code": customer["customer_code"],
        "phone": customer.get("phone"),
        "metadata": customer.get("metadata"),
        "risk_action": "default",
        "international_format_phone": customer.get("phone"),
    }


def customer_full_shape(customer):
    created = iso(customer["created_at"])
    return {
        "transactions": [],
        "subscriptions": [],
        "authorizations": [],
        **customer_shape(customer),
        "integration": INTEGRATION_ID,
        "domain": "test",
        "identified": bool(customer.get("identified")),
        "identifications": customer.get("identifications"),
        "createdAt": created,
        "updatedAt": iso(customer.get("updated_at", customer["created_at"])),
    }


def customer_fetch_shape(customer, *, transactions, authorizations, dedicated_accounts):
    """GET /customer/:code: the customer's transactions and reusable cards, the total it paid
    per currency, and its dedicated accounts (`dedicated_account`: the first, or null)."""
    shape = customer_full_shape(customer)
    paid = {}
    for tx in transactions:
        if tx["status"] == "success":
            paid[tx["currency"]] = paid.get(tx["currency"], 0) + tx["amount"]
    shape.update(
        transactions=[customer_transaction_shape(tx) for tx in transactions],
        authorizations=authorizations,
        created_at=shape["createdAt"],
        updated_at=shape["updatedAt"],
        total_transactions=len(transactions),
        total_transaction_value=[
            {"currency": currency, "amount": amount} for currency, amount in sorted(paid.items())
        ],
        dedicated_account=dedicated_accounts[0] if dedicated_accounts else None,
        dedicated_accounts=dedicated_accounts,
    )
    return shape


def customer_transaction_shape(tx):
    """A transaction as the customer fetch lists it (a short form, no customer inside)."""
    return {
        "id": tx["id"],
        "domain": "test",
        "status": tx["status"],
        "reference": tx["reference"],
        "amount": tx["amount"],
        "gateway_response": tx.get("gateway_response"),
        "paid_at": iso(tx.get("paid_at")),
        "created_at": iso(tx["created_at"]),
        "channel": tx.get("channel", "card"),
        "currency": tx["currency"],
        "fees": tx.get("fees"),
    }

"""Disputes as Paystack's Disputes API writes them (the official OpenAPI description).

One stored dispute has four views: `list` (GET /dispute: the customer's `metadata` as a
string), `fetch` (GET and PUT /dispute/:id, and the charge.dispute.* webhooks), `transaction`
(GET /dispute/transaction/:id: `integration`, `created_by`, `merchant_transaction_reference`)
and `resolved` (PUT /dispute/:id/resolve: the transaction as its id, the closing message).
"""

import json

from .basics import INTEGRATION_ID, iso
from .customers import customer_shape
from .transactions import transaction_shape

# The id of the sandbox's single (test) user who creates and resolves disputes.
SANDBOX_USER_ID = 38_291


def dispute_shape(dispute, tx, customer, auth, view="fetch"):
    shape = {
        "id": dispute["id"],
        "refund_amount": dispute["refund_amount"],
        "currency": dispute["currency"],
        "status": dispute["status"],
        "resolution": dispute.get("resolution"),
        "domain": "test",
        "transaction": transaction_shape(tx, customer, auth, view="fetch"),
        "transaction_reference": None,
        "category": dispute.get("category", "chargeback"),
        "customer": _customer(customer, view),
        "bin": (auth or {}).get("bin") or "408408",
        "last4": (auth or {}).get("last4") or "4081",
        "dueAt": iso(dispute.get("due_at")),
        "resolvedAt": iso(dispute.get("resolved_at")),
        "evidence": dispute.get("evidence"),
        "attachments": dispute.get("attachments"),
        "note": None,
        "history": [dict(entry) for entry in dispute["history"]],
        "messages": [dict(entry) for entry in dispute["messages"]],
        "createdAt": iso(dispute["created_at"]),
        "updatedAt": iso(dispute.get("updated_at", dispute["created_at"])),
    }
    if view == "transaction":
        shape.update(
            integration=INTEGRATION_ID,
            created_by=SANDBOX_USER_ID,
            merchant_transaction_reference=tx["reference"],
        )
        shape.pop("customer")
    return shape


def dispute_resolved_shape(dispute, tx, auth):
    """PUT /dispute/:id/resolve: the dispute with its transaction as an id and the message."""
    last = dispute["messages"][-1]
    return {
        "currency": dispute["currency"],
        "last4": (auth or {}).get("last4") or "4081",
        "bin": (auth or {}).get("bin") or "408408",
        "transaction_reference": None,
        "merchant_transaction_reference": tx["reference"],
        "refund_amount": dispute["refund_amount"],
        "status": dispute["status"],
        "domain": "test",
        "resolution": dispute["resolution"],
        "category": dispute.get("category", "chargeback"),
        "note": None,
        "attachments": dispute.get("attachments"),
        "id": dispute["id"],
        "integration": INTEGRATION_ID,
        "transaction": tx["id"],
        "created_by": SANDBOX_USER_ID,
        "evidence": dispute.get("evidence"),
        "resolvedAt": iso(dispute["resolved_at"]),
        "createdAt": iso(dispute["created_at"]),
        "updatedAt": iso(dispute["updated_at"]),
        "dueAt": iso(dispute.get("due_at")),
        "message": {
            "dispute": dispute["id"],
            "sender": last["sender"],
            "body": last["body"],
            "id": last["id"],
            "createdAt": last["createdAt"],
            "updatedAt": last["createdAt"],
        },
    }


def evidence_shape(evidence):
    return {
        "customer_email": evidence["customer_email"],
        "customer_name": evidence["customer_name"],
        "customer_phone": evidence["customer_phone"],
        "service_details": evidence["service_details"],
        "delivery_address": evidence.get("delivery_address") or "",
        "delivery_date": evidence.get("delivery_date") or "",
        "dispute": evidence["dispute_id"],
        "id": evidence["id"],
        "createdAt": iso(evidence["created_at"]),
        "updatedAt": iso(evidence["created_at"]),
    }


def _customer(customer, view):
    shape = customer_shape(customer) if customer else {}
    if view == "list" and shape:
        # The list's customer carries its metadata as JSON text (DisputeListResponseArray).
        shape["metadata"] = json.dumps(shape.get("metadata") or {})
    elif shape:
        shape["metadata"] = shape.get("metadata") or {}
    return shape

"""Refunds as Paystack writes them: the create answer (with the transaction inside), fetch and
list (the newer, longer form), and the `refund.*` webhook data.

Paystack fills both notes when the merchant leaves them out; a processed refund carries the
processor's reference (a card scheme number, or a `TRF_` code when it went out as a bank
transfer), never the refund's own id, and processed webhooks carry no refund id at all.
"""

from .basics import INTEGRATION_ID, iso
from .customers import customer_shape
from .transactions import authorization_shape

REFUNDED_BY = "sandbox@example.com"
EXPECTED_DAYS = 5


def notes(refund, tx):
    reference = tx["reference"]
    return (
        refund.get("customer_note") or f"Refund for transaction {reference}",
        refund.get("merchant_note") or f"Refund for transaction {reference} by {REFUNDED_BY}",
    )


def _common(refund, tx):
    customer_note, merchant_note = notes(refund, tx)
    failed = refund["status"] == "failed"
    return {
        "id": refund["id"],
        "integration": INTEGRATION_ID,
        "domain": "test",
        "currency": refund["currency"],
        "amount": refund["amount"],
        "status": refund["status"],
        "refunded_by": REFUNDED_BY,
        "refunded_at": iso(refund.get("refunded_at")),
        "expected_at": iso(refund["created_at"] + 86400 * EXPECTED_DAYS),
        "customer_note": customer_note,
        "merchant_note": merchant_note,
        "deducted_amount": 0 if failed else refund["amount"],
        "bank_reference": refund.get("processor_reference"),
        "refund_type": "full" if refund["amount"] == tx["amount"] else "partial",
        "initiated_by": "merchant",
        "refund_channel": tx.get("channel") or "card",
        "createdAt": iso(refund["created_at"]),
        "updatedAt": iso(refund.get("updated_at", refund["created_at"])),
        "created_at": iso(refund["created_at"]),
        "updated_at": iso(refund.get("updated_at", refund["created_at"])),
    }


def refund_shape(refund, tx, customer):
    """GET /refund/:id and the rows of GET /refund."""
    shape = _common(refund, tx)
    shape.update(
        transaction=tx["id"],
        dispute=None,
        settlement=None,
        fully_deducted=refund["status"] != "failed",  # a boolean, as in Paystack's samples
        channel=tx.get("channel"),
        transaction_reference=tx["reference"],
        transaction_amount=tx["amount"],
        reason=shape["merchant_note"],
        customer=customer_shape(customer),
        session_id=None,
        collect_account_number=False,
    )
    return shape


def refund_created_shape(refund, tx, customer, auth):
    """POST /refund: nothing deducted yet, and the whole transaction inside."""
    paid_at = iso(tx.get("paid_at"))
    shape = _common(refund, tx)
    shape.update(
        transaction={
            "id": tx["id"],
            "domain": "test",
            "reference": tx["reference"],
            "amount": tx["amount"],
            "paid_at": paid_at,
            "channel": tx.get("channel"),
            "currency": tx["currency"],
            "authorization": authorization_shape(auth),
            "customer": customer_shape(customer),
            "plan": {},
            "subaccount": {"currency": None},
            "split": {},
            "order_id": None,
            "paidAt": paid_at,
            "pos_transaction_data": None,
            "source": None,
            "fees_breakdown": None,
        },
        deducted_amount=0,
        fully_deducted=False,
        channel=None,
    )
    return shape


def refund_webhook_data(refund, tx, customer):
    """The `refund.*` event data: no refund id (except needs-attention, which asks the merchant
    to act on that refund); `refund_reference` is the processor's, once it has one."""
    data = {
        "status": refund["status"],
        "transaction_reference": tx["reference"],
        "refund_reference": refund.get("processor_reference"),
        # As Paystack's samples give it: a string in refund.pending, an integer in the others.
        "amount": str(refund["amount"]) if refund["status"] == "pending" else refund["amount"],
        "currency": refund["currency"],
        "processor": "sandbox",
        "customer": {key: customer.get(key) for key in ("first_name", "last_name", "email")},
        "integration": INTEGRATION_ID,
        "domain": "test",
    }
    if refund["status"] == "needs-attention":
        customer_note, merchant_note = notes(refund, tx)
        # The samples give this id as a string.
        data.update(id=str(refund["id"]), customer_note=customer_note, merchant_note=merchant_note)
    return data

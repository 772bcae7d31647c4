"""/refund: create (full or partial, capped by what is left), fetch, list.

A refund starts `pending` (refund.pending webhook) and settles after `settle_delay` to
`processed` (the transaction becomes `reversed`), or to `failed` / `needs-attention` for the
test cards that say so.
"""

import secrets

from ..shapes import (
    now,
    random_code,
    refund_created_shape,
    refund_shape,
    refund_webhook_data,
)
from ..web import ApiError, envelope, router, validation_error
from .common import parse_amount
from .paging import in_window, paginate

REFUNDABLE = {"success", "reversed"}


def find_transaction(app, value):
    value = str(value or "")
    tx = app.store.get("transaction", ref=value)
    if tx is None and value.isdigit():
        tx = app.store.get("transaction", id=int(value))
    return tx


def refunded_so_far(app, tx):
    refunds = [r for r in app.store.all("refund") if r["transaction_id"] == tx["id"]]
    return sum(r["amount"] for r in refunds if r["status"] != "failed")


@router.add("POST", "/refund")
def create(app, request):
    data = request.data
    if not data.get("transaction"):
        raise validation_error("Transaction is required", "missing_params")
    tx = find_transaction(app, data["transaction"])
    if tx is None:
        raise validation_error("Transaction not found", "transaction_not_found")
    if tx["status"] not in REFUNDABLE:
        raise validation_error(
            "Cannot refund a transaction that was not successful", "invalid_params"
        )
    remaining = tx["amount"] - refunded_so_far(app, tx)
    if remaining <= 0:
        raise ApiError(
            400,
            "Transaction has been fully reversed",
            type="api_error",
            code="transaction_reversed",
        )
    amount = (
        remaining
        if data.get("amount") in (None, "")
        else parse_amount(data["amount"], minimum=False)
    )
    if amount > remaining:
        raise validation_error(
            "Refund amount cannot be greater than the amount left to refund",
            "invalid_amount",
            f"At most {remaining} subunits of this transaction can still be refunded",
        )
    if app.config("balance") < amount:
        raise ApiError(
            400,
            "Your balance is not enough to fulfil this request",
            type="api_error",
            code="insufficient_balance",
        )
    app.adjust_balance(-amount)
    refund = app.store.insert(
        "refund",
        {
            "transaction_id": tx["id"],
            "amount": amount,
            "currency": tx["currency"],
            "status": "pending",
            "customer_note": data.get("customer_note"),
            "merchant_note": data.get("merchant_note"),
            "created_at": now(),
            "settle_at": now() + float(app.config("settle_delay")),
            "outcome": tx.get("refund_behaviour", "processed"),
        },
    )
    app.webhooks.emit("refund.pending", webhook_data(app, refund, tx), reference=tx["reference"])
    customer = app.store.get("customer", id=tx["customer_id"])
    auth = app.store.get("authorization", code=tx["authorization_code"])
    return envelope(
        "Refund has been queued for processing", refund_created_shape(refund, tx, customer, auth)
    )


@router.add("GET", "/refund/<id>")
def fetch(app, request, id):
    refund = app.store.get("refund", id=id) if id.isdigit() else None
    if refund is None:
        raise ApiError(404, "Refund not found")
    return envelope("Refund retrieved", full_shape(app, refund))


@router.add("GET", "/refund")
def list_refunds(app, request):
    refunds = app.store.all("refund")
    wanted = request.query.get("transaction")
    if wanted:
        tx = find_transaction(app, wanted)
        refunds = [r for r in refunds if tx and r["transaction_id"] == tx["id"]]
    if request.query.get("currency"):
        refunds = [r for r in refunds if r["currency"] == request.query["currency"].upper()]
    refunds = in_window(refunds, request.query)
    chunk, meta = paginate(refunds, request.query)
    # The refund list's meta, as Paystack's spec gives it: perPage as a string, and a count.
    meta.update(
        perPage=str(meta["perPage"]),
        failedRefundCount=sum(r["status"] == "failed" for r in refunds),
    )
    return envelope("Refunds retrieved", [full_shape(app, r) for r in chunk], meta)


def full_shape(app, refund):
    tx = app.store.get("transaction", id=refund["transaction_id"])
    return refund_shape(refund, tx, app.store.get("customer", id=tx["customer_id"]))


def settle(app, refund):
    """pending -> processed (transaction reversed) | failed (money back) | needs-attention."""
    tx = app.store.get("transaction", id=refund["transaction_id"])
    refund.pop("settle_at", None)
    refund["updated_at"] = now()
    refund["status"] = refund["outcome"]
    if refund["status"] == "processed":
        refund["refunded_at"] = now()
        refund["processor_reference"] = processor_reference(tx)
        tx["status"] = "reversed"
        app.store.save("transaction", tx)
    elif refund["status"] == "failed":
        app.adjust_balance(refund["amount"])
    app.store.save("refund", refund)
    app.webhooks.emit(
        f"refund.{refund['status']}", webhook_data(app, refund, tx), reference=tx["reference"]
    )


def processor_reference(tx):
    """What the processor calls the refund: a 12-digit card-scheme number, or the code of the
    transfer that paid a bank-transfer payment back (Paystack's samples show both)."""
    if tx.get("channel") == "dedicated_nuban":
        return "TRF_" + random_code(15)
    return str(10**11 + secrets.randbelow(9 * 10**11))


def webhook_data(app, refund, tx):
    return refund_webhook_data(refund, tx, app.store.get("customer", id=tx["customer_id"]))

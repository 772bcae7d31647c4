"""/dispute: list, fetch, list by transaction, update, evidence, upload URL, resolve, export.

A dispute is raised on a paid card charge through the control API (`raise_dispute`, with a due
date) and starts `awaiting-merchant-feedback` (charge.dispute.create). Then:
- PUT /dispute/:id/resolve `merchant-accepted`: resolved; `refund_amount` leaves the merchant
  balance (charge.dispute.resolve). `declined` (with evidence and an uploaded file): resolved,
  the business keeps the money.
- Nobody answers by the due date: the clock resolves it `auto-accepted` (lost by default):
  `refund_amount` leaves the merchant balance.
"""

import secrets

from ..shapes import now, random_code
from ..shapes.basics import iso
from ..shapes.disputes import dispute_resolved_shape, dispute_shape, evidence_shape
from ..web import ApiError, envelope, router, validation_error
from .common import parse_amount, require
from .paging import in_window, paginate

OPEN = "awaiting-merchant-feedback"
STATUSES = {OPEN, "awaiting-bank-feedback", "pending", "resolved"}
RESOLUTIONS = {"merchant-accepted", "declined"}
DEFAULT_DUE_SECONDS = 7 * 24 * 3600


# --- raising (control API) and the clock -----------------------------------------------------
def raise_dispute(app, tx, *, due_in_seconds=None, refund_amount=None, category="chargeback"):
    """A new dispute on a paid charge (inside store.atomic()); emits charge.dispute.create."""
    if tx["status"] not in ("success", "reversed") or tx.get("channel", "card") != "card":
        raise ApiError(400, "Only a paid card charge can be disputed")
    if any(d["status"] != "resolved" for d in disputes_of(app, tx)):
        raise ApiError(400, "This charge already has an open dispute")
    amount = tx["amount"] if refund_amount in (None, "") else parse_amount(refund_amount)
    if amount > tx["amount"]:
        raise ApiError(400, "A dispute cannot exceed the charge")
    created = now()
    due = DEFAULT_DUE_SECONDS if due_in_seconds in (None, "") else float(due_in_seconds)
    dispute = app.store.insert(
        "dispute",
        {
            "transaction_id": tx["id"],
            "refund_amount": amount,
            "currency": tx["currency"],
            "status": OPEN,
            "resolution": None,
            "category": category,
            "due_at": created + due,
            "resolved_at": None,
            "evidence": None,
            "attachments": None,
            "history": [{"status": OPEN, "by": "customer", "createdAt": iso(created)}],
            "messages": [_message(created, "customer", "I did not make this payment")],
            "created_at": created,
            "updated_at": created,
        },
    )
    app.webhooks.emit("charge.dispute.create", full_shape(app, dispute), reference=tx["reference"])
    return dispute


def remind(app, dispute):
    app.webhooks.emit(
        "charge.dispute.remind", full_shape(app, dispute), reference=_ref(app, dispute)
    )


def expire_overdue(app, moment):
    """Open disputes past their due date are lost by default (`auto-accepted`)."""
    for dispute in app.store.all("dispute", status=OPEN, newest_first=False):
        if dispute["due_at"] <= moment:
            _resolve(app, dispute, "auto-accepted", "system", "No response before the due date")


def due_moments(app):
    return [d["due_at"] for d in app.store.all("dispute", status=OPEN)]


# --- the API -----------------------------------------------------------------------------------
@router.add("GET", "/dispute/export")
def export(app, request):
    disputes = _filtered(app, request.query)
    token = random_code(20)
    app.store.insert(
        "upload",
        {"status": "export", "ids": [d["id"] for d in disputes], "created_at": now()},
        ref=f"export-{token}",
    )
    return envelope(
        "Export successful",
        {
            "path": f"{request.base_url}/_sandbox/exports/{token}.csv",
            "expiresAt": iso(now() + 3600),
        },
    )


@router.add("GET", "/dispute/transaction/<id>")
def for_transaction(app, request, id):
    tx = app.store.get("transaction", id=id) if id.isdigit() else None
    if tx is None:
        raise ApiError(404, "Transaction not found")
    disputes = disputes_of(app, tx)
    if not disputes:
        raise ApiError(404, "Dispute not found")
    return envelope("Dispute retrieved", full_shape(app, disputes[0], "transaction"))


@router.add("GET", "/dispute")
def list_disputes(app, request):
    disputes = _filtered(app, request.query)
    chunk, meta = paginate(disputes, request.query)
    return envelope("Disputes retrieved", [full_shape(app, d, "list") for d in chunk], meta)


@router.add("GET", "/dispute/<id>/upload_url")
def upload_url(app, request, id):
    dispute = _find(app, id)
    name = random_code(20)
    app.store.insert(
        "upload", {"status": "waiting", "dispute_id": dispute["id"], "created_at": now()}, ref=name
    )
    signed = f"{request.base_url}/_sandbox/uploads/{name}?signature={secrets.token_hex(16)}"
    return envelope("Upload url generated", {"signedUrl": signed, "fileName": name})


@router.add("GET", "/dispute/<id>")
def fetch(app, request, id):
    return envelope("Dispute retrieved", full_shape(app, _find(app, id)))


@router.add("PUT", "/dispute/<id>")
def update(app, request, id):
    dispute = _find(app, id)
    data = request.data
    require(data, "refund_amount")
    dispute["refund_amount"] = _refund_amount(app, dispute, data["refund_amount"])
    if data.get("uploaded_filename"):
        dispute["attachments"] = _uploaded(app, dispute, data["uploaded_filename"])
    _touch(app, dispute)
    return envelope("Dispute updated successfully", full_shape(app, dispute))


@router.add("POST", "/dispute/<id>/evidence")
def add_evidence(app, request, id):
    dispute = _find(app, id)
    data = request.data
    require(data, "customer_email", "customer_name", "customer_phone", "service_details")
    evidence = app.store.insert(
        "evidence",
        {
            "dispute_id": dispute["id"],
            "created_at": now(),
            **{
                key: str(data.get(key) or "")[:500]
                for key in (
                    "customer_email customer_name customer_phone service_details "
                    "delivery_address delivery_date"
                ).split()
            },
        },
    )
    dispute["evidence"] = evidence["id"]
    _touch(app, dispute)
    return envelope("Evidence created", evidence_shape(evidence))


@router.add("PUT", "/dispute/<id>/resolve")
def resolve(app, request, id):
    dispute = _find(app, id)
    data = request.data
    require(data, "resolution", "message", "refund_amount", "uploaded_filename")
    if data["resolution"] not in RESOLUTIONS:
        raise validation_error("Invalid resolution", "invalid_params")
    if dispute["status"] == "resolved":
        raise ApiError(400, "Dispute has already been resolved")
    dispute["refund_amount"] = _refund_amount(app, dispute, data["refund_amount"])
    dispute["attachments"] = _uploaded(app, dispute, data["uploaded_filename"])
    if data["resolution"] == "declined" and dispute.get("evidence") is None:
        raise validation_error("Add evidence before declining a dispute", "invalid_params")
    _resolve(app, dispute, data["resolution"], "merchant", str(data["message"])[:500])
    tx = app.store.get("transaction", id=dispute["transaction_id"])
    auth = app.store.get("authorization", code=tx.get("authorization_code") or "")
    return envelope("Dispute successfully resolved", dispute_resolved_shape(dispute, tx, auth))


# --- helpers -------------------------------------------------------------------------------------
def _resolve(app, dispute, resolution, by, body):
    moment = now()
    dispute.update(status="resolved", resolution=resolution, resolved_at=moment)
    dispute["history"].append({"status": "resolved", "by": by, "createdAt": iso(moment)})
    dispute["messages"].append(_message(moment, by, body))
    if resolution != "declined":  # the business lost: the refund leaves its balance
        app.adjust_balance(-dispute["refund_amount"])
    _touch(app, dispute)
    app.webhooks.emit(
        "charge.dispute.resolve", full_shape(app, dispute), reference=_ref(app, dispute)
    )


def _message(moment, sender, body):
    return {"sender": sender, "body": body, "createdAt": iso(moment), "id": int(moment * 1000)}


def _touch(app, dispute):
    dispute["updated_at"] = now()
    app.store.save("dispute", dispute)


def _find(app, id):
    dispute = app.store.get("dispute", id=id) if str(id).isdigit() else None
    if dispute is None:
        raise ApiError(404, "Dispute not found")
    return dispute


def _ref(app, dispute):
    return app.store.get("transaction", id=dispute["transaction_id"])["reference"]


def _refund_amount(app, dispute, value):
    amount = parse_amount(value, minimum=False)
    tx = app.store.get("transaction", id=dispute["transaction_id"])
    if amount > tx["amount"]:
        raise validation_error(
            "Refund amount cannot be greater than the transaction amount", "invalid_amount"
        )
    return amount


def _uploaded(app, dispute, name):
    upload = app.store.get("upload", ref=str(name))
    if upload is None or upload.get("dispute_id") != dispute["id"]:
        raise validation_error(
            "Uploaded file not found",
            "invalid_params",
            "Upload the file to the URL from GET /dispute/:id/upload_url",
        )
    if upload["status"] != "uploaded":
        raise validation_error("The file was not uploaded yet", "invalid_params")
    return str(name)


def disputes_of(app, tx):
    return [d for d in app.store.all("dispute") if d["transaction_id"] == tx["id"]]


def _filtered(app, query):
    status = query.get("status")
    if status and status not in STATUSES:
        raise validation_error("Invalid status", "invalid_params")
    disputes = app.store.all("dispute", status=status or None)
    wanted = query.get("transaction")
    if wanted:
        disputes = [d for d in disputes if str(d["transaction_id"]) == str(wanted)]
    return in_window(disputes, query)


def full_shape(app, dispute, view="fetch"):
    tx = app.store.get("transaction", id=dispute["transaction_id"])
    customer = app.store.get("customer", id=tx["customer_id"]) if tx.get("customer_id") else None
    auth = app.store.get("authorization", code=tx.get("authorization_code") or "")
    return dispute_shape(dispute, tx, customer, auth, view)

"""Control API for disputes (JSON, no auth): raise one on a paid charge with a due date, send a
reminder, receive an evidence file at its upload URL, and serve a dispute export as CSV."""

import csv
import io

from .api import disputes
from .api.refunds import find_transaction
from .control import ok
from .shapes.basics import iso
from .web import ApiError, Response, router


@router.add("POST", "/_sandbox/disputes", kind="control")
def raise_dispute(app, request):
    """{"transaction": reference or id, "due_in_seconds"?: 604800, "refund_amount"?: kobo,
    "category"?: "chargeback" | "fraud"} -> the dispute (charge.dispute.create is sent)."""
    data = request.data
    tx = find_transaction(app, data.get("transaction"))
    if tx is None:
        raise ApiError(404, "Transaction not found")
    try:
        dispute = disputes.raise_dispute(
            app,
            tx,
            due_in_seconds=data.get("due_in_seconds"),
            refund_amount=data.get("refund_amount"),
            category=str(data.get("category") or "chargeback"),
        )
    except (TypeError, ValueError):
        raise ApiError(400, "due_in_seconds must be a number")
    return ok(disputes.full_shape(app, dispute), 201)


@router.add("POST", "/_sandbox/disputes/<id>/remind", kind="control")
def remind(app, request, id):
    dispute = disputes._find(app, id)
    disputes.remind(app, dispute)
    return ok(disputes.full_shape(app, dispute))


@router.add("PUT", "/_sandbox/uploads/<name>", kind="control")
def upload(app, request, name):
    """The signed upload URL: any body is the file; the name can then be used once uploaded."""
    record = app.store.get("upload", ref=name)
    if record is None or record["status"] not in ("waiting", "uploaded"):
        raise ApiError(404, "No such upload URL")
    record.update(status="uploaded", size=len(request.body))
    app.store.save("upload", record)
    return ok({"fileName": name, "size": len(request.body)})


@router.add("GET", "/_sandbox/exports/<name>", kind="control")
def exported(app, request, name):
    record = app.store.get("upload", ref=f"export-{name.removesuffix('.csv')}")
    if record is None or record["status"] != "export":
        raise ApiError(404, "No such export")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "transaction_reference",
            "refund_amount",
            "currency",
            "status",
            "resolution",
            "due_at",
            "created_at",
        ]
    )
    for dispute_id in record["ids"]:
        d = app.store.get("dispute", id=dispute_id)
        tx = app.store.get("transaction", id=d["transaction_id"])
        writer.writerow(
            [
                d["id"],
                tx["reference"],
                d["refund_amount"],
                d["currency"],
                d["status"],
                d.get("resolution") or "",
                iso(d.get("due_at")),
                iso(d["created_at"]),
            ]
        )
    return Response(body=out.getvalue().encode(), content_type="text/csv; charset=utf-8")

"""The control API under /_sandbox/ (JSON, no auth): config, faults, reset, checkout without a
browser, DVA transfers, deliveries. Tests and demos drive the sandbox through it."""

from . import payments
from .api.customers import receive_bank_transfer
from .cards import find_card
from .faults import FaultError
from .web import ApiError, json_response, router
from .webhooks import delivery_shape


def ok(data=None, status=200):
    return json_response({"status": True, "data": data}, status)


@router.add("GET", "/_sandbox/config", kind="control")
def get_config(app, request):
    return ok(app.all_config())


@router.add("POST", "/_sandbox/config", kind="control")
def set_config(app, request):
    app.set_config(**request.data)
    return ok(app.all_config())


@router.add("GET", "/_sandbox/faults", kind="control")
def list_faults(app, request):
    return ok(app.faults.list())


@router.add("POST", "/_sandbox/faults", kind="control")
def add_fault(app, request):
    data = request.data
    try:
        fault = app.faults.add(
            path=data.get("path", ""),
            mode=data.get("mode", ""),
            seconds=data.get("seconds"),
            times=data.get("times", 1),
            method=data.get("method"),
            copies=data.get("copies"),
        )
    except (FaultError, TypeError, ValueError) as error:
        raise ApiError(400, str(error))
    return ok(fault, 201)


@router.add("DELETE", "/_sandbox/faults", kind="control")
def clear_faults(app, request):
    app.faults.clear()
    app.webhooks.release_held()
    return ok([])


def outside_transaction(handler):
    """Run the handler without the global transaction (it takes the webhook send lock first,
    which must never be awaited while holding the store lock)."""
    handler.outside_transaction = True
    return handler


@router.add("POST", "/_sandbox/reset", kind="control")
@outside_transaction
def reset(app, request):
    """Faults and config back to defaults; in-flight work settles now without webhooks, so
    nothing from a previous test reaches the next one's webhook URL. Data stays."""
    app.faults.clear()
    app.recent_requests.clear()
    app.webhooks.cancel_pending()
    app.set_config(webhook_url=None)
    app.clock.tick(everything=True)
    app.webhooks.cancel_pending()
    app.set_config(**app.defaults)
    return ok(app.all_config())


@router.add("POST", "/_sandbox/settle", kind="control")
def settle_now(app, request):
    """Move every pending transfer and refund to its final state now."""
    app.clock.tick(everything=True)
    return ok()


def checkout_transaction(app, access_code):
    tx = app.store.get("transaction", code=access_code)
    if tx is None:
        raise ApiError(404, f"No checkout with access code {access_code}")
    return tx


def checkout_result(tx):
    return {
        "status": tx["status"],
        "reference": tx["reference"],
        "gateway_response": tx.get("gateway_response"),
        "next_step": tx.get("step") if tx["status"] == "ongoing" else None,
        "error": tx.get("error"),
        "redirect_url": payments.callback_redirect(tx) if tx["status"] == "success" else None,
    }


@router.add("POST", "/_sandbox/checkout/<access_code>/pay", kind="control")
def pay(app, request, access_code):
    """Card, then PIN / phone / OTP / bank approval as the card asks, like the HTML page."""
    data = request.data
    tx = checkout_transaction(app, access_code)
    if tx["status"] == "success":
        raise ApiError(400, "Transaction has already been paid")
    payments.submit_card(app, tx, data.get("card") or "4084084084084081")
    card = find_card(data.get("card") or "4084084084084081")
    # Steps the caller did not answer get the card's documented answer.
    inputs = {
        "pin": data.get("pin") or (card and card.pin),
        "phone": data.get("phone") or "08012345678",
        "otp": data.get("otp") or (card and card.otp) or payments.TEST_OTP,
        "bank_auth": "approve" if data.get("approve", True) else "decline",
    }
    while tx["status"] == "ongoing" and inputs.get(tx["step"]) is not None:
        step = tx["step"]
        payments.submit_step(app, tx, step, inputs.pop(step))
    app.store.save("transaction", tx)
    return ok(checkout_result(tx))


@router.add("POST", "/_sandbox/checkout/<access_code>/cancel", kind="control")
def cancel(app, request, access_code):
    tx = checkout_transaction(app, access_code)
    payments.cancel(app, tx)
    app.store.save("transaction", tx)
    return ok({**checkout_result(tx), "redirect_url": payments.cancel_redirect(tx)})


@router.add("POST", "/_sandbox/dva/<account_number>/transfer", kind="control")
def dva_transfer(app, request, account_number):
    data = request.data
    payload = receive_bank_transfer(
        app,
        account_number,
        data.get("amount"),
        sender_name=data.get("sender_name"),
        narration=data.get("narration"),
    )
    return ok(payload, 201)


@router.add("GET", "/_sandbox/deliveries", kind="control")
def deliveries(app, request):
    rows = [delivery_shape(d) for d in app.store.all("delivery", newest_first=False)]
    if request.query.get("event"):
        rows = [d for d in rows if d["event"] == request.query["event"]]
    if request.query.get("reference"):
        rows = [d for d in rows if d["reference"] == request.query["reference"]]
    return ok(rows)


@router.add("POST", "/_sandbox/deliveries/<id>/resend", kind="control")
def resend(app, request, id):
    delivery = app.webhooks.resend(int(id)) if id.isdigit() else None
    if delivery is None:
        raise ApiError(404, "No such delivery")
    return ok(delivery_shape(delivery))

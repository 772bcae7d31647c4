"""What happens when a payer pays: the checkout state machine, success, failure, webhooks.

Used by the HTML checkout page and by the control API (`/_sandbox/checkout/<code>/pay`), so
both take exactly the same path. Call everything here inside `store.atomic()`.
"""

import json
from urllib.parse import urlencode, urlsplit, urlunsplit

from .cards import find_card
from .shapes import card_fee_kobo, now, random_code, transaction_shape

TEST_OTP = "123456"
# What an ongoing transaction (waiting for the payer's PIN or OTP) says; the exact words
# Paystack uses are unconfirmed.
ONGOING = "Transaction in progress"


def transaction_data(app, tx, view="verify"):
    """The transaction as Paystack shows it: `view` is "verify" (also webhooks), "fetch" or
    "list" (sandbox/shapes/transactions.py)."""
    customer = app.store.get("customer", id=tx["customer_id"]) if tx.get("customer_id") else None
    auth = (
        app.store.get("authorization", code=tx["authorization_code"])
        if tx.get("authorization_code")
        else None
    )
    return transaction_shape(tx, customer, auth, view)


def webhook_data(app, tx):
    """charge.success's `data`: the verify view, but a transaction paid without metadata
    carries `"metadata": 0`, as Paystack's charge.success sample does (verify shows "")."""
    data = transaction_data(app, tx)
    if data.get("metadata") in (None, ""):
        data["metadata"] = 0
    return data


def callback_redirect(tx):
    """callback_url?trxref=REF&reference=REF (keeping any query the merchant put there)."""
    url = tx.get("callback_url")
    if not url:
        return None
    parts = urlsplit(url)
    extra = urlencode({"trxref": tx["reference"], "reference": tx["reference"]})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def cancel_redirect(tx):
    metadata = tx.get("metadata")
    if isinstance(metadata, str):  # Paystack documents metadata as stringified JSON
        try:
            metadata = json.loads(metadata)
        except ValueError:
            metadata = None
    if isinstance(metadata, dict) and metadata.get("cancel_action"):
        return metadata["cancel_action"]
    return callback_redirect(tx)


def submit_card(app, tx, number):
    card = find_card(number)
    tx["error"] = None
    if card is None:
        return _fail(app, tx, "Declined", "This is not a test card: use one from the list.")
    tx["card_number"] = card.number
    tx["steps_done"] = []
    tx["status"] = "ongoing"
    tx["gateway_response"] = ONGOING
    return _advance(app, tx, card)


def submit_step(app, tx, step, value):
    """Check the PIN / phone / OTP / bank authorization the current step asks for."""
    card = find_card(tx.get("card_number"))
    if card is None or tx.get("step") != step:
        tx["error"] = "Start again with a card."
        tx["step"] = "card"
        return tx
    tx["error"] = None
    expected = {"pin": card.pin, "otp": card.otp or TEST_OTP}.get(step)
    if step in ("pin", "otp") and str(value or "").strip() != expected:
        tx["error"] = "Incorrect PIN" if step == "pin" else "Incorrect OTP. Try again."
        return tx
    if step == "phone" and len("".join(c for c in str(value or "") if c.isdigit())) < 10:
        tx["error"] = "Enter a valid phone number"
        return tx
    if step == "bank_auth" and value != "approve":
        return _fail(app, tx, "Declined", "The bank authorization was declined.")
    tx["steps_done"].append(step)
    return _advance(app, tx, card)


def cancel(app, tx):
    # A payer who gives up after a declined attempt leaves a failed transaction with the
    # issuer's words ("Insufficient Funds"); only one never attempted is abandoned.
    if tx["status"] not in ("success", "failed"):
        tx["status"] = "abandoned"
        tx["gateway_response"] = "The transaction was not completed"
        tx["step"] = "card"
    return tx


def _advance(app, tx, card):
    remaining = [step for step in card.steps if step not in tx["steps_done"]]
    if remaining:
        tx["step"] = remaining[0]
        return tx
    if card.failure:
        return _fail(app, tx, card.failure, card.failure)
    return complete_card_payment(app, tx, card)


def _fail(app, tx, gateway_response, error):
    tx["status"] = "failed"
    tx["gateway_response"] = gateway_response
    tx["step"] = "card"
    tx["error"] = error
    tx.setdefault("log_errors", 0)
    tx["log_errors"] += 1
    return tx


def complete_card_payment(app, tx, card):
    auth = authorization_for(app, card, tx["email"])
    tx.update(
        status="success",
        gateway_response="Successful",
        channel="card",
        paid_at=now(),
        fees=card_fee_kobo(tx["amount"]),
        authorization_code=auth["authorization_code"],
        refund_behaviour=card.refund,
        step="done",
        error=None,
    )
    tx["log"] = payment_log(tx, "card")
    app.store.save("transaction", tx)
    app.webhooks.emit("charge.success", webhook_data(app, tx))
    return tx


def authorization_for(app, card, email):
    """The customer's authorization for this card (one per card signature and email)."""
    signature = card.signature
    key = f"{email}:{signature}"
    auth = app.store.get("authorization", ref=key)
    if auth is None:
        code = "AUTH_" + random_code(10)
        auth = app.store.insert(
            "authorization",
            {
                "authorization_code": code,
                "bin": card.bin,
                "last4": card.last4,
                "exp_month": "12",
                "exp_year": "2030",
                "channel": "card",
                "card_type": card.card_type,
                "bank": "TEST BANK",
                "country_code": "NG",
                "brand": card.brand,
                "reusable": True,
                "signature": signature,
                "account_name": None,
                "email": email,
                "refund_behaviour": card.refund,
                # Cards that asked for an OTP ask again on charge_authorization (paused).
                "card_number": card.number,
                "requires_otp": "otp" in card.steps,
                "status": "active",
            },
            ref=key,
            code=code,
        )
    return auth


# How the payer proved the card was theirs, in the words of Paystack's charge.success sample
# (`"authentication": "pin"`); the strongest step the card asked for.
AUTHENTICATION = (("bank_auth", "3DS"), ("otp", "otp"), ("pin", "pin"))


def authentication_of(tx):
    done = set(tx.get("steps_done") or [])
    return next((word for step, word in AUTHENTICATION if step in done), "none")


def payment_log(tx, channel):
    """The checkout's log as Paystack's charge.success sample shows it: with `authentication`
    and `channel` (null in the sample)."""
    spent = max(int(now() - tx["created_at"]), 1)
    return {
        "start_time": int(tx["created_at"]),
        "time_spent": spent,
        "attempts": 1 + tx.get("log_errors", 0),
        "authentication": authentication_of(tx) if channel == "card" else None,
        "errors": tx.get("log_errors", 0),
        "success": True,
        "mobile": False,
        "input": [],
        "channel": None,
        "history": [
            {"type": "action", "message": f"Attempted to pay with {channel}", "time": 1},
            {"type": "success", "message": f"Successfully paid with {channel}", "time": spent},
        ],
    }

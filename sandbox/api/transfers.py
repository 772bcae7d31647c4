"""/transfer (initiate, finalize, resend OTP, verify, fetch, list) and /balance.

Final statuses are driven by the recipient's account number (docs/sandbox.md):
- 0000000001 always fails (transfer.failed, money back to the balance);
- 0000000002 succeeds, then is reversed (transfer.success, then transfer.reversed);
- any other account succeeds (transfer.success).
"""

import re

from ..shapes import now, random_code, transfer_fee_kobo, transfer_shape
from ..web import ApiError, envelope, router, validation_error
from .banks import find_recipient
from .common import parse_amount, parse_currency
from .paging import in_window, paginate

FAILING_ACCOUNT = "0000000001"
REVERSED_ACCOUNT = "0000000002"
TRANSFER_REFERENCE = re.compile(r"^[a-z0-9_-]{16,50}$")
FINAL = {"success", "failed", "reversed", "abandoned", "blocked", "rejected"}
TEST_OTP = "123456"


def balance_error():
    return ApiError(
        400,
        "Your balance is not enough to fulfil this request",
        type="api_error",
        code="insufficient_balance",
    )


@router.add("POST", "/transfer")
def initiate(app, request):
    data = request.data
    if data.get("source") != "balance":
        raise validation_error("Invalid source: only balance is supported", "invalid_params")
    currency = parse_currency(data.get("currency"))
    amount = parse_amount(data.get("amount"), currency, minimum=False)
    recipient = find_recipient(app, data.get("recipient"))
    if recipient is None or not recipient.get("active", True):
        raise validation_error("Recipient specified is invalid", "invalid_transfer_recipient")
    reference = data.get("reference") or random_code(20)
    if not TRANSFER_REFERENCE.match(str(reference)):
        raise validation_error(
            "Invalid transfer reference",
            "invalid_reference",
            "A transfer reference is 16 to 50 characters of lowercase letters, digits, - and _",
        )
    existing = app.store.get("transfer", ref=reference)
    if existing is not None:
        return same_reference_retry(app, existing, recipient, amount)
    fee = transfer_fee_kobo(amount)
    if app.config("balance") < amount + fee:
        raise balance_error()
    otp = bool(app.config("transfer_otp"))
    code = "TRF_" + random_code(16)
    transfer = app.store.insert(
        "transfer",
        {
            "reference": reference,
            "transfer_code": code,
            "amount": amount,
            "fee": fee,
            "currency": currency,
            "reason": data.get("reason"),
            "recipient_id": recipient["id"],
            "status": "otp" if otp else "pending",
            "created_at": now(),
            "session_id": None,
            "gateway_response": None,
        },
        ref=reference,
        code=code,
    )
    if otp:
        return envelope(
            "Transfer requires OTP to continue",
            otp_answer(transfer_shape(transfer, recipient, expanded=False)),
        )
    queue(app, transfer)
    return envelope("Transfer has been queued", transfer_shape(transfer, recipient, expanded=False))


def same_reference_retry(app, transfer, recipient, amount):
    """A retry of a non-final transfer with the same reference and details gets the same
    transfer back (nothing moves twice); anything else with a used reference is rejected."""
    same = transfer["recipient_id"] == recipient["id"] and transfer["amount"] == amount
    if same and transfer["status"] not in FINAL:
        message = (
            "Transfer requires OTP to continue"
            if transfer["status"] == "otp"
            else "Transfer has been queued"
        )
        shape = transfer_shape(transfer, recipient, expanded=False)
        return envelope(message, otp_answer(shape) if transfer["status"] == "otp" else shape)
    raise validation_error(
        "Duplicate Transfer Reference",
        "duplicate_reference",
        "Reference already used on a prior transfer; use a new reference after a final "
        "failed or reversed status",
    )


def queue(app, transfer):
    """Take amount + fee from the balance and schedule the final status."""
    if app.config("balance") < transfer["amount"] + transfer["fee"]:
        raise balance_error()
    app.adjust_balance(-(transfer["amount"] + transfer["fee"]))
    transfer["status"] = "pending"
    transfer["settle_at"] = now() + float(app.config("settle_delay"))
    transfer["updated_at"] = now()
    app.store.save("transfer", transfer)


def find_transfer_by_code(app, code):
    transfer = app.store.get("transfer", code=str(code or ""))
    if transfer is None:
        raise validation_error("Transfer code is invalid", "invalid_transfer_code")
    return transfer


@router.add("POST", "/transfer/finalize_transfer")
def finalize(app, request):
    data = request.data
    transfer = find_transfer_by_code(app, data.get("transfer_code"))
    if transfer["status"] != "otp":
        raise validation_error(
            "Transfer is not currently awaiting OTP", "transfer_not_awaiting_otp"
        )
    if str(data.get("otp") or "") != TEST_OTP:
        raise validation_error("Invalid OTP", "invalid_otp")
    queue(app, transfer)
    recipient = app.store.get("recipient", id=transfer["recipient_id"])
    return envelope("Transfer has been queued", transfer_shape(transfer, recipient, expanded=False))


@router.add("POST", "/transfer/resend_otp")
def resend_otp(app, request):
    data = request.data
    transfer = find_transfer_by_code(app, data.get("transfer_code"))
    if data.get("reason") not in ("resend_otp", "transfer"):
        raise validation_error("Reason must be resend_otp or transfer", "invalid_params")
    if transfer["status"] != "otp":
        raise validation_error(
            "Transfer is not currently awaiting OTP", "transfer_not_awaiting_otp"
        )
    return envelope("OTP has been resent")


def expanded(app, transfer):
    recipient = app.store.get("recipient", id=transfer["recipient_id"])
    return transfer_shape(transfer, recipient, expanded=True)


@router.add("GET", "/transfer/verify/<reference>")
def verify(app, request, reference):
    transfer = app.store.get("transfer", ref=reference)
    if transfer is None:
        raise ApiError(404, "Transfer not found")
    return envelope("Transfer retrieved", expanded(app, transfer))


@router.add("GET", "/transfer/<id_or_code>")
def fetch(app, request, id_or_code):
    if id_or_code.isdigit():
        transfer = app.store.get("transfer", id=int(id_or_code))
    else:
        transfer = app.store.get("transfer", code=id_or_code)
    if transfer is None:
        raise ApiError(404, "Transfer not found")
    return envelope("Transfer retrieved", expanded(app, transfer))


@router.add("GET", "/transfer")
def list_transfers(app, request):
    items = app.store.all("transfer")
    if request.query.get("status"):
        items = [t for t in items if t["status"] == request.query["status"]]
    items = in_window(items, request.query)
    chunk, meta = paginate(items, request.query)
    return envelope("Transfers retrieved", [expanded(app, t) for t in chunk], meta)


@router.add("GET", "/balance")
def balance(app, request):
    return envelope("Balances retrieved", [{"currency": "NGN", "balance": app.config("balance")}])


# --- the clock drives these (sandbox/clock.py) --------------------------------------------------
def settle(app, transfer):
    """pending -> success / failed, by the recipient's account number; sends the webhook."""
    recipient = app.store.get("recipient", id=transfer["recipient_id"])
    transfer["updated_at"] = now()
    transfer["session_id"] = "0900" + random_code(20).upper()
    transfer.pop("settle_at", None)
    if recipient["account_number"] == FAILING_ACCOUNT:
        transfer["status"] = "failed"
        transfer["gateway_response"] = "Account could not be credited"
        app.adjust_balance(transfer["amount"] + transfer["fee"])
        event = "transfer.failed"
    else:
        transfer["status"] = "success"
        transfer["gateway_response"] = "Approved or completed successfully"
        transfer["transferred_at"] = now()
        if recipient["account_number"] == REVERSED_ACCOUNT:
            reverse_at = now() + float(app.config("settle_delay"))
            app.store.insert(
                "job",
                {
                    "status": "due",
                    "action": "reverse",
                    "transfer_id": transfer["id"],
                    "at": reverse_at,
                },
            )
        event = "transfer.success"
    app.store.save("transfer", transfer)
    app.webhooks.emit(event, webhook_data(app, transfer, recipient))


def reverse(app, transfer):
    """success -> reversed: the beneficiary bank returned the money."""
    recipient = app.store.get("recipient", id=transfer["recipient_id"])
    transfer["status"] = "reversed"
    transfer["gateway_response"] = "Beneficiary bank could not receive the transfer"
    transfer["updated_at"] = now()
    app.adjust_balance(transfer["amount"] + transfer["fee"])
    app.store.save("transfer", transfer)
    app.webhooks.emit("transfer.reversed", webhook_data(app, transfer, recipient))


LOGO = "https://public-files-paystack-prod.s3.eu-west-1.amazonaws.com/integration-logos/sandbox.png"


def otp_answer(shape):
    """An OTP-mode transfer answers with an empty `session` too: clients built on Paystack's
    transfer object expect one (its provider and id come once the transfer is sent)."""
    return {**shape, "session": {"provider": None, "id": None}}


def webhook_data(app, transfer, recipient):
    """transfer.* `data` as Paystack's samples give it: the integration as an object with its
    logo, and `created_at` / `updated_at` on the transfer and its recipient besides the
    camelCase pair."""
    data = transfer_shape(transfer, recipient, expanded=True)
    data["integration"] = {
        "id": 463433,
        "is_live": False,
        "business_name": "Paystack Sandbox",
        "logo_path": LOGO,
    }
    for shape in (data, data["recipient"]):
        shape["created_at"], shape["updated_at"] = shape["createdAt"], shape["updatedAt"]
    return data


# --- transfer control: turning the integration's transfer OTP off and on ----------------------
# Paystack sends an OTP to the business's phone for disable_otp; here it is always TEST_OTP.


@router.add("POST", "/transfer/disable_otp")
def disable_otp(app, request):
    return envelope("OTP has been sent to mobile number ending with 0000")


@router.add("POST", "/transfer/disable_otp_finalize")
def disable_otp_finalize(app, request):
    if str(request.data.get("otp") or "") != TEST_OTP:
        raise validation_error("Invalid OTP", "invalid_otp")
    app.set_config(transfer_otp=False)
    return envelope("OTP requirement for transfers has been disabled")


@router.add("POST", "/transfer/enable_otp")
def enable_otp(app, request):
    app.set_config(transfer_otp=True)
    return envelope("OTP requirement for transfers has been enabled")

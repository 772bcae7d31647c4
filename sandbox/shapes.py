"""Paystack object shapes built from the stored records, plus codes, times and fees."""

import secrets
import string
import time
from datetime import UTC, datetime

INTEGRATION_ID = 463433
ALPHABET = string.ascii_lowercase + string.digits


def iso(ts):
    """ISO-8601 UTC with milliseconds, as Paystack writes times: 2024-08-22T09:15:02.000Z."""
    if ts is None:
        return None
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now():
    return time.time()


def random_code(length=15):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def card_fee_kobo(amount):
    """NGN local card fee: 1.5%, plus NGN 100 above NGN 2,500, capped at NGN 2,000."""
    fee = (amount * 15 + 500) // 1000
    if amount > 250_000:
        fee += 10_000
    return min(fee, 200_000)


def dva_fee_kobo(amount):
    """Pay-with-transfer / DVA fee: 1%, capped at NGN 300."""
    return min((amount + 50) // 100, 30_000)


def transfer_fee_kobo(amount):
    """NGN transfer fee: NGN 10 up to NGN 5,000; NGN 25 up to NGN 50,000; NGN 50 above."""
    if amount <= 500_000:
        return 1_000
    if amount <= 5_000_000:
        return 2_500
    return 5_000


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
        "international_format_phone": None,
    }


def customer_full_shape(customer):
    return {
        **customer_shape(customer),
        "integration": INTEGRATION_ID,
        "domain": "test",
        "identified": False,
        "identifications": None,
        "createdAt": iso(customer["created_at"]),
        "updatedAt": iso(customer.get("updated_at", customer["created_at"])),
    }


def authorization_shape(auth):
    if not auth:
        return {}
    keys = (
        "authorization_code bin last4 exp_month exp_year channel card_type bank country_code "
        "brand reusable signature account_name"
    ).split()
    shape = {key: auth.get(key) for key in keys}
    for extra in (
        "sender_bank",
        "sender_bank_account_number",
        "sender_country",
        "sender_name",
        "narration",
        "receiver_bank_account_number",
        "receiver_bank",
    ):
        if extra in auth:
            shape[extra] = auth[extra]
    return shape


def transaction_shape(tx, customer, auth):
    paid_at = iso(tx.get("paid_at"))
    created_at = iso(tx["created_at"])
    return {
        "id": tx["id"],
        "domain": "test",
        "status": tx["status"],
        "reference": tx["reference"],
        "receipt_number": None,
        "amount": tx["amount"],
        "message": None,
        "gateway_response": tx.get("gateway_response"),
        "paid_at": paid_at,
        "created_at": created_at,
        "channel": tx.get("channel", "card"),
        "currency": tx["currency"],
        "ip_address": tx.get("ip_address", "127.0.0.1"),
        "metadata": tx.get("metadata", ""),
        "log": tx.get("log"),
        "fees": tx.get("fees"),
        "fees_split": None,
        "authorization": authorization_shape(auth),
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


def recipient_shape(recipient):
    return {
        "active": recipient.get("active", True),
        "createdAt": iso(recipient["created_at"]),
        "currency": recipient["currency"],
        "description": recipient.get("description"),
        "domain": "test",
        "email": recipient.get("email"),
        "id": recipient["id"],
        "integration": INTEGRATION_ID,
        "metadata": recipient.get("metadata"),
        "name": recipient["name"],
        "recipient_code": recipient["recipient_code"],
        "type": recipient["type"],
        "updatedAt": iso(recipient.get("updated_at", recipient["created_at"])),
        "is_deleted": False,
        "details": {
            "authorization_code": None,
            "account_number": recipient["account_number"],
            "account_name": recipient["account_name"],
            "bank_code": recipient["bank_code"],
            "bank_name": recipient["bank_name"],
        },
    }


def transfer_shape(transfer, recipient, *, expanded):
    """`recipient` is the integer id on initiate/finalize, an expanded object elsewhere."""
    shape = {
        "reference": transfer["reference"],
        "integration": INTEGRATION_ID,
        "domain": "test",
        "amount": transfer["amount"],
        "currency": transfer["currency"],
        "source": "balance",
        "source_details": None,
        "reason": transfer.get("reason"),
        "recipient": recipient["id"],
        "status": transfer["status"],
        "failures": None,
        "transfer_code": transfer["transfer_code"],
        "titan_code": None,
        "transferred_at": iso(transfer.get("transferred_at")),
        "id": transfer["id"],
        "request": transfer["id"] + 207_000_000,
        "createdAt": iso(transfer["created_at"]),
        "updatedAt": iso(transfer.get("updated_at", transfer["created_at"])),
    }
    if expanded:
        shape["recipient"] = recipient_shape(recipient)
        shape["session"] = {"provider": "nip", "id": transfer.get("session_id")}
        shape["fee_charged"] = transfer["fee"]
        shape["fees_breakdown"] = None
        shape["gateway_response"] = transfer.get("gateway_response")
    return shape


def refund_shape(refund, tx):
    return {
        "id": refund["id"],
        "integration": INTEGRATION_ID,
        "transaction": tx["id"],
        "dispute": None,
        "settlement": None,
        "domain": "test",
        "amount": refund["amount"],
        "deducted_amount": refund["amount"] if refund["status"] != "failed" else 0,
        "fully_deducted": refund["status"] != "failed",
        "currency": refund["currency"],
        "channel": tx.get("channel"),
        "status": refund["status"],
        "refunded_by": "sandbox@example.com",
        "refunded_at": iso(refund.get("refunded_at")),
        "expected_at": iso(refund["created_at"] + 86400 * 5),
        "customer_note": refund.get("customer_note"),
        "merchant_note": refund.get("merchant_note"),
        "createdAt": iso(refund["created_at"]),
        "updatedAt": iso(refund.get("updated_at", refund["created_at"])),
    }

"""Banks, transfer recipients and transfers as Paystack writes them."""

from .basics import INTEGRATION_ID, iso

# Paystack's bank list carries creation dates the compiled list does not have: one fixed date.
BANK_LISTED_AT = "2016-07-14T10:04:29.000Z"


def bank_shape(bank):
    """A bank in Paystack's key order, with the flags and dates our compiled list lacks."""
    return {
        "name": bank["name"],
        "slug": bank["slug"],
        "code": bank["code"],
        "longcode": bank["longcode"],
        "gateway": bank["gateway"],
        "pay_with_bank": bank["pay_with_bank"],
        "supports_transfer": bank.get("supports_transfer", bank["active"]),
        "available_for_direct_debit": bank.get("available_for_direct_debit", False),
        "active": bank["active"],
        "is_deleted": bank["is_deleted"],
        "country": bank["country"],
        "currency": bank["currency"],
        "type": bank["type"],
        "id": bank["id"],
        "createdAt": bank.get("createdAt", BANK_LISTED_AT),
        "updatedAt": bank.get("updatedAt", BANK_LISTED_AT),
    }


def recipient_shape(recipient, bank_id=None):
    deleted = not recipient.get("active", True)
    return {
        "active": recipient.get("active", True),
        "createdAt": iso(recipient["created_at"]),
        "currency": recipient["currency"],
        "description": recipient.get("description") or "",
        "domain": "test",
        "email": recipient.get("email"),
        "id": recipient["id"],
        "integration": INTEGRATION_ID,
        "metadata": recipient.get("metadata"),
        "name": recipient["name"],
        "recipient_code": recipient["recipient_code"],
        "type": recipient["type"],
        "updatedAt": iso(recipient.get("updated_at", recipient["created_at"])),
        "is_deleted": deleted,
        "isDeleted": deleted,
        "recipient_account": recipient["account_number"],
        "institution_code": recipient["bank_code"],
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
        "reason": transfer.get("reason") or "",
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
    else:
        # Initiate and finalize answers open with these two (empty until NIP retries).
        shape = {"transfersessionid": [], "transfertrials": [], **shape}
    return shape

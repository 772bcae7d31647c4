"""/bank, /bank/resolve and /transferrecipient.

Resolve rules (documented in docs/sandbox.md):
- 0001234567 at 058 resolves to "Doe Jane Loren"; 0000000000 at 057 to "Zenith Test Account";
- a 10-digit number starting with 999 never resolves (422), like a mistyped account;
- any other 10-digit number resolves to a name generated from the number and bank code.
"""

import hashlib
import json
from pathlib import Path

from ..shapes import bank_shape, now, random_code, recipient_shape
from ..web import ApiError, envelope, router, validation_error
from .paging import page_params, paginate

# Paystack lists banks by name, whatever the case.
BANKS = sorted(
    json.loads((Path(__file__).parent.parent / "data" / "banks_ng.json").read_text())["banks"],
    key=lambda bank: bank["name"].lower(),
)
BANKS_BY_CODE = {bank["code"]: bank for bank in BANKS}
KNOWN_ACCOUNTS = {
    ("0001234567", "058"): "Doe Jane Loren",
    ("0000000000", "057"): "Zenith Test Account",
}
UNRESOLVABLE_PREFIX = "999"
FIRST = "Adaeze Babajide Chinedu Damilola Emeka Folake Gbenga Halima Ifeoma Jide Kemi Lanre".split()
LAST = "Okafor Adeyemi Bello Eze Ogunleye Musa Nwosu Balogun Okoro Lawal Danjuma Afolabi".split()


@router.add("GET", "/bank")
def list_banks(app, request):
    query = request.query
    banks = BANKS
    country = (query.get("country") or "").lower()
    if country and country != "nigeria":
        banks = []
    if query.get("currency") and query["currency"].upper() != "NGN":
        banks = []
    if query.get("type"):
        banks = [bank for bank in banks if bank["type"] == query["type"]]
    if query.get("use_cursor") == "true" or "next" in query:
        return cursor_page(banks, query)
    chunk, meta = paginate(banks, query)
    return envelope("Banks retrieved", [bank_shape(bank) for bank in chunk], meta)


def cursor_page(banks, query):
    per_page, _ = page_params(query)
    start = int(query.get("next") or 0) if str(query.get("next") or "0").isdigit() else 0
    chunk = banks[start : start + per_page]
    following = start + per_page
    meta = {
        "next": str(following) if following < len(banks) else None,
        "previous": str(max(start - per_page, 0)) if start else None,
        "perPage": per_page,
    }
    return envelope("Banks retrieved", [bank_shape(bank) for bank in chunk], meta)


def resolve_name(account_number, bank_code):
    """The account name, or an ApiError exactly as the resolve endpoint reports it."""
    account_number = str(account_number or "")
    bank_code = str(bank_code or "")
    if bank_code not in BANKS_BY_CODE:
        raise ApiError(422, f"Unknown bank code: {bank_code}")
    if len(account_number) != 10 or not account_number.isdigit():
        raise ApiError(422, "Could not resolve account name. Check parameters or try again.")
    if (account_number, bank_code) in KNOWN_ACCOUNTS:
        return KNOWN_ACCOUNTS[(account_number, bank_code)]
    if account_number.startswith(UNRESOLVABLE_PREFIX):
        raise ApiError(422, "Could not resolve account name. Check parameters or try again.")
    digest = hashlib.sha256(f"{account_number}:{bank_code}".encode()).digest()
    names = (LAST[digest[0] % len(LAST)], FIRST[digest[1] % len(FIRST)], FIRST[digest[2] % 12])
    return " ".join(names).upper()


@router.add("GET", "/bank/resolve")
def resolve(app, request):
    query = request.query
    if not query.get("account_number") or not query.get("bank_code"):
        raise validation_error("Account number and bank code are required", "missing_params")
    name = resolve_name(query["account_number"], query["bank_code"])
    data = {
        "account_number": query["account_number"],
        "account_name": name,
        "bank_id": BANKS_BY_CODE[query["bank_code"]]["id"],
    }
    return envelope("Account number resolved", data)


@router.add("POST", "/transferrecipient")
def create_recipient(app, request):
    data = request.data
    if data.get("type") != "nuban":
        raise validation_error(
            "Only nuban recipients are supported by the sandbox", "invalid_params"
        )
    for name in ("name", "account_number", "bank_code"):
        if not data.get(name):
            raise validation_error(
                f"{name.replace('_', ' ').capitalize()} is required", "missing_params"
            )
    account_number, bank_code = str(data["account_number"]), str(data["bank_code"])
    try:
        account_name = resolve_name(account_number, bank_code)
    except ApiError as error:
        raise validation_error(
            error.message,
            "invalid_bank_account" if "resolve" in error.message else "invalid_bank_code",
        )
    key = f"{account_number}:{bank_code}"
    existing = app.store.get("recipient", ref=key)
    if existing is not None:
        if not existing.get("active", True):  # added again after a delete: usable again
            existing.update(active=True, updated_at=now())
            app.store.save("recipient", existing)
        return envelope("Transfer recipient created successfully", recipient_shape(existing))
    code = "RCP_" + random_code(15)
    recipient = app.store.insert(
        "recipient",
        {
            "type": "nuban",
            "name": data["name"],
            "account_number": account_number,
            "bank_code": bank_code,
            "bank_name": BANKS_BY_CODE[bank_code]["name"],
            "account_name": account_name,
            "currency": (data.get("currency") or "NGN").upper(),
            "description": data.get("description"),
            "metadata": data.get("metadata"),
            "recipient_code": code,
            "created_at": now(),
            "active": True,
        },
        ref=key,
        code=code,
    )
    return envelope(
        "Transfer recipient created successfully", recipient_shape(recipient), status=201
    )


@router.add("GET", "/transferrecipient/<id_or_code>")
def fetch_recipient(app, request, id_or_code):
    recipient = find_recipient(app, id_or_code)
    if recipient is None:
        raise ApiError(404, "Recipient not found")
    return envelope("Recipient retrieved", recipient_shape(recipient))


def find_recipient(app, id_or_code):
    value = str(id_or_code or "")
    if value.isdigit():
        return app.store.get("recipient", id=int(value))
    return app.store.get("recipient", code=value)


@router.add("GET", "/transferrecipient")
def list_recipients(app, request):
    chunk, meta = paginate(app.store.all("recipient"), request.query)
    return envelope("Recipients retrieved", [recipient_shape(r) for r in chunk], meta)


@router.add("DELETE", "/transferrecipient/<id_or_code>")
def delete_recipient(app, request, id_or_code):
    """Paystack keeps the recipient but sets it inactive: transfers to it are refused."""
    recipient = find_recipient(app, id_or_code)
    if recipient is None:
        raise ApiError(404, "Recipient not found")
    recipient.update(active=False, updated_at=now())
    app.store.save("recipient", recipient)
    return envelope("Transfer recipient set as inactive")

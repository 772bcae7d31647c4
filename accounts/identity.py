"""How customers are known to each other: public handles, phone numbers and masked names.

A handle (`@ada`) is the public name a customer shares to receive money. The rules, also in
docs/customers.md: 3 to 20 characters, a letter first, then letters, digits or underscores;
unique whatever the case (`@Ada` and `@ada` are one handle, enforced by a database constraint
on Lower(handle)); not a reserved word; changeable once every 30 days (the first choice is free),
so a handle someone just paid cannot silently change hands the same week.
"""

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone

HANDLE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,19}$")
HANDLE_CHANGE_INTERVAL = dt.timedelta(days=30)
RESERVED_HANDLES = frozenset(
    {
        "admin",
        "administrator",
        "support",
        "help",
        "staff",
        "paystack",
        "wallet",
        "bank",
        "official",
        "security",
        "root",
        "system",
        "settings",
        "me",
        "you",
        "null",
        "none",
    }
)
PHONE_REGION = "NG"


def clean_handle(value: str) -> str:
    """The handle as stored: without a leading "@" and surrounding spaces (case kept)."""
    return (value or "").strip().removeprefix("@")


def validate_handle_format(value: str) -> None:
    if not HANDLE_PATTERN.fullmatch(value):
        raise ValidationError(
            "A handle is 3 to 20 letters, digits or underscores, starting with a letter.",
            code="handle_format",
        )
    if value.lower() in RESERVED_HANDLES:
        raise ValidationError("That handle is reserved. Choose another.", code="handle_reserved")


def next_handle_change(changed_at: dt.datetime | None) -> dt.datetime | None:
    """When a customer who last changed their handle at `changed_at` may change it again."""
    if changed_at is None:
        return None
    allowed = changed_at + HANDLE_CHANGE_INTERVAL
    return allowed if allowed > timezone.now() else None


def phone_in_e164(value: str) -> str | None:
    """A Nigerian (or +country) phone number in +234 form, or None when it is not a number."""
    text = (value or "").strip()
    if not text or len(text) > 32 or not re.fullmatch(r"[+0-9 ()\-]+", text):
        return None
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked_name(user) -> str:
    """What a stranger may see of a customer: "Bola A.", else their handle, never an e-mail."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if first:
        return f"{first} {last[0].upper()}." if last else first
    if user.handle:
        return f"@{user.handle}"
    return "A wallet customer"


def full_name(user) -> str:
    """How people who already deal with a customer see them: full name, else handle."""
    name = f"{user.first_name} {user.last_name}".strip()
    if name:
        return name
    return f"@{user.handle}" if user.handle else "A wallet customer"

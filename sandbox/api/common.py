"""Validation and lookups shared by the API modules."""

import re

from ..shapes import now, random_code
from ..web import ApiError, validation_error

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CURRENCIES = {"NGN", "GHS", "ZAR", "USD", "KES", "XOF"}
MINIMUM_KOBO = {"NGN": 5_000, "GHS": 10, "ZAR": 100, "KES": 300, "USD": 200, "XOF": 100}


def parse_amount(value, currency="NGN", minimum=True):
    """A positive integer number of subunits (int or digit string), else invalid_amount."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or value <= 0:
        raise validation_error(
            "Invalid Amount Sent",
            "invalid_amount",
            "Ensure that you're passing your amount correctly. It should be a number greater "
            "than zero, with no decimal places",
        )
    if minimum and value < MINIMUM_KOBO.get(currency, 1):
        raise validation_error(
            "Invalid Amount Sent",
            "invalid_amount",
            f"The minimum amount for {currency} is {MINIMUM_KOBO[currency]} subunits",
        )
    return value


def parse_currency(value):
    currency = (value or "NGN").upper()
    if currency not in CURRENCIES:
        raise validation_error("Currency not supported by merchant", "unsupported_currency")
    return currency


def require(data, *names):
    for name in names:
        if data.get(name) in (None, ""):
            label = name.replace("_", " ").capitalize()
            raise validation_error(f"{label} is required", "missing_params")


def parse_email(value):
    if not value:
        raise validation_error("Email Address is required", "missing_params")
    if not isinstance(value, str) or not EMAIL.match(value):
        raise validation_error("Invalid Email Address Passed", "invalid_params")
    return value.strip().lower()


def get_or_create_customer(store, email, **fields):
    customer = store.get("customer", ref=email)
    if customer is None:
        code = "CUS_" + random_code(15)
        customer = store.insert(
            "customer",
            {
                "email": email,
                "customer_code": code,
                "first_name": fields.get("first_name"),
                "last_name": fields.get("last_name"),
                "phone": fields.get("phone"),
                "metadata": fields.get("metadata"),
                "created_at": now(),
            },
            ref=email,
            code=code,
        )
    return customer


def find_customer(store, id_or_code):
    value = str(id_or_code or "")
    if value.upper().startswith("CUS_"):
        return store.get("customer", code=value)
    if value.isdigit():
        return store.get("customer", id=int(value))
    return store.get("customer", ref=value.lower())


def not_found(message):
    return ApiError(404, message)

"""The options of a settlement schedule, validated and normalised (InvalidSchedule otherwise)."""

from datetime import time
from decimal import Decimal, InvalidOperation

from django.conf import settings

from wallet.amounts import parse_amount_text
from wallet.exceptions import InvalidAmount, InvalidSchedule
from wallet.models import AmountMode, ScheduleType

SCHEDULE_FIELDS = {
    "time_of_day",
    "day_of_week",
    "day_of_month",
    "threshold_amount",
    "amount_mode",
    "fixed_amount",
    "minimum_balance",
    "maximum_amount",
    "is_active",
}


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


CENT = Decimal("0.01")


def clean_schedule_fields(schedule_type: str, raw: dict) -> dict:
    """Validate and normalise the keyword options of a schedule; raises InvalidSchedule."""
    unknown = set(raw) - SCHEDULE_FIELDS
    if unknown:
        raise InvalidSchedule(f"Unknown schedule option(s): {', '.join(sorted(unknown))}.")
    if schedule_type not in ScheduleType.values:
        raise InvalidSchedule(f"A schedule is one of: {', '.join(ScheduleType.values)}.")
    fields = {
        "time_of_day": parse_time(raw.get("time_of_day")),
        "day_of_week": None,
        "day_of_month": None,
        "threshold_amount": None,
        "amount_mode": raw.get("amount_mode") or AmountMode.ALL_AVAILABLE,
        "fixed_amount": optional_amount(raw.get("fixed_amount"), "fixed amount"),
        "minimum_balance": optional_amount(
            raw.get("minimum_balance"), "minimum balance", zero_ok=True
        )
        or Decimal("0.00"),
        "maximum_amount": optional_amount(raw.get("maximum_amount"), "maximum per settlement"),
        "is_active": bool(raw.get("is_active", True)),
    }
    if schedule_type == ScheduleType.WEEKLY:
        fields["day_of_week"] = parse_weekday(raw.get("day_of_week"))
    if schedule_type == ScheduleType.MONTHLY:
        fields["day_of_month"] = parse_day_of_month(raw.get("day_of_month"))
    if schedule_type == ScheduleType.THRESHOLD:
        fields["threshold_amount"] = optional_amount(raw.get("threshold_amount"), "threshold")
        if fields["threshold_amount"] is None:
            raise InvalidSchedule("A threshold schedule needs the balance to settle at.")
    if fields["amount_mode"] not in AmountMode.values:
        raise InvalidSchedule("Settle either everything available or a fixed amount.")
    if fields["amount_mode"] == AmountMode.FIXED and fields["fixed_amount"] is None:
        raise InvalidSchedule("Give the fixed amount to settle each time.")
    if fields["amount_mode"] == AmountMode.ALL_AVAILABLE:
        fields["fixed_amount"] = None
    return fields


def parse_time(value) -> time:
    if value in (None, ""):
        return time(9, 0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    try:
        return time.fromisoformat(str(value).strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise InvalidSchedule("The time of day looks like 09:00 (24-hour clock).")


def parse_weekday(value) -> int:
    if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower())
    try:
        day = int(value)
    except (TypeError, ValueError):
        day = -1
    if not 0 <= day <= 6:
        raise InvalidSchedule("A weekly schedule needs a day of the week (Monday to Sunday).")
    return day


def parse_day_of_month(value) -> int:
    try:
        day = int(value)
    except (TypeError, ValueError):
        day = 0
    if not 1 <= day <= 31:
        raise InvalidSchedule("A monthly schedule needs a day of the month from 1 to 31.")
    return day


def optional_amount(value, label: str, zero_ok: bool = False) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return _typed_amount(value, label, zero_ok)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidSchedule(f"The {label} must be an amount like 5000, 5,000 or 5000.50.")
    if not amount.is_finite() or amount < 0 or (amount == 0 and not zero_ok):
        raise InvalidSchedule(f"The {label} must be a positive amount.")
    if amount != amount.quantize(CENT):
        raise InvalidSchedule(f"The {label} can have at most two decimal places.")
    if amount > settings.WALLET_MAX_AMOUNT * 100:
        raise InvalidSchedule(f"The {label} is too large.")
    return amount.quantize(CENT)


def _typed_amount(text: str, label: str, zero_ok: bool) -> Decimal:
    """Text is read by the one rule for typed amounts, then held to the schedule's bounds."""
    try:
        amount = parse_amount_text(text)
    except InvalidAmount as error:
        if text.strip().startswith("-") or text.strip().lower() in {"nan", "inf", "infinity"}:
            raise InvalidSchedule(f"The {label} must be a positive amount.")
        raise InvalidSchedule(f"The {label} is not valid. {error.message}")
    return optional_amount(amount, label, zero_ok)

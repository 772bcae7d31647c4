"""Dates as people in Nigeria write them: day first, 31/12/2026. Links, bookmarks and the API
keep ISO (2026-12-31), which is read too. A text field, not the browser's date picker: the
picker shows the browser's own locale (month first on most machines), not the customer's."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

DAY_FORMAT = "%d/%m/%Y"
DAY_INPUT_FORMATS = [DAY_FORMAT, "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y"]
DAY_PLACEHOLDER = "DD/MM/YYYY"
# The days a filter or period may name: the code adds a day to an end date and turns days into
# Lagos midnights, which fails near date.min and date.max (9999-12-31 + 1 day overflows).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(9998, 12, 31)
OUT_OF_RANGE = "Choose a date between 1900 and 9998."


def validate_day_in_range(day: dt.date | None) -> None:
    """ValidationError for a day outside FIRST_DAY..LAST_DAY (every face: forms and the API)."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


class DayInput(forms.DateInput):
    def __init__(self, attrs=None):
        attrs = {
            "placeholder": DAY_PLACEHOLDER,
            "inputmode": "numeric",
            "autocomplete": "off",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format=DAY_FORMAT)


class DayField(forms.DateField):
    """A date typed as 31/12/2026 (or 2026-12-31); the error says which form to use."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {"invalid": f"Write the date as {DAY_PLACEHOLDER}, e.g. 31/12/2026."}
    default_validators = [validate_day_in_range]


def lagos_time(value) -> str:
    """A moment as the back office writes it: Lagos time with its zone, "4 Dec 2026, 20:03 WAT"
    (titles were in UTC beside pages in Lagos time)."""
    from django.utils import timezone

    if value is None:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%-d %b %Y, %H:%M} {local.tzname() or ''}".strip()

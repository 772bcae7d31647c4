"""No 5xx on odd filter values in any back-office list: every ModelAdmin the site registers
(door.read_only mixes this in) reads each filter of the query string before the list is built.
A year past 9998 (the admin asks for the year after it), a month 13, a huge or non-ASCII id, a
lone surrogate: the list comes back whole with a message that says which value was ignored."""

import logging
import re

from django.contrib import messages
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR, SEARCH_VAR
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import connection, models
from django.http import HttpResponseRedirect

logger = logging.getLogger(__name__)
DATE_PARTS = {
    "year": (1, 9998), "iso_year": (1, 9998), "month": (1, 12), "day": (1, 31),
    "week": (1, 53), "week_day": (1, 7), "iso_week_day": (1, 7), "quarter": (1, 4),
    "hour": (0, 23), "minute": (0, 59), "second": (0, 59),
}  # fmt: skip
WHOLE = re.compile(r"-?[0-9]{1,20}", re.ASCII)
DECIMAL = re.compile(r"-?[0-9]{1,17}(?:\.[0-9]{1,6})?", re.ASCII)
MAX_PAGE = 1_000_000


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def _field_and_lookup(model, key: str):
    """The model field a filter key ends on, and the lookup after it (None: not a field)."""
    opts, field, parts = model._meta, None, key.split("__")
    for index, part in enumerate(parts):
        try:
            found = opts.get_field(part)
        except FieldDoesNotExist:
            if field is None:
                return None, None
            return _concrete(field), parts[index]
        field = found
        if field.is_relation and field.related_model is not None:
            opts = field.related_model._meta
    return _concrete(field), "exact"


def _concrete(field):
    """A relation compares its target's values (a foreign key: the related row's id)."""
    if not field.is_relation:
        return field
    try:
        return field.target_field
    except (AttributeError, FieldDoesNotExist):
        return field


def _whole_in_range(field, text: str) -> bool:
    if not WHOLE.fullmatch(text):
        return False
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    value = int(text)
    return (low is None or value >= low) and (high is None or value <= high)


def _why_not(field, lookup: str, text: str) -> str | None:
    """Why `text` cannot filter `field` with `lookup` (None: it can)."""
    if lookup in DATE_PARTS:
        low, high = DATE_PARTS[lookup]
        ok = WHOLE.fullmatch(text) and low <= int(text) <= high
        return None if ok else f"a {lookup.replace('_', ' ')} from {low} to {high}"
    if lookup == "isnull":
        return None if text in ("0", "1", "True", "False", "true", "false") else "yes or no"
    if lookup == "in":
        reasons = [_why_not(field, "exact", part) for part in text.split(",") if part]
        return next((r for r in reasons if r), None)
    if lookup not in ("exact", "iexact", "gt", "gte", "lt", "lte", "range"):
        return None  # contains & co: text compared as text
    if isinstance(field, models.AutoField | models.IntegerField):
        return None if _whole_in_range(field, text) else "a whole number in range"
    if isinstance(field, models.DecimalField):
        return None if DECIMAL.fullmatch(text) else "an amount like 5000.00"
    if isinstance(field, models.DateField | models.DateTimeField | models.UUIDField):
        try:
            value = field.to_python(text)
        except (ValidationError, ValueError, OverflowError):
            return "a date like 2026-12-31" if not isinstance(field, models.UUIDField) else "an id"
        year = getattr(value, "year", 1)
        return None if 1 <= year <= 9998 else "a date before the year 9999"
    return None


def odd_filter(model, params) -> str | None:
    """The first filter in `params` that the list cannot use, as a sentence (None: all fine)."""
    for key, values in params.lists():
        for text in values:
            if _has_surrogate(key) or _has_surrogate(text):
                return "A filter value has characters that cannot be read."
            if key == PAGE_VAR:
                if not (text.isascii() and text.isdigit() and int(text) <= MAX_PAGE):
                    return f"“{text[:40]}” is not a page number."
                continue
            if key in (SEARCH_VAR, ORDER_VAR) or key.startswith("_"):
                continue
            field, lookup = _field_and_lookup(model, key)
            if field is None:
                continue  # a list filter of its own (it reads its value itself)
            why = _why_not(field, lookup or "exact", text)
            if why:
                return f"The filter {key}={text[:40]!r} needs {why}; it was not applied."
    return None


def _searchable(model, name: str) -> bool:
    path = name.lstrip("^=@")
    try:
        model._default_manager.filter(**{f"{path}__icontains" if path == name else path: "1"})
    except (FieldError, FieldDoesNotExist):
        return False
    except (ValueError, TypeError, ValidationError):
        return True  # the field exists; this value just does not fit it
    return True


class SaneFilterValues:
    """Mixed into every ModelAdmin: a list with an odd filter value comes back whole, with a
    message, instead of an error page."""

    def get_search_fields(self, request):
        """Only the search fields this model has (a third party's may name `user__username`
        on a user model without one: every search would fail)."""
        names = super().get_search_fields(request)
        return [name for name in names if _searchable(self.model, name)]

    def changelist_view(self, request, extra_context=None):
        problem = odd_filter(self.model, request.GET)
        if problem is None:
            try:
                return super().changelist_view(request, extra_context)
            except (ValueError, OverflowError, ValidationError, FieldError) as error:
                if not request.GET:
                    raise  # not a filter's fault: no list to come back to
                logger.warning("Back-office list %s refused its filters: %r", request.path, error)
                problem = f"That filter cannot be applied ({error}); it was not."
        messages.warning(request, problem)
        return HttpResponseRedirect(request.path)

"""Paystack's offset pagination (`perPage`, `page`, `meta`) and `from` / `to` windows.

Every list endpoint answers newest first. `meta` is {total, skipped, perPage, page, pageCount}
(PAYSTACK_API.md section 1); a page past the end is an empty `data` with the same meta.
"""

from datetime import UTC, datetime, time, timedelta

from ..web import validation_error

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100


def page_params(query, default_per_page=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE):
    try:
        per_page = min(int(query.get("perPage") or default_per_page), maximum)
        page = max(int(query.get("page") or 1), 1)
    except ValueError:
        raise validation_error("Invalid pagination parameters", "invalid_params")
    return max(per_page, 1), page


def paginate(items, query, default_per_page=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE):
    """(page of items, meta) in Paystack's offset pagination."""
    per_page, page = page_params(query, default_per_page, maximum)
    skipped = (page - 1) * per_page
    total = len(items)
    meta = {
        "total": total,
        "skipped": skipped,
        "perPage": per_page,
        "page": page,
        "pageCount": max((total + per_page - 1) // per_page, 1),
    }
    return items[skipped : skipped + per_page], meta


def parse_moment(value, *, name, end_of_day=False):
    """A `from`/`to` value as a Unix timestamp: an ISO-8601 date-time (naive means UTC) or a
    date; a bare date in `to` means the end of that day, so `from=D&to=D` is all of day D."""
    text = str(value).strip()
    try:
        if len(text) == 10:
            day = datetime.fromisoformat(text).date()
            moment = datetime.combine(day, time.min, UTC)
            if end_of_day:
                moment += timedelta(days=1) - timedelta(microseconds=1)
            return moment.timestamp()
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise validation_error(
            f"Invalid {name} date",
            "invalid_params",
            "Send dates as ISO-8601, e.g. 2026-12-01 or 2026-12-01T09:15:02.000Z",
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def time_window(query):
    """(start, end) Unix timestamps from `from` / `to` (None where absent), both inclusive."""
    start = query.get("from")
    end = query.get("to")
    return (
        parse_moment(start, name="from") if start else None,
        parse_moment(end, name="to", end_of_day=True) if end else None,
    )


def in_window(items, query, key="created_at"):
    """The items whose `key` timestamp lies in the query's from/to window."""
    start, end = time_window(query)
    return [
        item
        for item in items
        if (start is None or item[key] >= start) and (end is None or item[key] <= end)
    ]

"""`{% bounded_date_hierarchy cl %}`: the admin's date drill-down (year, month, day) without
its `SELECT DISTINCT` over every row of the list.

Django's own tag asks the database which years, months and days have rows: on a table of a
million transactions that reads the whole table on every list view. Here the choices are the
calendar from the list's first row (the first entry of the primary key index, which grows
with time) to today, and choosing one filters `created_at` by a range, which Django's
changelist already does and an index answers. A month or day with no rows shows an empty list.
"""

import calendar
import datetime as dt

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def _ends(cl) -> tuple[dt.date, dt.date] | None:
    """The local date of the whole list's first row (the primary key index's first entry,
    ids grow with time) and today. Never the filtered list's own ends: its oldest row along
    the primary key can lie past most of the table."""
    first = cl.root_queryset.order_by("pk").values_list(cl.date_hierarchy, flat=True).first()
    if first is None:
        return None
    today = timezone.localdate()
    return min(timezone.localdate(first), today), today


def _months(year: int, ends) -> range:
    first, last = ends
    start = first.month if year == first.year else 1
    stop = last.month if year == last.year else 12
    return range(start, stop + 1)


def _days(year: int, month: int, ends) -> range:
    first, last = ends
    start = first.day if (year, month) == (first.year, first.month) else 1
    if (year, month) == (last.year, last.month):
        stop = last.day
    else:
        stop = calendar.monthrange(year, month)[1]
    return range(start, stop + 1)


def _number(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def bounded_date_hierarchy(cl):
    if not cl.date_hierarchy:
        return {"show": False}
    field = cl.date_hierarchy
    names = {part: f"{field}__{part}" for part in ("year", "month", "day")}
    year, month, day = (_number(cl.params.get(names[part])) for part in ("year", "month", "day"))

    def link(filters):
        return cl.get_query_string(filters, [f"{field}__"])

    if year and month and day:
        moment = dt.date(year, month, day)
        return {
            "show": True,
            "back": {
                "link": link({names["year"]: year, names["month"]: month}),
                "title": capfirst(formats.date_format(moment, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(moment, "MONTH_DAY_FORMAT"))}],
        }
    ends = _ends(cl)
    if ends is None:
        return {"show": False}
    if year and month:
        return {
            "show": True,
            "back": {"link": link({names["year"]: year}), "title": str(year)},
            "choices": [
                {
                    "link": link({names["year"]: year, names["month"]: month, names["day"]: d}),
                    "title": capfirst(
                        formats.date_format(dt.date(year, month, d), "MONTH_DAY_FORMAT")
                    ),
                }
                for d in _days(year, month, ends)
            ],
        }
    if year:
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({names["year"]: year, names["month"]: m}),
                    "title": capfirst(
                        formats.date_format(dt.date(year, m, 1), "YEAR_MONTH_FORMAT")
                    ),
                }
                for m in _months(year, ends)
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({names["year"]: str(y)}), "title": str(y)}
            for y in range(ends[0].year, ends[1].year + 1)
        ],
    }


@register.tag(name="bounded_date_hierarchy")
def bounded_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=bounded_date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )


@register.tag(name="backoffice_result_list")
def backoffice_result_list_tag(parser, token):
    """Django's `{% result_list cl %}`, its rows built once per column (admin/list_rows.py)."""
    from wallet.admin.list_rows import result_list

    return InclusionAdminNode(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )

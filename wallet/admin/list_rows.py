"""What each row of a back-office list costs, kept small (bench/backoffice_lists.py measures it).

A list of 50 rows calls every column 50 times: the admin's per-row work (a form widget rendered
through the template engine for each row's checkbox, a full `reverse()` for each link, an
exception raised per cell to find the empty value) was most of a list page's CPU. The same HTML
comes out; it is only made once per list instead of once per row or per cell.
"""

import datetime

from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_list import _coerce_field_name
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Stands for the row's id while a URL is reversed once; then each row puts its own id in.
_ID = "8008135700913"
_URLS: dict[tuple, tuple[str, str]] = {}
_NO_CHOICE = object()


def url_with_id(name: str, pk) -> str:
    """`reverse(name, args=[pk])` for a URL whose one argument is an id, reversed once per
    URL name (and script prefix and URLconf) rather than once per row."""
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _URLS.get(key)
    if parts is None:
        head, found, tail = reverse(name, args=[_ID]).rpartition(f"/{_ID}/")
        if not found:  # not an /<id>/ URL after all: no shortcut
            return reverse(name, args=[pk])
        parts = _URLS[key] = (f"{head}/", f"/{tail}")
    text = str(pk)
    if not (text.isascii() and text.isdigit()):  # an id the URL would quote: reverse() does
        return reverse(name, args=[pk])
    return f"{parts[0]}{text}{parts[1]}"


class BackOfficeChangeList(ChangeList):
    """Each row's link to its own page without a full `reverse()` per row; and the columns the
    ModelAdmin names in `list_defer` left unread (a list never shows them)."""

    def apply_select_related(self, qs):
        qs = super().apply_select_related(qs)
        deferred = getattr(type(self.model_admin), "list_defer", ())
        return qs.defer(*deferred) if deferred else qs

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        opts = self.opts
        return url_with_id(
            f"{self.model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_change", pk
        )


class CheapRows:
    """Mixed into the back office's ModelAdmins (base.BackOfficeAdmin)."""

    def get_changelist(self, request, **kwargs):
        return BackOfficeChangeList

    def get_empty_value_display(self):
        # Django finds this with try/except AttributeError on the instance; ReadOnlyAdmin's
        # __getattr__ makes that a Python call and an exception for every cell of the list.
        value = getattr(type(self), "empty_value_display", None)
        value = value if value is not None else self.admin_site.empty_value_display
        return mark_safe(value)  # noqa: S308 - as Django's own: a setting, never a visitor's text

    def action_checkbox(self, obj):
        """The row's checkbox, as ModelAdmin.action_checkbox's CheckboxInput renders it."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class _Column:
    """One column of a list, with what does not change from row to row decided once
    (Django's items_for_result decides it again for every cell)."""

    def __init__(self, cl, index: int, name, link: bool, tag: str):
        admin = cl.model_admin
        self.name, self.link, self.tag = name, link, tag
        self.empty = admin.get_empty_value_display()
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.field = self.getter = self.attr = None
        try:
            self.field = _get_non_gfk_field(cl.model._meta, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                self.getter = self.attr = name
            elif hasattr(admin, name) and name != "__str__":
                self.getter = self.attr = getattr(admin, name)
        field = self.field
        self.plain = field is None or field.auto_created
        self.related = not self.plain and isinstance(field.remote_field, models.ManyToOneRel)
        self.nowrap = not self.plain and isinstance(
            field, models.DateField | models.TimeField | models.ForeignKey
        )
        # display_for_field's first branch, its dict built once (flatchoices is recomputed
        # on every read); list-like choices that cannot key a dict are left to it.
        self.choices = None
        if not self.plain and not self.related and getattr(field, "flatchoices", None):
            try:
                self.choices = dict(field.flatchoices)
            except TypeError:
                pass

    def value(self, cl, result):
        """(value, attr), as lookup_field gives them; raises ObjectDoesNotExist like it."""
        if self.field is not None:
            return getattr(result, self.name), None
        if self.getter is not None:
            return self.getter(result), self.attr
        _, attr, value = lookup_field(self.name, result, cl.model_admin)
        return value, attr

    def shown(self, cl, result) -> tuple[object, list[str]]:
        """What the cell shows and its classes (items_for_result's branches, in its order)."""
        try:
            value, attr = self.value(cl, result)
        except ObjectDoesNotExist:
            return self.empty, self.classes
        empty = getattr(attr, "empty_value_display", self.empty)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if self.plain:
            classes = ["action-checkbox"] if self.name == "action_checkbox" else self.classes
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            if isinstance(value, datetime.date | datetime.time):
                classes = [*classes, "nowrap"]
            return display_for_value(value, empty, boolean), classes
        if self.related:
            shown = getattr(result, self.field.name)
            shown = empty if shown is None else shown
        else:
            shown = self.choice(value, empty)
            if shown is _NO_CHOICE:
                shown = display_for_field(value, self.field, empty, avoid_link=self.link)
        return shown, [*self.classes, "nowrap"] if self.nowrap else self.classes

    def choice(self, value, empty):
        if self.choices is None:
            return _NO_CHOICE
        try:
            return self.choices.get(value, empty)
        except TypeError:  # a value that cannot key a dict: display_for_field's own way
            return _NO_CHOICE

    def cell(self, cl, result) -> str:
        shown, classes = self.shown(cl, result)
        row_class = f' class="{" ".join(classes)}"'
        if not self.link:
            return f"<td{row_class}>{conditional_escape(shown)}</td>"
        try:
            url = cl.url_for_result(result)
        except NoReverseMatch:
            inner = conditional_escape(shown)
        else:
            url = add_preserved_filters(
                {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
            )
            inner = f'<a href="{conditional_escape(url)}">{conditional_escape(shown)}</a>'
        return f"<{self.tag}{row_class}>{inner}</{self.tag}>"


def _columns(cl) -> list[_Column]:
    def link_in_col(is_first, name):
        if cl.list_display_links is None:
            return False
        if is_first and not cl.list_display_links:
            return True
        return name in cl.list_display_links

    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        link = link_in_col(first, name)
        columns.append(_Column(cl, index, name, link, "th" if link and first else "td"))
        first = first and not link
    return columns


def results(cl):
    """Django's `results(cl)` for a read-only list: each row as one piece of HTML, the same
    as Django's cells joined. A list with editable rows or in a popup is left to Django."""
    if cl.formset or cl.is_popup:
        yield from admin_list.results(cl)
        return
    columns = _columns(cl)
    for result in cl.result_list:
        row = "".join([column.cell(cl, result) for column in columns])
        # Every piece of every cell went through conditional_escape (Column.cell).
        yield admin_list.ResultList(None, [mark_safe(row)])  # noqa: S308


def result_list(cl) -> dict:
    """The context of `admin/change_list_results.html`, as Django's `result_list` tag makes it."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(results(cl)),
    }

"""What the walk of the back office needs: every URL of the site generated from its URL tree
(a page added later joins by itself), a plausible form for each, and a snapshot of every table.

`back_office_urls(world)` turns each pattern into concrete paths: an object's pages use a row of
the pattern's model, history pages one of its versions, the action pages one per StaffAction.
"""

import re

from django.contrib import admin
from django.db import connection, models
from django.forms.models import _get_foreign_key
from django.urls import URLResolver

from wallet.services.backoffice.catalogue import ACTIONS

# Tables that every request writes to by design (the session, allauth's session list).
SESSION_TABLES = {"django_session", "usersessions_usersession"}

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<(\w+)>)?[^)]*\)")


def _models_by_prefix() -> dict:
    return {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}


def _walk(patterns, prefix="", model=None, by_prefix=None):
    by_prefix = by_prefix if by_prefix is not None else _models_by_prefix()
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            sub = by_prefix.get(route, model)
            yield from _walk(pattern.url_patterns, prefix + route, sub, by_prefix)
        else:
            yield prefix + route, pattern.name, model


def admin_patterns() -> list:
    """(route, name, model) for every pattern under /admin/, however deeply included."""
    return list(_walk(admin.site.get_urls()))


def row_of(model):
    return model._default_manager.order_by("pk").first() if model is not None else None


def history_id_of(obj):
    history = getattr(type(obj), "history", None)
    if obj is None or history is None:
        return None
    key = {obj._meta.pk.attname: obj.pk}
    version = history.filter(**key).order_by("-history_id").first()
    if version is None:
        obj.save()  # simple_history records a version on save
        version = history.filter(**key).order_by("-history_id").first()
    return version.history_id


def _fill_one(route: str, values: dict) -> str:
    route = route.replace("^", "").replace("$", "")
    route = CONVERTER.sub(lambda m: str(values.get(m.group(2), "1")), route)
    groups = iter(values.get("_groups", []))
    route = REGEX_GROUP.sub(lambda m: str(values.get(m.group(1)) or next(groups, "1")), route)
    return "/admin/" + route


def back_office_urls(world) -> list:
    """(path, name, model) for every back-office page, with real ids where there are any."""
    urls = []
    for route, name, model in admin_patterns():
        if name == "action":
            for action_name, action in ACTIONS.items():
                # A new action joins by itself: any row of its model when the world has none.
                target = world["targets"].get(action_name) or row_of(action.model)
                if (target is None) != (action.model is None) or "<int:pk>" in route and (
                    target is None
                ):  # fmt: skip
                    continue
                values = {"name": action_name, "pk": getattr(target, "pk", "")}
                urls.append((_fill_one(route, values), name, action_name))
            continue
        obj = row_of(model)
        values = {
            "object_id": getattr(obj, "pk", 1),
            "id": world["customer"].pk,
            "user_id": world["customer"].pk,
            "pk": world["approval"].pk,
            "app_label": "wallet",
            "url": "nothing-here/",
            "content_type_id": world["content_type_id"],
            "_groups": [getattr(obj, "pk", 1), history_id_of(obj) or 1],
        }
        urls.append((_fill_one(route, values), name, model))
    return urls


STAFF_FORM = {
    "reason": "walking every page", "note": "walking every page", "decision": "approve",
    "amount": "1.00", "direction": "credit", "account": "platform", "tier": "2",
    "otp": "123456", "post": "yes", "_save": "Save", "index": "0",
    "action": "delete_selected", "roles": "Finance", "is_staff": "yes", "is_superuser": "yes",
    "grant": "wallet.adjust_balance", "revoke": "", "flat": "777.00", "time_of_day": "10:00",
    "schedule_type": "daily", "amount_mode": "all",
}  # fmt: skip


def plausible_form(model, obj) -> dict:
    """What someone trying to write through a model's pages would send: its fields with money
    at ₦777, every flag on, every permission and group chosen, the inline forms empty."""
    data = dict(STAFF_FORM)
    if obj is None:
        return data
    data["_selected_action"] = str(obj.pk)
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if isinstance(field, models.DecimalField):
            data[field.name] = "777.00"
        elif isinstance(field, models.BooleanField):
            data[field.name] = "on"
        elif isinstance(field, models.DateTimeField) and value is not None:
            data[f"{field.name}_0"], data[f"{field.name}_1"] = f"{value:%Y-%m-%d}", "00:00:00"
        elif value is not None and not isinstance(field, models.JSONField):
            data[field.name] = str(value)
    for field in obj._meta.many_to_many:
        every = field.related_model.objects.values_list("pk", flat=True)
        data[field.name] = [str(pk) for pk in every]
    model_admin = admin.site._registry.get(model)
    for inline in getattr(model_admin, "inlines", []):
        fk = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        prefix = fk.remote_field.get_accessor_name(model=False)
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.setdefault("password1", "walk-Pa55word!")
    data.setdefault("password2", "walk-Pa55word!")
    return data


def table_names() -> list:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor, include_views=False)
    return sorted(set(names) - SESSION_TABLES)


def snapshot(tables) -> dict:
    """Every table's rows as one digest each (one query for all of them)."""
    digest = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
    parts = [f"SELECT %s, {digest} FROM {connection.ops.quote_name(n)} t" for n in tables]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), tables)
        return dict(cursor.fetchall())

"""The one door for staff writes, by construction.

Every URL of the back office is wrapped here (`guard_urls`, called by the site on its whole URL
tree, so a page added later or by a third-party integration joins by itself): a request that
could write (POST, PUT, PATCH, DELETE) reaches only a view marked `@staff_door` (the confirmation
page of a StaffAction, deciding a request, an access-change request, sign-in and sign-out).
Anything else answers 403 to everyone, the superuser included, and the attempt is audited.

Every ModelAdmin registered on the site is also made read-only (`read_only`): no add, change or
delete permission and no list action but a StaffAction's confirmation link, so the pages show
data and never offer a form that would save; and its list reads odd filter values without an
error page (filter_values.py).
"""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_MESSAGE = (
    "The back office is read-only: every change goes through an action's confirmation page "
    "(with a reason, checked and audited)."
)


def staff_door(view):
    """Mark `view` as one of the back office's write doors (a StaffAction page and its kin)."""
    view.staff_door = True
    return view


def is_door(view) -> bool:
    return getattr(view, "staff_door", False) is True


def chooses_a_staff_action(request) -> bool:
    """A list's POST that only picks a StaffAction for a row: it redirects to the action's
    confirmation page and saves nothing (ReadOnlyModelAdmin keeps no other list action)."""
    from wallet.services.backoffice.catalogue import ACTIONS

    return request.POST.get("action") in ACTIONS and "_save" not in request.POST


def read_only_unless_door(view, *, is_list=False):
    """`view` as it is for reads; a write to it is refused (403) and audited unless it is a door
    (or, on a list, the choice of a staff action for a row)."""
    if is_door(view) or getattr(view, "door_guarded", False):
        return view

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method not in SAFE_METHODS and not (is_list and chooses_a_staff_action(request)):
            _audit_refused_write(request)
            raise PermissionDenied(READ_ONLY_MESSAGE)
        return view(request, *args, **kwargs)

    guarded.door_guarded = True
    return guarded


def guard_urls(patterns: list) -> list:
    """Wrap the view of every pattern in `patterns`, however deeply included."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            is_list = (pattern.name or "").endswith("_changelist")
            pattern.callback = read_only_unless_door(pattern.callback, is_list=is_list)
        elif isinstance(pattern, URLResolver):
            guard_urls(pattern.url_patterns)
    return patterns


def _audit_refused_write(request) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        # A visitor or a customer never reaches the back office: refused, not worth a row
        # each (nor a way to fill the audit log).
        return
    from wallet.client_address import client_address
    from wallet.services.backoffice import audit

    audit.record_refused_write(
        actor=user,
        method=request.method,
        path=request.path[:255],
        ip_address=client_address(request),
    )


class ReadOnlyModelAdmin:
    """Mixed into every ModelAdmin the site registers: it may show, it never saves."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # Only the links to a StaffAction's confirmation page (base.confirm) stay.
        return {
            name: value
            for name, value in super().get_actions(request).items()
            if hasattr(value[0], "staff_action")
        }


def read_only(admin_class):
    """`admin_class` (or the default ModelAdmin) with ReadOnlyModelAdmin in front."""
    admin_class = admin_class or admin.ModelAdmin
    if issubclass(admin_class, ReadOnlyModelAdmin):
        return admin_class
    from wallet.admin.filter_values import SaneFilterValues

    attrs = {"__module__": admin_class.__module__}
    bases = (ReadOnlyModelAdmin, SaneFilterValues, admin_class)
    return type(f"ReadOnly{admin_class.__name__}", bases, attrs)

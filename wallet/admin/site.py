"""The back office's own AdminSite: the dashboard as home, an MFA gate in front of every page,
the custom pages the admin has none for, and one door for every staff write (door.py): every
URL of the site is read-only unless it is a StaffAction's page, every ModelAdmin read-only."""

from functools import wraps
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse

from wallet.admin.app_list import MemoisedAppList
from wallet.admin.door import guard_urls, read_only, staff_door
from wallet.admin.freshness import idle_too_long


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class BackOfficeSite(MemoisedAppList, admin.AdminSite):
    site_header = "Paystack Wallet · back office"
    site_title = "Back office"
    index_title = "Dashboard"
    index_template = "backoffice/dashboard.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Money rows and users with history are never deleted; no bulk delete is offered.
        self.disable_action("delete_selected")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def gate(request, *args, **kwargs):
            user = request.user
            if user.is_authenticated and not (user.is_active and user.is_staff):
                raise PermissionDenied("The back office is for staff.")
            if user.is_authenticated and not has_totp(user):
                activate = reverse("mfa_activate_totp")
                return redirect(f"{activate}?{urlencode({'next': request.get_full_path()})}")
            if user.is_authenticated and idle_too_long(request):
                login = reverse("account_login")
                return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
            return inner(request, *args, **kwargs)

        return gate

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin, ours or a third party's, registered now or later, is read-only."""
        super().register(model_or_iterable, read_only(admin_class), **options)

    @staff_door
    def logout(self, request, extra_context=None):
        return super().logout(request, extra_context)

    @staff_door
    def login(self, request, extra_context=None):
        """Staff sign in like everyone else, through allauth (password, then TOTP)."""
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")

    def index(self, request, extra_context=None):
        from wallet.admin import views

        return super().index(request, {**views.dashboard_context(request), **(extra_context or {})})

    def get_urls(self):
        from wallet.admin import operations, views

        wrap = self.admin_view
        # guard_urls: the whole tree, so that no page (ours, a ModelAdmin's, a third party's)
        # saves anything unless it is a door (views marked @staff_door).
        return guard_urls(
            [
                path("search/", wrap(operations.search), name="search"),
                path("timeline/<int:tx_id>/", wrap(operations.money_timeline), name="timeline"),
                path(
                    "export/<str:app_label>/<str:model_name>.csv",
                    wrap(operations.export_list),
                    name="export",
                ),
                path("do-many/<str:name>/", wrap(operations.bulk_action), name="bulk"),
                path("customer/<int:user_id>/", wrap(views.customer_page), name="customer"),
                path("do/<str:name>/", wrap(views.confirm_action), name="action"),
                path("do/<str:name>/<int:pk>/", wrap(views.confirm_action), name="action"),
                path("requests/<int:pk>/", wrap(views.decide_request), name="decide"),
                path("otp-queue/", wrap(views.otp_queue), name="otp_queue"),
                path("audit.csv", wrap(views.audit_csv), name="audit_csv"),
                *super().get_urls(),
            ]
        )


_SITE = None


def back_office_site() -> BackOfficeSite:
    """The one site (BackOfficeAdminConfig.default_site). A factory, not the class: importing
    this package registers ModelAdmins, which resolves `admin.site` while this very import is
    still resolving it; both resolutions must get the same site."""
    global _SITE
    if _SITE is None:
        _SITE = BackOfficeSite()
    return _SITE

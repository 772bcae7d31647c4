"""Back-office lists cost little CPU per page (bench/backoffice_lists.py measures it) and still
show what Django's admin shows: the rows, the sidebar, the checkboxes and links are the same
HTML as Django's own code makes; and the three busiest lists have a query budget that does not
grow with the rows shown."""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import ChangeList
from django.template.loader import get_template
from django.urls import resolve, reverse, set_script_prefix

from wallet.admin import list_rows
from wallet.models import Payout, Transaction, WebhookEvent
from wallet.services.wallet_service import WalletService
from wallet.templatetags.backoffice_sidebar import sidebar_app_list

pytestmark = pytest.mark.django_db

LISTS = {
    "/admin/wallet/transaction/": Transaction,
    "/admin/wallet/payout/": Payout,
    "/admin/wallet/webhookevent/": WebhookEvent,
}
# Session, user, TOTP check, the capped count and the rows with their related rows joined;
# then transactions read the date drill-down's first row and webhook events the distinct event
# names of their "event" filter. The session is not saved (freshness.SEEN_EVERY_SECONDS).
BUDGETS = {
    "/admin/wallet/transaction/": 6,
    "/admin/wallet/payout/": 5,
    "/admin/wallet/webhookevent/": 6,
}


@pytest.fixture
def rows(funded_wallet, add_account, transfer, sandbox):
    """A withdrawal (its payout), transfers, and webhook events with and without a customer
    (one whose name needs escaping)."""

    def make(n=1):
        account = funded_wallet.bank_accounts.first() or add_account(funded_wallet)
        for index in range(n):
            WalletService().withdraw_to_bank(funded_wallet, Decimal("30"), account)
            transfer("12.00")
            number = WebhookEvent.objects.count()
            WebhookEvent.objects.create(
                event_key=f"charge.success:list{number}:success", event="charge.success",
                status=WebhookEvent.Status.FAILED, reference=f"list{number}",
                customer=funded_wallet.user, last_error="Boom\nTraceback",
            )  # fmt: skip
            WebhookEvent.objects.create(event='<b>"odd"</b> & co', reference=f"o{number}")

    return make


def _changelist(model, user, rf, query=None):
    path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    request = rf.get(path, query or {})
    request.user, request.resolver_match = user, resolve(path)
    changelist = admin.site._registry[model].get_changelist_instance(request)
    changelist.formset = None  # as changelist_view leaves it on a list with nothing editable
    return changelist


def test_every_list_builds_the_rows_django_builds(rows, make_staff, rf):
    rows(2)
    shown = 0
    for user in (make_staff(superuser=True), make_staff("Support")):
        for model in admin.site._registry:
            for query in ({}, {"o": "1"}):  # "o": the row links keep the list's filters
                changelist = _changelist(model, user, rf, query)
                ours = ["".join(row) for row in list_rows.results(changelist)]
                django = ["".join(row) for row in admin_list.results(changelist)]
                assert ours == django, model
                shown += len(ours)
    assert shown > 40
    assert all(_changelist(model, user, rf).result_list for model in LISTS.values())


def test_row_links_and_checkboxes_are_the_ones_django_makes(rows, make_staff, rf):
    rows()
    user = make_staff(superuser=True)
    for model in LISTS.values():
        changelist = _changelist(model, user, rf)
        model_admin = changelist.model_admin
        assert changelist.result_list
        for row in changelist.result_list:
            assert changelist.url_for_result(row) == ChangeList.url_for_result(changelist, row)
            assert model_admin.action_checkbox(row) == ModelAdmin.action_checkbox(model_admin, row)
    odd = WebhookEvent.objects.get(reference__startswith="o")
    checkbox = admin.site._registry[WebhookEvent].action_checkbox(odd)
    assert "&lt;b&gt;&quot;odd&quot;&lt;/b&gt; &amp; co" in checkbox


def test_links_by_id_are_the_urls_reverse_gives_under_any_script_prefix():
    for prefix in ("/", "/wallet-behind-a-proxy/"):
        set_script_prefix(prefix)
        try:
            for name in ("admin:customer", "admin:timeline", "admin:wallet_payout_change"):
                for pk in (1, 42, 9_007_199_254_740_993):
                    assert list_rows.url_with_id(name, pk) == reverse(name, args=[pk])
        finally:
            set_script_prefix("/")


def _squeezed(html: str) -> str:
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


def test_the_sidebar_is_the_html_of_djangos_app_list(make_staff, rf):
    app_list_html = get_template("admin/app_list.html")
    for user in (make_staff(superuser=True), make_staff("Finance"), make_staff("Support")):
        for path in ("/admin/wallet/transaction/", "/admin/wallet/payout/42/change/", "/admin/"):
            request = rf.get(path)
            request.user = user
            apps = admin.site.get_app_list(request)
            django = app_list_html.render(
                {"app_list": apps, "show_changelinks": False, "request": request}
            )
            ours = sidebar_app_list({"request": request}, apps)
            assert _squeezed(ours) == _squeezed(django), (user, path)
            assert "current-model" in ours or path == "/admin/"
    request = rf.get("/admin/")
    assert _squeezed(sidebar_app_list({"request": request}, [])) == _squeezed(
        app_list_html.render({"app_list": [], "request": request})
    )


def test_a_permission_given_or_taken_shows_in_the_sidebar_on_the_next_page(make_staff, rf):
    from django.contrib.auth.models import Permission

    from accounts.models import User

    def sidebar_for(user):
        request = rf.get("/admin/")
        request.user = User.objects.get(pk=user.pk)  # each request loads the user afresh
        return str(sidebar_app_list({"request": request}, admin.site.get_app_list(request)))

    support = make_staff("Support")
    before = sidebar_for(support)
    hidden = next(
        model for model in admin.site._registry
        if f"model-{model._meta.model_name}\"" not in before
    )  # fmt: skip
    view = Permission.objects.get(
        content_type__app_label=hidden._meta.app_label, codename=f"view_{hidden._meta.model_name}"
    )
    support.user_permissions.add(view)
    assert f'model-{hidden._meta.model_name}"' in sidebar_for(support)
    support.user_permissions.remove(view)
    assert sidebar_for(support) == before


@pytest.mark.parametrize("path", list(LISTS))
def test_each_busy_list_has_a_query_budget_that_does_not_grow_with_its_rows(
    path, rows, staff_client_for, django_assert_num_queries
):
    rows()
    staff = staff_client_for(superuser=True)
    staff.get(path)  # the first request of a session may note more (devices, sign-in records)
    with django_assert_num_queries(BUDGETS[path]):
        assert staff.get(path).status_code == 200
    rows(5)
    with django_assert_num_queries(BUDGETS[path]):
        page = staff.get(path)
    assert page.content.decode().count('class="action-select"') >= 6


def test_a_page_within_a_minute_of_the_noted_one_leaves_the_session_unsaved(staff_client_for):
    import time

    from wallet.admin.freshness import SEEN_KEY

    staff = staff_client_for("Support")

    def seen_ago(seconds):
        session = staff.session
        session[SEEN_KEY] = noted = time.time() - seconds
        session.save()
        return noted

    noted = seen_ago(50)
    staff.get("/admin/wallet/payout/")
    assert staff.session[SEEN_KEY] == noted  # idle time still counts from the noted request
    noted = seen_ago(61)
    staff.get("/admin/wallet/payout/")
    assert time.time() - staff.session[SEEN_KEY] < 10  # noted again

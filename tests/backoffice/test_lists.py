"""Every back-office list has search and filters, shows money as naira, never counts the whole
table, and no object page shows a bare decimal amount."""

import pytest
from django.contrib import admin

pytestmark = pytest.mark.django_db


def test_every_list_of_ours_has_search_and_filters():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("wallet", "accounts", "auth"):
            continue  # the libraries' own screens (django-q2 tasks, allauth e-mails, MFA)
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


def test_lists_do_not_count_the_whole_table(superuser_client, funded_wallet):
    from wallet.admin.base import COUNT_CAP, CappedPaginator
    from wallet.models import Transaction

    assert CappedPaginator(Transaction.objects.all(), 50).count == 1
    assert COUNT_CAP == 1_000
    page = superuser_client.get("/admin/wallet/transaction/?q=zzz").content.decode()
    assert " total)" not in page  # show_full_result_count = False: no second COUNT(*)


def test_transactions_are_found_by_a_reference_fragment_in_any_case(superuser_client, transfer):
    sent, other = transfer("10.00"), transfer("11.00")
    fragment = sent.reference[-10:].swapcase()
    found = superuser_client.get(f"/admin/wallet/transaction/?q={fragment}").content.decode()
    assert sent.reference in found and other.reference not in found
    short = superuser_client.get(f"/admin/wallet/transaction/?q={sent.reference[-2:]}")
    assert sent.reference not in short.content.decode()  # under 3 characters: whole only


def test_money_reads_in_naira_on_lists_and_object_pages(superuser_client, transfer):
    sent = transfer("2345.50")
    listing = superuser_client.get("/admin/wallet/transaction/").content.decode()
    assert "₦2,345.50" in listing and ">2345.50<" not in listing
    detail = superuser_client.get(f"/admin/wallet/transaction/{sent.pk}/change/").content.decode()
    assert '<div class="readonly">₦2,345.50</div>' in detail
    assert '<div class="readonly">2345.50</div>' not in detail


def test_the_date_drill_down_goes_year_month_day_without_distinct_dates(superuser_client, transfer):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wallet.models import Transaction

    march = timezone.make_aware(dt.datetime(2025, 3, 14, 0, 30))  # 00:30 in Lagos
    old = transfer("11.00")
    Transaction.objects.update(created_at=march)  # the funding and this transfer: ids before
    recent = transfer("12.00")

    with CaptureQueriesContext(connection) as queries:
        years = superuser_client.get("/admin/wallet/transaction/").content.decode()
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "DISTINCT" not in sql and "DATE_TRUNC" not in sql
    assert "created_at__year=2025" in years and "created_at__year=2026" in years

    months = superuser_client.get("/admin/wallet/transaction/?created_at__year=2025").content
    # The calendar from the first row (14 March 2025) on, without asking which have rows.
    assert b"created_at__month=3" in months and b"created_at__month=12" in months
    assert b"created_at__month=2" not in months
    days = superuser_client.get(
        "/admin/wallet/transaction/?created_at__year=2025&created_at__month=3"
    ).content
    assert b"created_at__day=14" in days and b"created_at__day=31" in days
    assert b"created_at__day=13" not in days

    day = superuser_client.get(
        "/admin/wallet/transaction/?created_at__year=2025&created_at__month=3&created_at__day=14"
    ).content.decode()
    assert old.reference in day and recent.reference not in day  # Lagos's 14 March, not UTC's

    nonsense = superuser_client.get("/admin/wallet/transaction/?created_at__year=٢٠٢٥")
    assert nonsense.status_code in (200, 302) and recent.reference not in nonsense.content.decode()

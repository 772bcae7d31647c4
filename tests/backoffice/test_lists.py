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


def test_transactions_are_found_by_their_exact_reference(superuser_client, transfer):
    sent = transfer("10.00")
    found = superuser_client.get(f"/admin/wallet/transaction/?q={sent.reference}").content.decode()
    assert sent.reference in found and f"{sent.reference}-in" not in found
    prefix = superuser_client.get(f"/admin/wallet/transaction/?q={sent.reference[:8]}")
    assert sent.reference not in prefix.content.decode()


def test_money_reads_in_naira_on_lists_and_object_pages(superuser_client, transfer):
    sent = transfer("2345.50")
    listing = superuser_client.get("/admin/wallet/transaction/").content.decode()
    assert "₦2,345.50" in listing and ">2345.50<" not in listing
    detail = superuser_client.get(f"/admin/wallet/transaction/{sent.pk}/change/").content.decode()
    assert '<div class="readonly">₦2,345.50</div>' in detail
    assert '<div class="readonly">2345.50</div>' not in detail

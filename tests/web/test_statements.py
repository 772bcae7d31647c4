import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from tests.web.history_data import post_transfers
from wallet import selectors
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


def at(moment):
    """Post through the real services as if at `moment` (auto_now_add reads timezone.now)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_statement_balances_add_up_across_the_period(funded_wallet, other_wallet):
    service = WalletService()
    now = timezone.now()
    with at(now - dt.timedelta(days=10)):
        service.deposit(wallet=funded_wallet, amount=Decimal("500.00"), description="Before")
    with at(now - dt.timedelta(days=3)):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("200")
        )
        service.deposit(wallet=funded_wallet, amount=Decimal("50.00"))
    today = timezone.localdate()

    statement = selectors.statement_for_period(
        wallet=funded_wallet, start=today - dt.timedelta(days=5), end=today - dt.timedelta(days=1)
    )

    assert statement.closing_balance == Decimal("350.00")  # the ₦10,000 came today
    assert statement.money_in == Decimal("50.00") and statement.money_out == Decimal("200.00")
    assert statement.opening_balance == Decimal("500.00")
    assert len(statement.transactions) == 2


def test_statement_downloads_as_a_pdf(client_logged_in, funded_wallet, other_wallet):
    post_transfers(funded_wallet, other_wallet, 3)
    today = timezone.localdate()

    response = client_logged_in.get(f"/wallet/statement/?start={today}&end={today}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-64:]


def test_statement_form_explains_a_bad_range(client_logged_in, wallet):
    form = client_logged_in.get("/wallet/statement/")
    inverted = client_logged_in.get("/wallet/statement/?start=2026-03-10&end=2026-03-01")
    too_long = client_logged_in.get("/wallet/statement/?start=2024-01-01&end=2025-06-01")

    assert form.status_code == 200 and 'placeholder="DD/MM/YYYY"' in form.content.decode()
    assert inverted.status_code == 422
    assert "before the start date" in inverted.content.decode()
    assert "at most 366 days" in too_long.content.decode()


def test_statement_query_count_is_bounded(
    client_logged_in, funded_wallet, other_wallet, django_assert_max_num_queries
):
    post_transfers(funded_wallet, other_wallet, 20)
    today = timezone.localdate()
    with django_assert_max_num_queries(8):
        client_logged_in.get(f"/wallet/statement/?start={today}&end={today}")


def test_the_statement_form_offers_last_month_by_default(client_logged_in, wallet):
    import datetime as dt

    from django.utils import timezone

    from wallet.models import Wallet

    last_day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    opened = timezone.now().replace(day=1) - dt.timedelta(days=40)  # opened before last month
    Wallet.objects.filter(pk=wallet.pk).update(created_at=opened)
    page = client_logged_in.get("/wallet/statement/").content.decode()

    assert f'value="{last_day.replace(day=1):%d/%m/%Y}"' in page  # day first, as in Nigeria
    assert f'value="{last_day:%d/%m/%Y}"' in page


def test_a_wallet_opened_this_month_is_offered_its_own_days_not_an_empty_month(
    client_logged_in, wallet
):
    """Issue 23: last month is empty for a new customer; offer opening day to today."""
    from django.utils import timezone

    opened, today = timezone.localdate(wallet.created_at), timezone.localdate()
    page = client_logged_in.get("/wallet/statement/").content.decode()

    assert f'value="{opened:%d/%m/%Y}"' in page and f'value="{today:%d/%m/%Y}"' in page


def test_statement_dates_are_read_day_first(client_logged_in, wallet):
    day_first = client_logged_in.get("/wallet/statement/?start=01/11/2026&end=30/11/2026")
    month_first = client_logged_in.get("/wallet/statement/?start=11/30/2026&end=11/30/2026")

    assert day_first.status_code == 200 and day_first["Content-Type"] == "application/pdf"
    assert month_first.status_code == 422
    assert "Write the date as DD/MM/YYYY" in month_first.content.decode()

from decimal import Decimal

import pytest

from tests.web.history_data import post_transfers
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


def test_dashboard_shows_balance_wallet_id_and_recent_activity(
    client_logged_in, funded_wallet, other_wallet
):
    post_transfers(funded_wallet, other_wallet, 2, amount="250.00", description="Suya")

    page = client_logged_in.get("/wallet/").content.decode()

    assert "₦9,500.00" in page
    assert f'data-testid="wallet-code">{funded_wallet.public_code}<' in page
    assert f">{funded_wallet.pk}<" not in page
    assert "To Bob Bello" in page and "Suya 1" in page
    assert 'data-testid="balance-chart"' in page


def test_dashboard_of_a_new_wallet_explains_what_to_do_next(client_logged_in, wallet):
    page = client_logged_in.get("/wallet/").content.decode()

    assert "₦0.00" in page
    assert "No transactions yet" in page
    assert "Add money" in page


def test_dashboard_requires_login(client):
    response = client.get("/wallet/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_live_panel_answers_no_content_while_nothing_changed(client_logged_in, funded_wallet):
    headers = {"HX-Request": "true"}
    first = client_logged_in.get("/wallet/?panel=live", headers=headers)
    version = first.content.decode().split("v=", 1)[1].split('"', 1)[0]

    unchanged = client_logged_in.get(f"/wallet/?panel=live&v={version}", headers=headers)
    WalletService().deposit(wallet=funded_wallet, amount=Decimal("5.00"))
    changed = client_logged_in.get(f"/wallet/?panel=live&v={version}", headers=headers)

    assert first.status_code == 200 and "<html" not in first.content.decode()
    assert unchanged.status_code == 204
    assert changed.status_code == 200 and "₦10,005.00" in changed.content.decode()


def test_dashboard_query_count_does_not_grow_with_history(
    client_logged_in, funded_wallet, other_wallet, django_assert_max_num_queries
):
    post_transfers(funded_wallet, other_wallet, 3)
    # With the bell's count and the account number (issue 23), without the saved methods
    # (they load when scrolled into view, issue 27).
    with django_assert_max_num_queries(12) as few:
        client_logged_in.get("/wallet/")
    post_transfers(funded_wallet, other_wallet, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client_logged_in.get("/wallet/")

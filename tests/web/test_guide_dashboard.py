import pytest

from tests.web.history_data import post_transfers

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.guide_dashboard_urls")]


def test_the_guides_dashboard_view_renders_our_dashboard_template(
    client_logged_in, funded_wallet, other_wallet
):
    post_transfers(funded_wallet, other_wallet, 2, amount="300.00", description="Akara")

    response = client_logged_in.get("/guide/dashboard/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "₦9,400.00" in page and "To Bob Bello" in page and "Akara 1" in page

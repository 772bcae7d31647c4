"""The funding pages without a browser: the deposit form, the callback page's three outcomes,
and lookups that start from the user's own wallet."""

from decimal import Decimal

import pytest

from tests.funding.conftest import DECLINED_CARD
from tests.wallet.money import balances
from wallet.models import ChargeAnomaly, Transaction

pytestmark = pytest.mark.django_db


def test_the_deposit_form_sends_the_payer_to_paystack_checkout(client_logged_in, sandbox):
    response = client_logged_in.post(
        "/wallet/deposit/", {"amount": "1,500"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(sandbox.base_url + "/checkout/")
    tx = Transaction.objects.get()
    assert tx.amount == Decimal("1500.00") and tx.status == "pending"


@pytest.mark.parametrize(
    ("amount", "error"), [("0", b"greater than zero"), ("1.005", b"two decimal")]
)
def test_an_invalid_amount_re_renders_the_form_with_422_and_stores_nothing(
    client_logged_in, sandbox, amount, error
):
    response = client_logged_in.post("/wallet/deposit/", {"amount": amount}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422 and error in response.content
    assert b'id="card-form"' in response.content and b"<html" not in response.content
    assert not Transaction.objects.exists()


def test_the_callback_page_shows_success_once_paid(client_logged_in, wallet, paid_charge):
    checkout = paid_charge(wallet, "2500.00")

    page = client_logged_in.get(checkout["result"].redirect_url.replace("http://testserver", ""))

    assert b'data-status="success"' in page.content and b"2,500.00" in page.content
    assert balances(wallet) == [Decimal("2500.00")]


def test_the_callback_page_shows_a_failure_for_a_declined_card(
    client_logged_in, wallet, paid_charge
):
    checkout = paid_charge(wallet, "2500.00", card=DECLINED_CARD)

    page = client_logged_in.get(f"/wallet/deposit/callback/?reference={checkout['reference']}")

    assert b'data-status="failed"' in page.content and b"Declined" in page.content
    assert balances(wallet) == [Decimal("0.00")]


def test_an_unpaid_charge_shows_a_pending_panel_that_polls_itself(
    client_logged_in, wallet, start_charge
):
    checkout = start_charge(wallet, "300.00")
    status_url = f"/wallet/deposit/{checkout['reference']}/status/"

    page = client_logged_in.get(f"/wallet/deposit/callback/?reference={checkout['reference']}")
    fragment = client_logged_in.get(status_url, HTTP_HX_REQUEST="true")

    assert b'data-status="pending"' in page.content and status_url.encode() in page.content
    assert fragment.status_code == 200 and b"<html" not in fragment.content


def test_cancelling_at_checkout_marks_the_deposit_abandoned(
    client_logged_in, wallet, sandbox, start_charge
):
    checkout = start_charge(wallet, "300.00")
    cancelled = sandbox.cancel_checkout(checkout["authorization_url"])

    page = client_logged_in.get(cancelled.redirect_url.replace("http://testserver", ""))

    assert b"Not completed." in page.content and b"nothing was taken" in page.content
    assert Transaction.objects.get().status == "abandoned"


def test_another_users_reference_on_the_callback_page_is_404_and_recorded(
    client, other_user, wallet, paid_charge
):
    checkout = paid_charge(wallet, "900.00")
    client.force_login(other_user)

    page = client.get(f"/wallet/deposit/callback/?reference={checkout['reference']}")

    assert page.status_code == 404 and b"does not belong to your wallet" in page.content
    assert ChargeAnomaly.objects.filter(kind=ChargeAnomaly.Kind.WRONG_WALLET).exists()
    assert balances(wallet) == [Decimal("0.00")]  # nothing credited from someone else's visit


def test_the_funding_pages_render_for_a_new_user(client_logged_in, django_assert_max_num_queries):
    for url in ("/wallet/deposit/", "/wallet/cards/", "/wallet/dedicated-account/"):
        with django_assert_max_num_queries(15):
            assert client_logged_in.get(url).status_code == 200


def test_the_funding_pages_need_a_login(client):
    for url in ("/wallet/deposit/", "/wallet/cards/", "/wallet/dedicated-account/"):
        assert client.get(url).status_code == 302


def test_a_pending_charge_stops_polling_after_a_while(client_logged_in, wallet, start_charge):
    from datetime import timedelta

    from django.utils import timezone

    checkout = start_charge(wallet, "300.00")
    Transaction.objects.update(created_at=timezone.now() - timedelta(hours=1))

    page = client_logged_in.get(f"/wallet/deposit/callback/?reference={checkout['reference']}")

    assert b'data-status="pending"' in page.content and b"/status/" not in page.content
    assert b"credited automatically" in page.content


def test_paystack_down_at_initialize_shows_a_clear_message_and_moves_nothing(
    client_logged_in, wallet, sandbox
):
    sandbox.fault("/transaction/initialize", "500")

    response = client_logged_in.post("/wallet/deposit/", {"amount": "800"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert b"Paystack did not answer. No money was taken" in response.content
    assert balances(wallet) == [Decimal("0.00")]

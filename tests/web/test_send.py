from decimal import Decimal

import pytest

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import FeeRule, Transaction

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def review(client, **fields):
    data = {"step": "review", "recipient": "bob@example.com", "amount": "1500", **fields}
    return client.post("/wallet/send/", data, headers=HTMX)


def send(client, reference="", **fields):
    data = {
        "step": "send",
        "recipient": "bob@example.com",
        "amount": "1500.00",
        "description": "Rent share",
        "reference": reference,
        **fields,
    }
    return client.post("/wallet/send/", data, headers=HTMX)


def test_review_shows_the_recipients_name_and_moves_nothing(
    client_logged_in, funded_wallet, other_wallet
):
    response = review(client_logged_in, description="Rent share")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="recipient-name">Bob B.<' in page
    assert "₦1,500.00" in page and 'name="reference" value="trf-' in page
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_recipient_can_be_named_by_wallet_code_but_never_by_the_sequential_id(
    client_logged_in, funded_wallet, other_wallet
):
    by_code = review(client_logged_in, recipient=other_wallet.public_code)
    by_pk = review(client_logged_in, recipient=str(other_wallet.pk))

    assert 'data-testid="recipient-name">Bob B.<' in by_code.content.decode()
    assert by_pk.status_code == 422 and "No wallet found" in by_pk.content.decode()
    assert "bob@example.com" not in by_pk.content.decode()


def test_recipient_can_be_named_by_handle_in_any_case(
    client_logged_in, funded_wallet, other_wallet
):
    other_wallet.user.handle = "bobby"
    other_wallet.user.save(update_fields=["handle"])

    page = review(client_logged_in, recipient="@BoBBy").content.decode()

    assert 'data-testid="recipient-name">Bob B.<' in page
    assert 'data-testid="recipient-handle">@bobby<' in page


def test_confirmed_send_moves_money_once_and_tells_the_dashboard(
    client_logged_in, funded_wallet, other_wallet
):
    first = send(client_logged_in, reference="trf-20261127-webtest000000001")
    again = send(client_logged_in, reference="trf-20261127-webtest000000001")

    assert first.status_code == 200 and 'data-testid="send-done"' in first.content.decode()
    assert "walletChanged" in first["HX-Trigger"]
    assert again.status_code == 200
    assert balances(funded_wallet, other_wallet) == [Decimal("8500.00"), Decimal("1500.00")]
    assert Transaction.objects.filter(wallet=other_wallet).count() == 1
    assert_ledger_consistent()


def test_send_without_htmx_redirects_to_the_receipt(client_logged_in, funded_wallet, other_wallet):
    response = client_logged_in.post(
        "/wallet/send/",
        {"step": "send", "recipient": "bob@example.com", "amount": "20", "reference": ""},
    )

    sent = Transaction.objects.get(wallet=funded_wallet, transaction_type="transfer")
    assert response.status_code == 302
    assert response["Location"] == f"/wallet/transactions/{sent.pk}/"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"recipient": "nobody@example.com"}, "No wallet found"),
        ({"recipient": "alice@example.com"}, "your own wallet"),
        ({"amount": "-5"}, "greater than zero"),
        ({"amount": "0"}, "greater than zero"),
        ({"amount": "NaN"}, "finite"),
        ({"amount": "1.005"}, "two decimal places"),
        ({"amount": "abc"}, "is not an amount"),
        ({"amount": "99999999999"}, "largest amount"),
    ],
)
def test_bad_input_is_shown_inline_with_what_was_typed_and_moves_nothing(
    client_logged_in, funded_wallet, other_wallet, fields, message
):
    response = send(client_logged_in, **fields)

    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert f'value="{fields.get("recipient", "bob@example.com")}"' in page
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_insufficient_funds_is_explained_and_moves_nothing(
    client_logged_in, funded_wallet, other_wallet
):
    response = send(client_logged_in, amount="10000.01")

    assert response.status_code == 422
    assert "Your balance is ₦10,000.00: not enough" in response.content.decode()
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_locked_wallet_cannot_send(client_logged_in, funded_wallet, other_wallet):
    funded_wallet.lock()

    response = send(client_logged_in)

    assert response.status_code == 422
    assert "locked" in response.content.decode()
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_daily_limit_is_explained_and_moves_nothing(
    client_logged_in, funded_wallet, other_wallet, tier_limits
):
    tier_limits(1, daily_limit=Decimal("1000.00"))

    response = send(client_logged_in)

    assert response.status_code == 422
    assert "daily limit" in response.content.decode()
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_too_many_sends_in_a_minute_are_refused_with_429(
    client_logged_in, funded_wallet, other_wallet, settings
):
    settings.WALLET_TRANSFER_RATE_LIMIT = "2/m"

    statuses = [send(client_logged_in, amount="1").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert balances(funded_wallet, other_wallet) == [Decimal("9998.00"), Decimal("2.00")]


def test_change_goes_back_to_the_form_with_what_was_typed(client_logged_in, funded_wallet):
    response = client_logged_in.post(
        "/wallet/send/",
        {"step": "edit", "recipient": "bob@example.com", "amount": "77.50"},
        headers=HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="77.50"' in page and 'value="bob@example.com"' in page


def test_recent_recipients_offer_one_click_reuse(client_logged_in, funded_wallet, other_wallet):
    send(client_logged_in, amount="5")

    page = client_logged_in.get("/wallet/send/").content.decode()
    code = other_wallet.public_id
    prefilled = client_logged_in.get(f"/wallet/send/?to={code}").content.decode()

    assert f'href="/wallet/send/?to={code}"' in page
    assert f'value="{code}"' in prefilled
    assert f"#{other_wallet.pk}" not in page


def test_recipient_lookup_names_the_person_as_you_type(client_logged_in, wallet, other_wallet):
    found = client_logged_in.get("/wallet/send/recipient/?recipient=BOB@example.com")
    missing = client_logged_in.get("/wallet/send/recipient/?recipient=zed@example.com")

    assert "Bob B." in found.content.decode() and "Bello" not in found.content.decode()
    assert "No wallet found" in missing.content.decode()


def test_recipient_lookup_by_counting_ids_reveals_nobody(client_logged_in, wallet, other_wallet):
    """Security review (issue 13, finding 2): walking ids once harvested every e-mail."""
    other_wallet.user.first_name = other_wallet.user.last_name = ""
    other_wallet.user.save(update_fields=["first_name", "last_name"])
    ids = sorted({wallet.pk, other_wallet.pk - 1, other_wallet.pk, other_wallet.pk + 1})
    pages = [
        client_logged_in.get(f"/wallet/send/recipient/?recipient={pk}").content.decode()
        for pk in ids
    ]
    assert all("No wallet found" in page for page in pages)
    assert not any("bob@example.com" in page or "recipient-preview" in page for page in pages)


def test_send_page_query_count_is_bounded(
    client_logged_in, funded_wallet, other_wallet, django_assert_max_num_queries
):
    for _ in range(5):
        send(client_logged_in, amount="1")
    with django_assert_max_num_queries(8):
        client_logged_in.get("/wallet/send/")


def test_confirmation_shows_the_transfer_fee_when_staff_set_one(
    client_logged_in, funded_wallet, other_wallet
):
    FeeRule.objects.create(transaction_type="transfer", flat=Decimal("10.00"))

    page = review(client_logged_in).content.decode()

    assert 'data-testid="send-fee">₦10.00' in page
    assert "₦1,510.00" in page


def test_send_form_needs_a_csrf_token(user, funded_wallet, other_wallet):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(
        "/wallet/send/",
        {"step": "send", "recipient": "bob@example.com", "amount": "5", "reference": ""},
    )

    assert response.status_code == 403
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]


def test_a_locked_wallet_is_told_before_trying(client_logged_in, funded_wallet):
    funded_wallet.lock()

    page = client_logged_in.get("/wallet/send/").content.decode()

    assert 'data-testid="wallet-locked"' in page


def test_the_review_step_refuses_more_than_the_balance_and_names_the_balance(
    client_logged_in, funded_wallet, other_wallet
):
    response = review(client_logged_in, amount="10,000.01")

    page = response.content.decode()
    assert response.status_code == 422
    assert "Your balance is ₦10,000.00: not enough for ₦10,000.01" in page
    assert 'name="step" value="send"' not in page
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]

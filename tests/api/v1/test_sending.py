"""Send money by @handle, e-mail, phone or wallet code (never the sequential id), with a masked
recipient lookup first."""

from decimal import Decimal

import pytest

from tests.api.v1.conftest import failed
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Transaction

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("by", ["email", "wallet code", "handle", "phone"])
def test_send_by_handle_email_phone_or_wallet_code(api, funded_wallet, other_wallet, by):
    other_wallet.user.handle, other_wallet.user.phone = "bobby", "+2348031112222"
    other_wallet.user.save()
    recipient = {
        "email": other_wallet.user.email.upper(),
        "wallet code": other_wallet.public_code,
        "handle": "@BOBBY",
        "phone": "0803 111 2222",
    }[by]

    response = api.post(
        "me/transfers/", {"recipient": recipient, "amount": "1500.50", "description": "Rent"}
    )

    body = response.json()
    assert response.status_code == 201
    assert body["amount"] == "1500.50" and body["description"] == "Rent"
    assert body["counterparty_wallet_code"] == other_wallet.public_code
    assert body["direction"] == "debit" and body["recipient_name"] == "Bob B."
    assert Transaction.objects.get(pk=body["id"]).wallet == funded_wallet
    assert balances(funded_wallet, other_wallet) == [8499.50, 1500.50]
    assert_ledger_consistent()


def test_a_json_number_amount_is_exact(api, funded_wallet, other_wallet):
    raw = f'{{"recipient": "{other_wallet.public_code}", "amount": 1500.29}}'

    response = api.post("me/transfers/", raw=raw)

    assert response.status_code == 201 and response.json()["amount"] == "1500.29"
    assert balances(funded_wallet, other_wallet) == [Decimal("8499.71"), Decimal("1500.29")]


@pytest.mark.parametrize(
    "amount",
    [
        "-1",
        "0",
        "NaN",
        "Infinity",
        "1e3",
        "10.001",
        "ten",
        True,
        [5],
        {"a": 1},
        "99999999999",
        "１０",
        "10,50",
        " ",
        None,
        "0x10",
        "1_000",
    ],
)
def test_bad_amounts_are_refused_and_move_nothing(api, funded_wallet, other_wallet, amount):
    response = api.post("me/transfers/", {"recipient": other_wallet.public_code, "amount": amount})

    assert response.status_code in (400, 422)
    failed(response, response.status_code)
    assert balances(funded_wallet, other_wallet) == [10000, 0]


@pytest.mark.parametrize(
    ("recipient", "status", "error"),
    [
        ("nobody@example.com", 404, "recipient_not_found"),
        ("99999999", 404, "recipient_not_found"),
        ("not an address", 404, "recipient_not_found"),
        ("", 400, "invalid_request"),
    ],
)
def test_unknown_recipients_are_refused(api, funded_wallet, other_wallet, recipient, status, error):
    failed(api.post("me/transfers/", {"recipient": recipient, "amount": "5"}), status, error)
    assert balances(funded_wallet, other_wallet) == [10000, 0]


def test_sending_to_yourself_is_refused(api, funded_wallet):
    failed(
        api.post("me/transfers/", {"recipient": funded_wallet.public_code, "amount": "5"}),
        422,
        "same_wallet",
    )


def test_more_than_the_balance_is_402(api, funded_wallet, other_wallet):
    response = api.post(
        "me/transfers/", {"recipient": other_wallet.public_code, "amount": "10000.01"}
    )

    failed(response, 402, "insufficient_funds")
    assert balances(funded_wallet, other_wallet) == [10000, 0]


def test_a_locked_wallet_is_423(api, funded_wallet, other_wallet):
    funded_wallet.lock()

    failed(
        api.post("me/transfers/", {"recipient": other_wallet.public_code, "amount": "5"}),
        423,
        "wallet_locked",
    )


@pytest.mark.parametrize("raw", ["{", "[1, 2]", '"text"', "", "null"])
def test_a_body_that_is_not_a_json_object_is_400(api, funded_wallet, raw):
    response = api.post("me/transfers/", raw=raw)

    assert response.status_code == 400
    failed(response, 400)


def test_a_form_body_is_415(api, funded_wallet):
    response = api.client.post("/wallet/api/v1/me/transfers/", {"amount": "5"})

    failed(response, 415, "unsupported_media_type")


def test_recipient_lookup_shows_a_masked_name_only(api, funded_wallet, other_wallet, other_user):
    response = api.get("me/recipients/lookup/", {"q": other_user.email})

    assert response.json() == {"wallet_code": other_wallet.public_code, "name": "Bob B."}


def test_a_sequential_wallet_id_finds_nobody(api, funded_wallet, other_wallet):
    lookup = api.get("me/recipients/lookup/", {"q": str(other_wallet.pk)})
    sent = api.post("me/transfers/", {"recipient": str(other_wallet.pk), "amount": "10"})

    failed(lookup, 404, "recipient_not_found")
    failed(sent, 404, "recipient_not_found")
    assert balances(funded_wallet, other_wallet) == [10000, 0]


def test_recipient_without_a_name_is_shown_as_a_masked_address(api, wallet, make_user):
    from wallet.services.wallet_service import WalletService

    nameless = make_user(email="carol@example.com")
    target = WalletService().get_wallet(nameless)

    body = api.get("me/recipients/lookup/", {"q": target.public_code}).json()

    assert body["name"] == "A wallet customer"


def test_recipient_lookup_of_nobody_is_404(api, wallet):
    failed(api.get("me/recipients/lookup/", {"q": "ghost@example.com"}), 404)
    failed(api.get("me/recipients/lookup/"), 400)

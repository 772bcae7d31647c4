"""Finding 1: one reading of a typed amount, on every face. Finding 3: odd digits never crash."""

from decimal import Decimal

import pytest

from wallet.amounts import parse_amount_text
from wallet.exceptions import InvalidAmount
from wallet.models import LedgerEntry, Transaction, Wallet
from wallet.services.wallet_service import WalletService

REFUSED = [
    "10,50",  # a decimal comma: once read as 1,050.00
    "1,5",
    "1,0000",
    "12,34,567",
    ",100",
    "1e3",
    ".5e1",
    "1_000",
    "٣",  # Arabic-Indic three
    "３",  # full-width three
    "²",
    "+5",
    "-5",
    "-0",
    "1 000",
    "10.001",
    "5.",
    ".5",
    "NaN",
    "Infinity",
    "0x10",
    "1\x0000",
    "\u200f100",  # a right-to-left mark
    "9" * 40,
]
ACCEPTED = {
    "5000": Decimal("5000.00"),
    "5,000": Decimal("5000.00"),
    "1,234,567.89": Decimal("1234567.89"),
    "10.5": Decimal("10.50"),
    " 25 ": Decimal("25.00"),
    "0": Decimal("0.00"),
}


@pytest.mark.parametrize("text", REFUSED)
def test_text_that_is_not_an_amount_is_refused_with_a_message(text):
    with pytest.raises(InvalidAmount) as caught:
        parse_amount_text(text)
    assert caught.value.message.strip()


def test_a_decimal_comma_is_told_to_use_a_point():
    with pytest.raises(InvalidAmount, match="point for kobo"):
        parse_amount_text("10,50")


@pytest.mark.parametrize(("text", "value"), ACCEPTED.items())
def test_digits_grouped_by_commas_in_threes_are_read_exactly(text, value):
    assert parse_amount_text(text) == value


def _money_snapshot():
    return (
        sorted(Wallet.objects.values_list("pk", "balance")),
        Transaction.objects.count(),
        LedgerEntry.objects.count(),
    )


@pytest.mark.parametrize("amount", ["10,50", "1e3", "1_000", "٣", "+5", ".5e1", "３"])
def test_the_send_form_refuses_a_misread_amount(
    client_logged_in, funded_wallet, other_wallet, amount
):
    before = _money_snapshot()
    for step in ("review", "send"):
        response = client_logged_in.post(
            "/wallet/send/",
            {"recipient": other_wallet.user.email, "amount": amount, "step": step},
        )
        assert response.status_code == 422
        assert b"amount like 5000" in response.content or b"point for kobo" in response.content
    assert _money_snapshot() == before


@pytest.mark.parametrize("amount", ["10,50", "1e3", "٣"])
def test_the_json_api_refuses_a_misread_amount(
    client_logged_in, funded_wallet, other_wallet, amount
):
    before = _money_snapshot()
    response = client_logged_in.post(
        "/wallet/api/wallets/default/transfer/",
        {"amount": amount, "destination_wallet_id": other_wallet.pk},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["error"] == "invalid_amount"
    assert _money_snapshot() == before


@pytest.mark.parametrize("number", ["1e3", "-0", "-0.0", "5E+2"])
def test_a_json_number_with_an_exponent_or_sign_is_refused(
    client_logged_in, funded_wallet, other_wallet, number
):
    before = _money_snapshot()
    response = client_logged_in.post(
        "/wallet/api/wallets/default/transfer/",
        f'{{"amount": {number}, "destination_wallet_id": {other_wallet.pk}}}',
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert _money_snapshot() == before


def test_a_json_number_amount_still_transfers(client_logged_in, funded_wallet, other_wallet):
    response = client_logged_in.post(
        "/wallet/api/wallets/default/transfer/",
        {"amount": 1500.5, "destination_wallet_id": other_wallet.pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["amount"] == "1500.50"


def test_the_withdraw_form_never_reads_a_decimal_comma_as_thousands(
    client_logged_in, stored_bank_account
):
    before = _money_snapshot()
    response = client_logged_in.post(
        "/wallet/withdraw/", {"amount": "10,50", "bank_account": stored_bank_account.pk}
    )
    assert response.status_code == 422
    assert b"point for kobo" in response.content
    assert _money_snapshot() == before


def test_a_service_given_text_reads_it_by_the_same_rule(funded_wallet, other_wallet):
    with pytest.raises(InvalidAmount):
        WalletService().transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount="10,50"
        )


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/wallet/send/recipient/", {"recipient": "²"}),
        ("/wallet/send/recipient/", {"recipient": "١٢"}),
    ],
)
def test_odd_digits_in_a_lookup_are_not_a_crash(client_logged_in, funded_wallet, path, params):
    assert client_logged_in.get(path, params).status_code == 200


def test_odd_digits_in_the_send_review_are_a_form_error(client_logged_in, funded_wallet):
    response = client_logged_in.post(
        "/wallet/send/", {"recipient": "²", "amount": "10", "step": "review"}
    )
    assert response.status_code == 422


def test_odd_digits_as_an_api_destination_are_a_4xx(client_logged_in, funded_wallet):
    response = client_logged_in.post(
        "/wallet/api/wallets/default/transfer/",
        {"amount": "10", "destination_wallet_id": "²"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["reason"]

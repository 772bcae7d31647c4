"""Banks, account resolution, bank accounts (list, add, make default, remove), withdrawals
(create, detail); another user's bank account or withdrawal is a 404 and moves nothing."""

import pytest

from tests.api.v1.conftest import failed
from tests.payouts.conftest import SUCCEEDS, in_flight
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import BankAccount, Payout, TransactionType

pytestmark = pytest.mark.django_db


def test_banks_are_listed(api, wallet, synced_banks):
    banks = api.get("banks/").json()

    assert {"code": "057", "name": "Zenith Bank"} in banks


def test_an_empty_bank_list_is_fetched_once_from_paystack(api, wallet, sandbox):
    assert any(bank["code"] == "057" for bank in api.get("banks/").json())


def test_an_account_is_resolved_to_its_holders_name(api, wallet, synced_banks):
    response = api.get("banks/resolve/", {"bank_code": "057", "account_number": SUCCEEDS})

    assert response.status_code == 200
    assert response.json()["account_name"] and response.json()["account_number"] == SUCCEEDS


@pytest.mark.parametrize(
    "params",
    [{"bank_code": "057", "account_number": "123"}, {"bank_code": "057"}, {}],
)
def test_a_malformed_resolution_is_400(api, wallet, params):
    failed(api.get("banks/resolve/", params), 400, "invalid_request")


def test_an_unknown_bank_is_refused(api, wallet, synced_banks):
    response = api.get("banks/resolve/", {"bank_code": "999", "account_number": SUCCEEDS})

    assert 400 <= response.status_code < 500
    failed(response, response.status_code)


def test_add_list_default_and_remove_bank_accounts(api, funded_wallet, synced_banks):
    added = api.post("me/bank-accounts/", {"bank_code": "057", "account_number": SUCCEEDS})
    account_id = added.json()["id"]

    listed = api.get("me/bank-accounts/").json()
    made_default = api.post(f"me/bank-accounts/{account_id}/default/")
    removed = api.delete(f"me/bank-accounts/{account_id}/")

    assert added.status_code == 201 and added.json()["bank_code"] == "057"
    assert [row["id"] for row in listed] == [account_id]
    assert made_default.json()["is_default"] is True
    assert removed.status_code == 204 and api.get("me/bank-accounts/").json() == []


def test_the_same_account_twice_is_refused(api, funded_wallet, bank_account):
    response = api.post("me/bank-accounts/", {"bank_code": "057", "account_number": SUCCEEDS})

    failed(response, 422, "duplicate_bank_account")


def test_a_withdrawal_debits_at_once_and_can_be_followed(api, funded_wallet, bank_account):
    response = api.post(
        "me/withdrawals/",
        {"bank_account_id": bank_account.pk, "amount": "1000", "reason": "Rent"},
    )
    body = response.json()
    detail = api.get(f"me/withdrawals/{body['id']}/")

    assert response.status_code == 201
    assert body["transaction_type"] == "withdrawal" and body["bank_account_id"] == bank_account.pk
    assert body["amount"] == "1000.00" and body["fee"] == "10.00"
    assert detail.status_code == 200 and detail.json()["reference"] == body["reference"]
    assert balances(funded_wallet) == [8990]
    assert Payout.objects.filter(transaction_id=body["id"]).count() == 1
    assert_ledger_consistent()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount": "100"}, 400),
        ({"bank_account_id": "x", "amount": "100"}, 400),
        ({"bank_account_id": 10**20, "amount": "100"}, 400),
        ({"bank_account_id": None, "amount": "-5"}, 422),  # the amount decides
        ({"amount": "1e2", "bank_account_id": 1}, 422),
    ],
)
def test_bad_withdrawals_move_nothing(api, funded_wallet, bank_account, body, status):
    failed(api.post("me/withdrawals/", body), status)
    assert balances(funded_wallet) == [10000] and in_flight() == 0


def test_withdrawing_more_than_the_balance_is_402(api, funded_wallet, bank_account):
    response = api.post("me/withdrawals/", {"bank_account_id": bank_account.pk, "amount": "9995"})

    failed(response, 402, "insufficient_funds")
    assert balances(funded_wallet) == [10000]


def test_another_users_bank_account_is_404_everywhere(
    other_api, funded_wallet, other_wallet, bank_account
):
    paths = [
        ("get", f"me/bank-accounts/{bank_account.pk}/"),
        ("delete", f"me/bank-accounts/{bank_account.pk}/"),
        ("post", f"me/bank-accounts/{bank_account.pk}/default/"),
    ]
    for method, path in paths:
        failed(getattr(other_api, method)(path), 404)
    for path in ("me/withdrawals/", "me/settlements/"):
        body = {"bank_account_id": bank_account.pk, "amount": "5"}
        failed(other_api.post(path, body), 404)

    bank_account.refresh_from_db()
    assert bank_account.is_active and balances(funded_wallet, other_wallet) == [10000, 0]


def test_another_users_withdrawal_is_404(api, other_api, funded_wallet, bank_account):
    made = api.post("me/withdrawals/", {"bank_account_id": bank_account.pk, "amount": "5"})

    failed(other_api.get(f"me/withdrawals/{made.json()['id']}/"), 404)


def test_a_transfer_is_not_a_withdrawal(api, funded_wallet, other_wallet):
    sent = api.post("me/transfers/", {"recipient": other_wallet.public_code, "amount": "5"}).json()

    failed(api.get(f"me/withdrawals/{sent['id']}/"), 404)
    assert not BankAccount.objects.exists()
    assert (
        funded_wallet.transactions.filter(transaction_type=TransactionType.WITHDRAWAL).count() == 0
    )

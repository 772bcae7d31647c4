"""v1's outflows ask for the transaction PIN (WALLET_PIN_REQUIRED on), a money-scope token
included: missing or wrong, 403 pin_required / pin_invalid in the guide's failure shape, and
nothing moves. The PIN rules themselves (tries, lock, reset) are tested in tests/outflows/."""

import pytest

from tests.api.v1.conftest import failed
from tests.payouts.conftest import SUCCEEDS, in_flight
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import BankAccount, SettlementSchedule
from wallet.services.outflows.pin import set_first_pin

pytestmark = pytest.mark.django_db

PIN = "2468"


@pytest.fixture(autouse=True)
def pin_required(settings, user):
    settings.WALLET_PIN_REQUIRED = True
    set_first_pin(user, PIN)


def send(api, other_wallet, **extra):
    return api.post(
        "me/transfers/", {"recipient": other_wallet.public_code, "amount": "100", **extra}
    )


@pytest.mark.parametrize(
    "extra, code",
    [({}, "pin_required"), ({"pin": ""}, "pin_required"), ({"pin": "1357"}, "pin_invalid")],
)
def test_a_transfer_without_the_right_pin_is_403_and_moves_nothing(
    api, funded_wallet, other_wallet, extra, code
):
    failed(send(api, other_wallet, **extra), 403, code)
    assert balances(funded_wallet, other_wallet) == [10000, 0]


def test_a_transfer_with_the_pin_moves_the_money(api, funded_wallet, other_wallet):
    response = send(api, other_wallet, pin=PIN)

    assert response.status_code == 201, response.json()
    assert "pin" not in response.json()  # write-only: never echoed
    assert balances(funded_wallet, other_wallet) == [9900, 100]
    assert_ledger_consistent()


def test_a_money_token_still_needs_the_pin(money_api, funded_wallet, other_wallet):
    failed(send(money_api, other_wallet), 403, "pin_required")
    assert send(money_api, other_wallet, pin=PIN).status_code == 201
    assert balances(funded_wallet, other_wallet) == [9900, 100]


def test_withdrawals_and_settlements_need_the_pin(api, funded_wallet, bank_account):
    body = {"bank_account_id": bank_account.pk, "amount": "1000"}

    failed(api.post("me/withdrawals/", body), 403, "pin_required")
    failed(api.post("me/settlements/", {**body, "pin": "1357"}), 403, "pin_invalid")

    assert balances(funded_wallet) == [10000] and in_flight() == 0


def test_adding_a_bank_account_needs_the_pin(api, funded_wallet, synced_banks):
    body = {"bank_code": "057", "account_number": SUCCEEDS}
    api.client.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})

    failed(api.post("me/bank-accounts/", body), 403, "pin_required")
    assert not BankAccount.objects.filter(wallet=funded_wallet).exists()
    assert api.post("me/bank-accounts/", {**body, "pin": PIN}).status_code == 201


def test_creating_or_changing_a_schedule_needs_the_pin(api, funded_wallet, bank_account):
    body = {"bank_account_id": bank_account.pk, "schedule_type": "daily"}

    failed(api.post("me/settlement-schedules/", body), 403, "pin_required")
    assert not SettlementSchedule.objects.exists()
    created = api.post("me/settlement-schedules/", {**body, "pin": PIN})
    assert created.status_code == 201, created.json()
    schedule_id = created.json()["id"]

    failed(api.patch(f"me/settlement-schedules/{schedule_id}/", {"time_of_day": "10:00"}), 403)
    changed = api.patch(
        f"me/settlement-schedules/{schedule_id}/", {"time_of_day": "10:00", "pin": PIN}
    )
    assert changed.status_code == 200, changed.json()


def test_the_pin_is_set_once_then_changed_with_the_old_one(api, make_user):
    from django.test import Client

    from tests.api.v1.conftest import Api

    newcomer = make_user(email="newcomer@example.com")
    client = Client()
    client.force_login(newcomer)
    client.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    own = Api(client)

    assert own.get("me/pin/").json() == {"pin_set": False}
    failed(own.post("me/pin/", {"pin": "1234"}), 422)  # too easy to guess
    assert own.post("me/pin/", {"pin": "8642"}).status_code == 201
    failed(own.post("me/pin/", {"pin": "9753"}), 422)  # already set: change it instead
    failed(own.post("me/pin/change/", {"old_pin": "1111", "new_pin": "9753"}), 403, "pin_invalid")
    changed = own.post("me/pin/change/", {"old_pin": "8642", "new_pin": "9753"})

    assert changed.status_code == 200 and changed.json() == {"pin_set": True}
    assert "8642" not in changed.content.decode() and "9753" not in changed.content.decode()

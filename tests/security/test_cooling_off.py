"""Cooling-off: for WALLET_COOLING_OFF_HOURS after a credential change, outflows are capped as
in safety mode on every face, a bank account added then receives no payout for
WALLET_NEW_BANK_ACCOUNT_HOLD_HOURS, and the customer sees why and until when."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.accounts.conftest import PASSWORD
from tests.api.v1.conftest import Api
from tests.wallet.money import balances
from wallet.exceptions import BankAccountOnHold, LimitExceeded
from wallet.models import BankAccount, Transaction, Wallet
from wallet.services.outflows.safety import start_cooling_off
from wallet.services.settlement_service import SettlementService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db

service = WalletService()
CAP_MESSAGE = "sign-in details changed recently"


@pytest.fixture
def rich_wallet(wallet, no_pin):
    service.deposit(wallet=wallet, amount=Decimal("45000.00"), description="Test funds")
    return wallet


@pytest.fixture
def cooling(user, rich_wallet, client_logged_in):
    """The password was changed just now, through the page."""
    client_logged_in.post("/accounts/reauthenticate/", {"password": PASSWORD})
    new = "a-brand-new-password-9"
    changed = client_logged_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert changed.status_code == 302
    rich_wallet.refresh_from_db()
    return rich_wallet


def spend_to_the_cap(wallet, other_wallet):
    service.transfer(source_wallet=wallet, destination_wallet=other_wallet, amount="19990")


def test_a_credential_change_caps_service_transfers_on_both_paths(
    cooling, other_wallet, both_transfer_paths
):
    spend_to_the_cap(cooling, other_wallet)
    with pytest.raises(LimitExceeded, match=CAP_MESSAGE):
        service.transfer(source_wallet=cooling, destination_wallet=other_wallet, amount="11")
    service.transfer(source_wallet=cooling, destination_wallet=other_wallet, amount="10")
    assert balances(other_wallet) == [Decimal("20000.00")]


def test_the_cap_holds_on_the_web_guide_and_v1_faces(user, cooling, other_wallet, client_logged_in):
    spend_to_the_cap(cooling, other_wallet)
    web = client_logged_in.post(
        "/wallet/send/", {"recipient": other_wallet.public_code, "step": "send", "amount": "11"}
    )
    guide = client_logged_in.post(
        "/wallet/api/wallets/default/transfer/",
        json.dumps({"destination_wallet_id": other_wallet.pk, "amount": 11}),
        content_type="application/json",
    )
    v1 = Api(client_logged_in).post(
        "me/transfers/", {"recipient": other_wallet.public_code, "amount": "11"}
    )

    assert web.status_code == 422 and CAP_MESSAGE in web.content.decode()
    assert guide.status_code == 422 and guide.json()["error"] == "limit_exceeded"
    assert v1.status_code == 422 and CAP_MESSAGE in v1.json()["reason"]
    assert balances(other_wallet) == [Decimal("19990.00")]


def test_the_cap_holds_for_withdrawals_and_settlements(cooling, other_wallet, stored_bank_account):
    BankAccount.objects.filter(pk=stored_bank_account.pk).update(
        created_at=timezone.now() - timedelta(days=30)  # an account from before the change
    )
    stored_bank_account.refresh_from_db()
    spend_to_the_cap(cooling, other_wallet)
    with pytest.raises(LimitExceeded, match=CAP_MESSAGE):
        service.withdraw_to_bank(wallet=cooling, amount="100", bank_account=stored_bank_account)
    with pytest.raises(LimitExceeded, match=CAP_MESSAGE):
        SettlementService().create_settlement(cooling, stored_bank_account, "100")
    assert not Transaction.objects.filter(wallet=cooling, transaction_type="withdrawal").exists()


def test_a_bank_account_added_during_the_cooling_off_receives_no_payout(
    user, cooling, stored_bank_account, client_logged_in
):
    # stored_bank_account was created after the password change, so it is held.
    before = balances(cooling)
    with pytest.raises(BankAccountOnHold):
        service.withdraw_to_bank(wallet=cooling, amount="100", bank_account=stored_bank_account)
    with pytest.raises(BankAccountOnHold):
        SettlementService().create_settlement(cooling, stored_bank_account, "100")
    v1 = Api(client_logged_in).post(
        "me/withdrawals/", {"bank_account_id": stored_bank_account.pk, "amount": "100"}
    )
    assert v1.status_code == 422 and v1.json()["error"] == "bank_account_on_hold"
    assert balances(cooling) == before


def test_the_hold_lasts_the_setting_from_when_the_account_was_added(
    user, cooling, stored_bank_account, settings
):
    settings.WALLET_NEW_BANK_ACCOUNT_HOLD_HOURS = 2
    added = timezone.now() - timedelta(hours=2, minutes=1)
    Wallet.objects.filter(pk=cooling.pk).update(credentials_changed_at=added - timedelta(hours=1))
    BankAccount.objects.filter(pk=stored_bank_account.pk).update(created_at=added)
    cooling.refresh_from_db()
    stored_bank_account.refresh_from_db()

    from wallet.services.ledger.limits import check_payout_account

    check_payout_account(cooling, stored_bank_account)  # no longer held: nothing raised
    with pytest.raises(BankAccountOnHold):
        check_payout_account(cooling, stored_bank_account, now=added + timedelta(hours=1))


def test_the_length_is_a_setting(user, rich_wallet, settings):
    settings.WALLET_COOLING_OFF_HOURS = 3
    before = timezone.now()

    start_cooling_off(user)

    wallet = Wallet.objects.get(pk=rich_wallet.pk)
    assert before + timedelta(hours=3) <= wallet.safety_until <= timezone.now() + timedelta(hours=3)


def test_the_customer_sees_why_and_until_when(user, cooling, client_logged_in):
    page = client_logged_in.get("/wallet/").content.decode()
    limits = Api(client_logged_in).get("me/limits/").json()

    assert CAP_MESSAGE in page and "A bank account you add now" in page
    assert limits["safety_mode_reason"] == "cooling_off"
    assert limits["safety_mode_until"] and limits["new_bank_accounts_held_until"]


def test_a_new_device_after_the_change_keeps_the_cooling_off_reason(user, cooling):
    from wallet.services.outflows.safety import start_safety_mode

    start_safety_mode(user)

    assert Wallet.objects.get(pk=cooling.pk).safety_reason == "cooling_off"

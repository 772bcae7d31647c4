"""Banks and bank accounts against the Paystack sandbox: resolved names, recipients, no doubles."""

import pytest

from tests.payouts.conftest import SUCCEEDS
from wallet.exceptions import (
    AccountNameMismatch,
    BankAccountUnavailable,
    DuplicateBankAccount,
    UnknownBank,
)
from wallet.models import Bank, BankAccount

pytestmark = pytest.mark.django_db


def test_sync_banks_copies_paystacks_list_and_deactivates_dropped_banks(synced_banks):
    assert synced_banks.count() > 100
    zenith = Bank.objects.get(code="057")
    assert zenith.name.startswith("Zenith") and zenith.currency == "NGN" and zenith.active
    Bank.objects.create(name="Closed Bank", code="000999", slug="closed")
    from django.core.management import call_command

    call_command("sync_banks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Bank.objects.get(code="000999").active
    assert Bank.objects.get(code="057").active


def test_the_usage_guide_snippet_adds_a_verified_account(wallet, synced_banks):
    from wallet.services.wallet_service import WalletService

    def add_bank_account(user, bank_code, account_number):
        wallet_service = WalletService()
        wallet = wallet_service.get_wallet(user)

        try:
            # Verify account first
            verification = wallet_service.verify_bank_account(account_number, bank_code)
            account_name = verification.get("account_name")

            # Add the verified account
            bank_account = wallet_service.add_bank_account(
                wallet=wallet,
                bank_code=bank_code,
                account_number=account_number,
                account_name=account_name,
            )

            return {
                "id": bank_account.id,
                "account_name": bank_account.account_name,
                "account_number": bank_account.account_number,
                "bank_name": bank_account.bank.name,
            }
        except Exception as e:
            return {"status": "failed", "reason": str(e)}

    result = add_bank_account(wallet.user, "058", "0001234567")
    assert result["account_name"] == "Doe Jane Loren"
    assert result["bank_name"] == Bank.objects.get(code="058").name
    account = BankAccount.objects.get(pk=result["id"])
    assert account.recipient_code.startswith("RCP_") and account.is_default


def test_the_stored_name_is_the_banks_even_when_the_client_sends_none(wallet, add_account):
    account = add_account(wallet)
    assert account.account_name == "Zenith Test Account"


def test_a_different_client_supplied_name_is_rejected_and_nothing_is_saved(
    wallet, payouts_service, synced_banks
):
    with pytest.raises(AccountNameMismatch, match="Zenith Test Account"):
        payouts_service.add_bank_account(
            wallet=wallet, bank_code="057", account_number=SUCCEEDS, account_name="Mallory Thief"
        )
    assert BankAccount.objects.count() == 0


def test_the_same_account_twice_in_one_wallet_is_rejected(wallet, add_account):
    add_account(wallet)
    with pytest.raises(DuplicateBankAccount):
        add_account(wallet)
    assert wallet.bank_accounts.count() == 1


def test_two_wallets_may_hold_the_same_account(wallet, other_wallet, add_account):
    assert add_account(wallet).recipient_code == add_account(other_wallet).recipient_code


@pytest.mark.parametrize(
    "account_number, bank_code, error",
    [
        ("9990001111", "057", BankAccountUnavailable),  # the sandbox's unresolvable pattern
        ("12345", "057", BankAccountUnavailable),
        ("00000000ab", "057", BankAccountUnavailable),
        ("0000000000", "not-a-bank", UnknownBank),
    ],
)
def test_an_account_the_bank_cannot_resolve_is_refused(
    wallet, add_account, account_number, bank_code, error
):
    with pytest.raises(error):
        add_account(wallet, account_number=account_number, bank_code=bank_code)
    assert BankAccount.objects.count() == 0


def test_deactivate_then_add_again_reactivates_the_same_row(wallet, add_account, payouts_service):
    first = add_account(wallet)
    payouts_service.deactivate_bank_account(first)
    assert not wallet.bank_accounts.filter(is_active=True).exists()
    again = add_account(wallet)
    assert again.pk == first.pk and again.is_active


def test_one_default_account_per_wallet(wallet, add_account, payouts_service):
    first = add_account(wallet)
    second = add_account(wallet, account_number="0123456789", bank_code="058")
    assert (first.is_default, second.is_default) == (True, False)
    payouts_service.set_default_bank_account(second)
    first.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)

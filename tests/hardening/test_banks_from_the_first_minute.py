"""Finding 11: a fresh install can verify a bank account at once: the bank list is synced on
first use, and an empty list is never reported as "no such bank"."""

import pytest
from django.core.cache import cache

from wallet.exceptions import BankListUnavailable, UnknownBank
from wallet.models import Bank
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_bank_list_refresh_yet():
    cache.clear()
    yield
    cache.clear()


def test_the_guides_verify_bank_account_works_on_an_empty_bank_table(sandbox):
    assert not Bank.objects.exists()

    verification = WalletService().verify_bank_account("0000000000", "057")

    assert verification["account_name"] and Bank.objects.filter(code="057").exists()


def test_an_empty_list_that_cannot_be_synced_says_so_not_no_such_bank(sandbox, settings):
    settings.PAYSTACK_TIMEOUT = 1.5
    sandbox.fault("/bank", "500", times=None)

    with pytest.raises(BankListUnavailable, match="could not be loaded"):
        WalletService().verify_bank_account("0000000000", "057")


def test_an_unknown_code_with_a_list_is_still_no_such_bank(sandbox):
    WalletService().sync_banks()

    with pytest.raises(UnknownBank, match="Choose a bank"):
        WalletService().verify_bank_account("0000000000", "999999")

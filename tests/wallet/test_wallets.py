from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from wallet.exceptions import (
    CurrencyMismatch,
    DuplicateReference,
    InsufficientFunds,
    InvalidAmount,
    LimitExceeded,
    PaystackAPIError,
    TransactionFailed,
    WalletError,
    WalletLocked,
)
from wallet.models import Wallet
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


def test_get_wallet_creates_one_wallet_per_user_and_currency(user):
    service = WalletService()
    first = service.get_wallet(user)
    assert service.get_wallet(user) == first
    assert (first.currency, first.balance, first.is_locked) == ("NGN", Decimal("0.00"), False)
    assert service.get_wallet(user, currency="USD") != first
    assert Wallet.objects.filter(user=user).count() == 2


def test_signing_up_opens_a_wallet(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "newcomer@example.com",
            "first_name": "Nnamdi",
            "last_name": "Okoro",
            "phone": "0809 555 0107",
            "password1": "a-long-unusual-pass-2026",
            "password2": "a-long-unusual-pass-2026",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="newcomer@example.com")
    assert Wallet.objects.filter(user=user, currency="NGN").exists()


def test_get_balance_reads_the_database_not_a_stale_object(funded_wallet):
    stale = Wallet.objects.get(pk=funded_wallet.pk)
    WalletService().withdraw(wallet=funded_wallet, amount=Decimal("1"))
    assert WalletService().get_balance(stale) == Decimal("9999.00")


@pytest.mark.parametrize(
    "error",
    [
        InsufficientFunds,
        WalletLocked,
        InvalidAmount,
        TransactionFailed,
        PaystackAPIError,
        CurrencyMismatch,
        DuplicateReference,
        LimitExceeded,
    ],
)
def test_every_wallet_error_has_a_human_message(error):
    raised = error()
    assert isinstance(raised, WalletError)
    assert str(raised) and str(raised)[0].isupper() and str(raised).endswith(".")

from decimal import Decimal

import pytest

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import FeeBearer, FeeOperation, FeeRule, LedgerEntry, SystemAccount
from wallet.services.ledger.fees import compute_fee
from wallet.services.wallet_service import WalletService

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_transfer_paths")]


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("100.00", "10.00"),
        ("5000.00", "10.00"),
        ("5000.01", "25.00"),
        ("50000.00", "25.00"),
        ("50000.01", "50.00"),
        ("2000000.00", "50.00"),
    ],
)
def test_default_withdrawal_fee_bands(amount, fee):
    result = compute_fee(transaction_type=FeeOperation.WITHDRAWAL, amount=Decimal(amount))
    assert result.amount == Decimal(fee) and result.bearer == FeeBearer.CUSTOMER


def test_internal_transfers_are_free_by_default():
    assert compute_fee(transaction_type=FeeOperation.TRANSFER, amount=Decimal("999")).amount == 0


def test_a_staff_fee_rule_applies_at_once_and_posts_to_fee_revenue(funded_wallet, other_wallet):
    FeeRule.objects.create(
        transaction_type=FeeOperation.TRANSFER,
        percentage=Decimal("1.5"),
        minimum=Decimal("5.00"),
        cap=Decimal("100.00"),
    )
    sent = WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("1000")
    )
    assert sent.fee == Decimal("15.00")
    assert balances(funded_wallet, other_wallet) == [Decimal("8985.00"), Decimal("1000.00")]
    revenue = LedgerEntry.objects.get(journal=sent, system_account=SystemAccount.FEE_REVENUE)
    assert revenue.amount == Decimal("15.00")
    assert_ledger_consistent()


def test_fee_minimum_cap_and_recipient_bearer(funded_wallet, other_wallet):
    FeeRule.objects.create(
        transaction_type=FeeOperation.TRANSFER,
        percentage=Decimal("10"),
        minimum=Decimal("5.00"),
        cap=Decimal("20.00"),
        bearer=FeeBearer.RECIPIENT,
    )
    service = WalletService()
    service.transfer(source_wallet=funded_wallet, destination_wallet=other_wallet, amount="10")
    service.transfer(source_wallet=funded_wallet, destination_wallet=other_wallet, amount="1000")
    # 10 -> fee raised to the 5.00 minimum; 1000 -> 100 capped at 20; the recipient bears both.
    assert balances(funded_wallet, other_wallet) == [Decimal("8990.00"), Decimal("985.00")]
    assert_ledger_consistent()

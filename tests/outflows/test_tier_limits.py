"""Each KYC tier limit at its boundary (exactly at it, one kobo over), on every path that
moves money out or in; both transfer paths (the SQL function and the ORM)."""

from decimal import Decimal

import pytest

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import InsufficientFunds, LimitExceeded
from wallet.models import KycTier, Transaction
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)

service = WalletService()


def test_new_wallets_start_in_tier_1_with_the_cbn_defaults(wallet):
    tier = KycTier.objects.get(level=wallet.tier)
    assert wallet.tier == 1
    assert (tier.daily_limit, tier.balance_cap) == (Decimal("50000.00"), Decimal("300000.00"))
    assert KycTier.objects.get(level=2).balance_cap == Decimal("500000.00")
    assert KycTier.objects.get(level=3).balance_cap is None


def test_transfers_reach_the_daily_limit_exactly_and_not_one_kobo_more(
    rich_wallet, other_wallet, both_transfer_paths
):
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="30000")
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="18999")
    refusal = "daily limit of ₦50,000.00; you can send ₦1,001.00 more"
    with pytest.raises(LimitExceeded, match=refusal):
        service.transfer(
            source_wallet=rich_wallet, destination_wallet=other_wallet, amount="1001.01"
        )
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="1001.00")
    assert balances(rich_wallet, other_wallet) == [Decimal("250000.00"), Decimal("50000.00")]
    assert_ledger_consistent()


def test_one_transfer_at_the_single_limit_passes_and_one_kobo_over_is_refused(
    rich_wallet, other_wallet, both_transfer_paths, tier_limits
):
    tier_limits(1, single_limit=Decimal("10000.00"))
    with pytest.raises(LimitExceeded, match="most one payment can be on Tier 1 is ₦10,000.00"):
        service.transfer(
            source_wallet=rich_wallet, destination_wallet=other_wallet, amount="10000.01"
        )
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="10000")
    assert balances(other_wallet) == [Decimal("10000.00")]


def test_internal_payments_count_against_the_same_daily_limit(rich_wallet):
    service.withdraw(wallet=rich_wallet, amount="48999")
    with pytest.raises(LimitExceeded):
        service.withdraw(wallet=rich_wallet, amount="1001.01")
    service.withdraw(wallet=rich_wallet, amount="1001.00")
    assert balances(rich_wallet) == [Decimal("250000.00")]


def test_a_transfer_that_fills_the_recipients_cap_exactly_arrives(
    funded_wallet, other_wallet, both_transfer_paths
):
    service.deposit(wallet=other_wallet, amount="290000")
    service.transfer(source_wallet=funded_wallet, destination_wallet=other_wallet, amount="10000")
    assert balances(funded_wallet, other_wallet) == [Decimal("0.00"), Decimal("300000.00")]


def test_a_transfer_one_kobo_past_the_recipients_cap_moves_nothing_and_reveals_no_balance(
    funded_wallet, other_wallet, both_transfer_paths
):
    service.deposit(wallet=other_wallet, amount="290000")
    service.deposit(wallet=funded_wallet, amount="1")
    with pytest.raises(LimitExceeded) as refusal:
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount="10000.01"
        )
    message = refusal.value.message
    assert "recipient" in message
    for figure in ("290,000", "290000", "300,000", "300000", "9,999.99", "9999.99"):
        assert figure not in message
    assert balances(funded_wallet, other_wallet) == [Decimal("10001.00"), Decimal("290000.00")]
    assert not Transaction.objects.filter(transaction_type="transfer").exists()
    assert_ledger_consistent()


def test_a_tier_that_does_not_allow_transfers_refuses_them(
    rich_wallet, other_wallet, both_transfer_paths, tier_limits
):
    tier_limits(1, allows_transfer=False)
    with pytest.raises(LimitExceeded, match="Tier 1 wallets cannot make transfers"):
        service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="1")
    assert balances(other_wallet) == [Decimal("0.00")]


def test_insufficient_funds_is_said_before_any_limit(wallet, other_wallet, both_transfer_paths):
    service.deposit(wallet=wallet, amount="100")
    with pytest.raises(InsufficientFunds):
        service.transfer(source_wallet=wallet, destination_wallet=other_wallet, amount="60000")


def test_a_higher_tier_lifts_the_limits(rich_wallet, other_wallet, both_transfer_paths):
    rich_wallet.tier = 3
    rich_wallet.save(update_fields=["tier"])
    other_wallet.tier = 3
    other_wallet.save(update_fields=["tier"])
    service.deposit(wallet=other_wallet, amount="400000")
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="200000")
    assert balances(other_wallet) == [Decimal("600000.00")]


def test_safety_mode_caps_outflows_exactly_at_its_limit(
    rich_wallet, other_wallet, both_transfer_paths
):
    from wallet.services.outflows.safety import start_safety_mode

    start_safety_mode(rich_wallet.user)
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="15000")
    service.withdraw(wallet=rich_wallet, amount="4000")
    with pytest.raises(LimitExceeded, match=r"new device.*\(₦1,000.00 left\)"):
        service.transfer(
            source_wallet=rich_wallet, destination_wallet=other_wallet, amount="1000.01"
        )
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="1000")
    assert balances(other_wallet) == [Decimal("16000.00")]

"""Paystack's transfer OTP turned off from the command line (and back on), Finance entering a
parked payout's OTP, and staff edits of tiers: versioned, permission-checked, with a reason."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tests.factories import make_user
from wallet.exceptions import WalletError
from wallet.models import KycTier, KycTierVersion, TransactionStatus
from wallet.services.outflows.tiers import change_tier_limits, override_tier
from wallet.services.outflows.transfer_otp import (
    enter_transfer_otp_for_staff,
    payouts_waiting_for_otp,
)

pytestmark = pytest.mark.django_db


def test_the_command_turns_transfer_otp_off_in_two_steps_and_back_on(sandbox):
    sandbox.configure(transfer_otp=True)
    out = StringIO()
    call_command("paystack_transfer_otp", "--disable", stdout=out)
    assert "--otp" in out.getvalue() and sandbox.config()["transfer_otp"] is True
    with pytest.raises(Exception, match="Invalid OTP"):
        call_command("paystack_transfer_otp", "--disable", "--otp", "111111", stdout=out)
    call_command("paystack_transfer_otp", "--disable", "--otp", "123456", stdout=out)
    assert sandbox.config()["transfer_otp"] is False
    call_command("paystack_transfer_otp", "--enable", stdout=out)
    assert sandbox.config()["transfer_otp"] is True
    with pytest.raises(CommandError):
        call_command("paystack_transfer_otp", stdout=out)


def test_finance_releases_a_parked_payout_with_the_otp(
    payouts_service, funded_wallet, bank_account, sandbox
):
    sandbox.configure(transfer_otp=True)
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("500.00"), bank_account=bank_account
    )
    assert list(payouts_waiting_for_otp()) == [tx]
    customer = funded_wallet.user
    with pytest.raises(PermissionDenied):
        enter_transfer_otp_for_staff(
            payouts_service.paystack, transaction=tx, otp="123456", by=customer
        )
    finance = make_user(email="finance@example.com", is_staff=True, is_superuser=True)
    tx, _ = enter_transfer_otp_for_staff(
        payouts_service.paystack, transaction=tx, otp="123456", by=finance
    )
    assert tx.status == TransactionStatus.PROCESSING
    assert not payouts_waiting_for_otp().exists()


def test_a_staff_edit_of_a_tier_applies_at_once_and_keeps_a_version(wallet, other_wallet):
    tier = KycTier.objects.get(level=1)
    clerk = make_user(email="clerk@example.com", is_staff=True)
    with pytest.raises(PermissionDenied):
        change_tier_limits(tier, by=clerk, reason="x", daily_limit=Decimal("1"))
    boss = make_user(email="boss@example.com", is_staff=True, is_superuser=True)
    with pytest.raises(WalletError, match="reason"):
        change_tier_limits(tier, by=boss, reason="", daily_limit=Decimal("1"))
    change_tier_limits(
        tier, by=boss, reason="CBN circular 2026/04", daily_limit=Decimal("100000.00")
    )
    version = KycTierVersion.objects.get()
    assert version.version == 2 and version.changed_by == boss
    assert version.limits["daily_limit"] == "100000.00"
    assert KycTier.objects.get(level=1).daily_limit == Decimal("100000.00")
    with pytest.raises(Exception, match="append-only"):
        version.delete()


def test_staff_override_a_tier_with_a_reason_and_the_permission(wallet):
    clerk = make_user(email="clerk@example.com", is_staff=True)
    with pytest.raises(PermissionDenied):
        override_tier(wallet, 3, clerk, "VIP")
    boss = make_user(email="boss@example.com", is_staff=True, is_superuser=True)
    with pytest.raises(WalletError):
        override_tier(wallet, 3, boss, "")
    change = override_tier(wallet, 3, boss, "Documents checked in branch")
    wallet.refresh_from_db()
    assert wallet.tier == 3 and change.changed_by == boss and change.from_level == 1

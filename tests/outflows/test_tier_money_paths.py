"""The tier on the paths that reach Paystack: withdrawals at the daily limit, and card credits
that pass the balance cap (credited once, the wallet marked, further inflows refused)."""

from decimal import Decimal

import pytest

from tests.wallet.money import assert_ledger_consistent, balances
from wallet import selectors
from wallet.exceptions import LimitExceeded
from wallet.models import LedgerEntry, Payout, Transaction, TransactionStatus
from wallet.services.outflows.tiers import move_wallet_to_tier
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def big_wallet(funded_wallet):
    WalletService().deposit(wallet=funded_wallet, amount=Decimal("100000.00"))
    return funded_wallet


def test_a_withdrawal_one_kobo_past_the_daily_limit_is_refused_and_exactly_at_it_is_sent(
    big_wallet, bank_account, payouts_service, sandbox, tier_limits
):
    payouts_service.withdraw_to_bank(
        wallet=big_wallet, amount=Decimal("1000.00"), bank_account=bank_account
    )  # + ₦10 fee: ₦1,010 of today's limit
    tier_limits(1, daily_limit=Decimal("1020.99"))
    with pytest.raises(LimitExceeded, match="daily limit of ₦1,020.99; you can send ₦10.99 more"):
        payouts_service.withdraw_to_bank(  # ₦1 + ₦10 fee: ₦1,021
            wallet=big_wallet, amount=Decimal("1.00"), bank_account=bank_account
        )
    tier_limits(1, daily_limit=Decimal("1021.00"))
    payouts_service.withdraw_to_bank(
        wallet=big_wallet, amount=Decimal("1.00"), bank_account=bank_account
    )
    assert Payout.objects.count() == 2
    assert balances(big_wallet) == [Decimal("108979.00")]


def test_a_settlement_counts_against_the_same_daily_limit(
    big_wallet, bank_account, sandbox, tier_limits
):
    from wallet.services.settlement_service import SettlementService

    tier_limits(1, daily_limit=Decimal("1010.00"))
    SettlementService().create_settlement(
        wallet=big_wallet, bank_account=bank_account, amount="1000"
    )
    with pytest.raises(LimitExceeded):
        SettlementService().create_settlement(
            wallet=big_wallet, bank_account=bank_account, amount="1"
        )


def test_a_card_credit_past_the_cap_is_credited_once_and_marks_the_wallet(
    wallet, other_wallet, paid_charge, start_charge
):
    service = WalletService()
    service.deposit(wallet=wallet, amount=Decimal("200000.00"))
    first = paid_charge(wallet, "60000.00")  # both started while they fitted under the cap
    second = paid_charge(wallet, "60000.00")
    for checkout in (first, second, second):  # the second reported twice
        service.process_successful_card_charge(service.verify_card_charge(checkout["reference"]))

    wallet.refresh_from_db()
    assert wallet.balance == Decimal("320000.00") and wallet.over_tier_since is not None
    assert list(selectors.wallets_over_their_tier()) == [wallet]  # the back office's list
    credited = Transaction.objects.get(reference=second["reference"])
    assert credited.status == TransactionStatus.SUCCESS
    assert LedgerEntry.objects.filter(journal=credited, wallet=wallet).count() == 1
    with pytest.raises(LimitExceeded, match="Upgrade your tier"):
        start_charge(wallet, "50.00")
    service.deposit(wallet=other_wallet, amount=Decimal("100.00"))
    with pytest.raises(LimitExceeded, match="recipient"):
        service.transfer(source_wallet=other_wallet, destination_wallet=wallet, amount="1")
    assert_ledger_consistent()


def test_a_card_deposit_that_would_pass_the_cap_is_refused_before_paystack(wallet, start_charge):
    WalletService().deposit(wallet=wallet, amount=Decimal("299950.01"))
    with pytest.raises(LimitExceeded, match="Tier 1 balance limit of ₦300,000.00"):
        start_charge(wallet, "50.00")
    assert not Transaction.objects.filter(channel="card").exists()


def test_an_upgrade_that_holds_the_balance_clears_the_mark(wallet, paid_charge):
    service = WalletService()
    service.deposit(wallet=wallet, amount=Decimal("290000.00"))
    checkout = paid_charge(wallet, "9000.00")
    service.deposit(wallet=wallet, amount=Decimal("9000.00"))
    service.process_successful_card_charge(service.verify_card_charge(checkout["reference"]))
    wallet.refresh_from_db()
    assert wallet.over_tier_since is not None
    move_wallet_to_tier(wallet, 2, source="staff", reason="BVN checked by phone")
    wallet.refresh_from_db()
    assert wallet.tier == 2 and wallet.over_tier_since is None
    assert wallet.tier_changes.get().reason == "BVN checked by phone"


def test_a_bank_transfer_past_the_cap_is_credited_once_and_marks_the_wallet(
    client, wallet, sandbox, delivery, q_sync
):
    from tests.funding.conftest import post_webhook

    service = WalletService()
    service.deposit(wallet=wallet, amount=Decimal("295000.00"))
    account = service.request_dedicated_account(wallet)
    sent_tx = sandbox.send_dva_transfer(account.account_number, 1_000_000)  # ₦10,000
    sent = delivery("charge.success", sent_tx["reference"])
    for _ in range(2):
        assert post_webhook(client, sent["body"], sent["signature"]).status_code == 200
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("305000.00") and wallet.over_tier_since is not None
    assert Transaction.objects.filter(reference=sent_tx["reference"]).count() == 1
    assert_ledger_consistent()

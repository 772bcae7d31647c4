"""A reversal after success whose webhook never arrives is still found, and paid back once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.payouts.conftest import REVERSES, SUCCEEDS, fee_revenue, in_flight, sent_to_paystack
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Payout, Transaction, TransactionStatus
from wallet.services.payouts import apply_transfer_status, recheck_recent_successes

pytestmark = pytest.mark.django_db
S = TransactionStatus


def succeed_without_webhooks(sandbox, service, wallet, account):
    """A withdrawal Paystack settles (and, for REVERSES, reverses) while no webhook reaches us;
    we saw only the success (say from the transfer call or one verify)."""
    tx, _ = service.withdraw_to_bank(wallet=wallet, amount="4000", bank_account=account)
    sandbox.settle()
    apply_transfer_status(tx.payout.reference, "success", {})
    return Transaction.objects.get(pk=tx.pk)


def test_a_missed_reversal_is_found_and_returns_the_money_once(
    sandbox, payouts_service, funded_wallet, add_account
):
    tx = succeed_without_webhooks(
        sandbox, payouts_service, funded_wallet, add_account(funded_wallet, REVERSES)
    )
    assert tx.status == S.SUCCESS and balances(funded_wallet) == [Decimal("5990.00")]
    sandbox.settle()  # the reversal happens at Paystack; its webhook is lost

    assert recheck_recent_successes(payouts_service.paystack) == 1
    assert recheck_recent_successes(payouts_service.paystack, every=timedelta(0)) == 0
    tx.refresh_from_db()
    assert tx.status == S.REVERSED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), sent_to_paystack(), fee_revenue()) == (0, 0, 0)
    assert_ledger_consistent()


def test_recheck_leaves_real_successes_and_skips_old_or_recently_checked_ones(
    sandbox, payouts_service, funded_wallet, add_account
):
    tx = succeed_without_webhooks(
        sandbox, payouts_service, funded_wallet, add_account(funded_wallet, SUCCEEDS)
    )
    assert recheck_recent_successes(payouts_service.paystack) == 1
    assert recheck_recent_successes(payouts_service.paystack) == 0  # checked within 6 hours
    Transaction.objects.filter(pk=tx.pk).update(completed_at=timezone.now() - timedelta(days=4))
    Payout.objects.filter(transaction=tx).update(last_checked_at=None)
    assert recheck_recent_successes(payouts_service.paystack) == 0  # older than 3 days
    tx.refresh_from_db()
    assert tx.status == S.SUCCESS and balances(funded_wallet) == [Decimal("5990.00")]

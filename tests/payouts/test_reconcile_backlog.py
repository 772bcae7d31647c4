"""The payout reconcile jobs never starve: open payouts beyond one run's limit are each verified
in turn, and a success never rechecked comes before those rechecked already."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.wallet.money import assert_ledger_consistent
from wallet.models import Payout, Transaction, TransactionStatus
from wallet.services.payouts import (
    apply_transfer_status,
    recheck_recent_successes,
    reconcile_open_payouts,
)

pytestmark = pytest.mark.django_db
S = TransactionStatus
NOW = timedelta(0)


def withdraw(service, wallet, account, amount="500.00"):
    tx, _ = service.withdraw_to_bank(wallet=wallet, amount=amount, bank_account=account)
    return Transaction.objects.get(pk=tx.pk)


def test_open_payouts_beyond_the_limit_are_each_verified_in_turn(
    sandbox, payouts_service, funded_wallet, add_account
):
    account = add_account(funded_wallet)
    sandbox.configure(transfer_otp=True)  # the oldest wait for an OTP nobody enters
    waiting = [withdraw(payouts_service, funded_wallet, account) for _ in range(3)]
    sandbox.configure(transfer_otp=False)
    sandbox.fault("/transfer", "500", method="POST")  # the newest never reached Paystack
    newest = withdraw(payouts_service, funded_wallet, account)
    assert [tx.status for tx in waiting] == [S.OTP] * 3 and newest.status == S.PENDING
    for age, tx in enumerate([newest, *reversed(waiting)], start=1):  # oldest untouched longest
        Payout.objects.filter(transaction=tx).update(
            updated_at=timezone.now() - timedelta(minutes=age)
        )

    checked = [reconcile_open_payouts(payouts_service.paystack, older_than=NOW, limit=2)]
    checked.append(reconcile_open_payouts(payouts_service.paystack, older_than=NOW, limit=2))

    assert checked == [2, 2]
    assert not Payout.objects.filter(last_checked_at__isnull=True).exists()
    newest.refresh_from_db()
    assert newest.status == S.PROCESSING  # sent again, with the same reference
    sandbox.settle()
    reconcile_open_payouts(payouts_service.paystack, older_than=NOW, limit=2)
    reconcile_open_payouts(payouts_service.paystack, older_than=NOW, limit=2)
    newest.refresh_from_db()
    assert newest.status == S.SUCCESS
    assert_ledger_consistent()


def test_a_success_never_rechecked_comes_before_those_rechecked_hours_ago(
    sandbox, payouts_service, funded_wallet, add_account
):
    account = add_account(funded_wallet)
    rechecked, fresh = (withdraw(payouts_service, funded_wallet, account) for _ in range(2))
    sandbox.settle()
    for tx in (rechecked, fresh):
        apply_transfer_status(tx.payout.reference, "success", {})
    Payout.objects.filter(transaction=rechecked).update(
        last_checked_at=timezone.now() - timedelta(hours=7)
    )
    Payout.objects.filter(transaction=fresh).update(last_checked_at=None)

    assert recheck_recent_successes(payouts_service.paystack, limit=1) == 1

    assert Payout.objects.get(transaction=fresh).last_checked_at is not None
    assert Payout.objects.get(transaction=rechecked).last_checked_at < timezone.now() - timedelta(
        hours=6
    )

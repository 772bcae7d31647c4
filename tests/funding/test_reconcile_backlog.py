"""The reconcile jobs never starve: with more pending charges or refunds than one run's limit,
successive runs reach every one of them (each has its own next check), so a paid charge whose
webhook was lost or a charge that never reached Paystack is settled behind any backlog."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.funding.conftest import CALLBACK_URL
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import PaystackUnavailable
from wallet.models import Refund, Transaction, TransactionStatus
from wallet.services.funding.reconcile import reconcile_pending_charges, reconcile_pending_refunds
from wallet.services.rechecks import BACKOFF_AFTER, MAX_DELAY, delay_before_next_check
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
S = TransactionStatus
NEEDS_ATTENTION_CARD = "4084080000671902"  # refunds of it stay pending at Paystack


def never_paid(start_charge, wallet, count):
    for _ in range(count):
        start_charge(wallet, "700.00")


def charge_that_never_reached_paystack(sandbox, wallet):
    sandbox.fault("/transaction/initialize", "500")
    with pytest.raises(PaystackUnavailable):
        WalletService().initialize_card_charge(
            wallet=wallet, amount=Decimal("900"), email=wallet.user.email, callback_url=CALLBACK_URL
        )
    return Transaction.objects.latest("created_at", "id")


def test_a_backlog_larger_than_the_limit_is_covered_by_successive_runs(
    sandbox, wallet, start_charge, paid_charge
):
    never_paid(start_charge, wallet, 5)  # the oldest: a backlog nobody will ever pay
    lost_webhook = paid_charge(wallet, "640.00")  # paid, but neither callback nor webhook came
    unreached = charge_that_never_reached_paystack(sandbox, wallet)
    Transaction.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    paystack = WalletService().paystack

    reports = [reconcile_pending_charges(paystack, limit=3) for _ in range(3)]

    # 7 pending, 3 per run: the third run reaches the last one; those already asked wait for
    # their next check (at least verify_after) instead of being asked again.
    assert [report.checked for report in reports] == [3, 3, 1]
    assert Transaction.objects.get(reference=lost_webhook["reference"]).status == S.SUCCESS
    unreached.refresh_from_db()
    assert unreached.status == S.FAILED
    assert balances(wallet) == [Decimal("640.00")]
    assert not Transaction.objects.filter(status=S.PENDING, next_check_at__isnull=True).exists()
    assert_ledger_consistent()


def test_each_run_takes_the_charges_checked_longest_ago(sandbox, wallet, start_charge):
    never_paid(start_charge, wallet, 4)
    Transaction.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    paystack = WalletService().paystack

    first = set(_checked_after(lambda: reconcile_pending_charges(paystack, limit=2)))
    second = set(_checked_after(lambda: reconcile_pending_charges(paystack, limit=2)))

    assert len(first) == len(second) == 2 and not first & second


def _checked_after(run):
    before = dict(Transaction.objects.values_list("pk", "next_check_at"))
    run()
    after = dict(Transaction.objects.values_list("pk", "next_check_at"))
    return [pk for pk, due in after.items() if due != before[pk]]


def test_a_charge_nobody_pays_is_asked_about_less_often_as_it_ages():
    minimum = timedelta(minutes=3)
    assert delay_before_next_check(timedelta(minutes=4), minimum) == minimum
    assert delay_before_next_check(BACKOFF_AFTER * 2, minimum) == BACKOFF_AFTER
    assert delay_before_next_check(timedelta(days=1), minimum) == MAX_DELAY
    assert delay_before_next_check(timedelta(days=1), timedelta(hours=2)) == timedelta(hours=2)


def test_pending_refunds_beyond_the_limit_are_all_reached(sandbox, wallet, paid_charge):
    service = TransactionService()
    for _ in range(3):  # refunds Paystack keeps in needs-attention: pending here for good
        checkout = paid_charge(wallet, "800.00", card=NEEDS_ATTENTION_CARD)
        charge = WalletService().settle_card_charge(checkout["reference"])
        service.refund_transaction(charge, amount=Decimal("100.00"), reason="Asked")
    sandbox.settle()
    checkout = paid_charge(wallet, "800.00")
    charge = WalletService().settle_card_charge(checkout["reference"])
    sandbox.fault("/refund", "500", method="POST")  # the newest: its request never got through
    service.refund_transaction(charge, amount=Decimal("200.00"), reason="Asked")
    Refund.objects.update(updated_at=timezone.now() - timedelta(minutes=10))

    runs = []
    for _ in range(4):
        runs.append(reconcile_pending_refunds(service, older_than=timedelta(0), limit=2).checked)
        sandbox.settle()

    # Four pending, two per run, taken in turn: every one is asked within two runs (the oldest
    # included, which a newest-first limit would starve); the resent one is settled when its
    # turn comes again.
    assert runs == [2, 2, 2, 2]
    assert Refund.objects.get(charge=charge).status == Refund.Status.PROCESSED
    stuck = Refund.objects.filter(status=Refund.Status.PENDING)
    assert stuck.count() == 3 and not stuck.filter(next_check_at__isnull=True).exists()
    assert_ledger_consistent()

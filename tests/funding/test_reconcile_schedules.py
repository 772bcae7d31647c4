"""The reconciliation schedules exist after migrate, and their tasks finish open work once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule

from tests.wallet.money import balances
from wallet.models import Transaction
from wallet.tasks import funding as tasks

pytestmark = pytest.mark.django_db


def test_the_funding_schedules_are_installed():
    names = set(Schedule.objects.values_list("func", flat=True))
    assert {
        "wallet.tasks.funding.reconcile_pending_charges",
        "wallet.tasks.funding.reconcile_pending_refunds",
        "wallet.tasks.funding.retry_failed_webhooks",
    } <= names


def test_atomic_requests_stays_off_so_a_failing_handler_cannot_roll_back_the_stored_event():
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS", False)


def test_the_reconcile_task_credits_a_paid_charge_nobody_reported_and_is_idempotent(
    wallet, paid_charge
):
    checkout = paid_charge(wallet, "640.00")
    Transaction.objects.update(created_at=timezone.now() - timedelta(minutes=10))

    first = tasks.reconcile_pending_charges()
    second = tasks.reconcile_pending_charges()

    assert first.startswith("1 checked, 1 settled") and second.startswith("0 checked")
    assert Transaction.objects.get(reference=checkout["reference"]).status == "success"
    assert balances(wallet) == [Decimal("640.00")]


def test_an_unpaid_charge_is_abandoned_after_a_day(wallet, start_charge):
    start_charge(wallet, "640.00")
    Transaction.objects.update(created_at=timezone.now() - timedelta(days=2))

    tasks.reconcile_pending_charges()

    assert Transaction.objects.get().status == "abandoned"
    assert balances(wallet) == [Decimal("0.00")]

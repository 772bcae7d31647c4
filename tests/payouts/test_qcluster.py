"""A real `manage.py qcluster` fires the settlement schedule: the due period
is settled and its transfer sent to the sandbox, once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from tests.payouts.conftest import sandbox_transfers
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Settlement, SettlementRun, SettlementSchedule, TransactionStatus
from wallet.services.settlement_service import SettlementService

BASE_DIR = Path(__file__).resolve().parents[2]


def database_url_of_test_database():
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def wait_for(condition, timeout=40.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.django_db(transaction=True)
def test_a_real_qcluster_fires_the_schedule_and_settles_the_due_period_once(
    sandbox, funded_wallet, bank_account
):
    schedule = SettlementService().create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=bank_account,
        schedule_type="daily",
        amount_mode="fixed",
        fixed_amount="4000",
    )
    SettlementSchedule.objects.filter(pk=schedule.pk).update(
        next_settlement=timezone.now() - timedelta(minutes=1)
    )
    Schedule.objects.all().delete()
    Schedule.objects.create(
        name="process settlement schedules",
        func="wallet.tasks.payouts.process_settlement_schedules",
        schedule_type=Schedule.MINUTES,
        minutes=1,
        next_run=timezone.now(),
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_database(),
        # django-q2 runs the scheduler when its guard counter reaches 30 s of cycles: with a
        # 30 s cycle that is the very first pass, so the schedule fires as the cluster starts.
        "Q_GUARD_CYCLE": "30",
        "Q_WORKERS": "1",
        "PAYSTACK_BASE_URL": sandbox.base_url,
        "PAYSTACK_SECRET_KEY": sandbox.secret_key,
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        sent = wait_for(
            lambda: Settlement.objects.filter(
                transaction__status__in=["processing", "success"]
            ).exists()
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert sent, f"no settlement sent; runs: {list(SettlementRun.objects.values())}"
    settlement = Settlement.objects.get()
    assert settlement.schedule_id == schedule.pk and settlement.amount == Decimal("4000.00")
    assert SettlementRun.objects.get().outcome == "settled"
    assert len(sandbox_transfers(sandbox, settlement.reference)) == 1
    assert settlement.status in (TransactionStatus.PROCESSING, TransactionStatus.SUCCESS)
    assert balances(funded_wallet) == [Decimal("5990.00")]
    assert_ledger_consistent()

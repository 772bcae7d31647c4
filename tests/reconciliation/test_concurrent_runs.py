"""Two reconciliations of the same period at once (the daily job and a staff member's "run
now"), on PostgreSQL with real threads: each difference is kept as one open mismatch."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from wallet.models import ReconciliationMismatch
from wallet.paystack import PaystackClient
from wallet.services.reconciliation import reconcile_period

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_two_runs_of_one_period_at_once_keep_one_open_mismatch_per_difference(
    window_start, charge_only_paystack_has
):
    references = {charge_only_paystack_has() for _ in range(3)}
    end = timezone.now() + timedelta(milliseconds=5)
    start, runs, errors = threading.Barrier(2), [], []

    def reconcile():
        try:
            start.wait()
            runs.append(
                reconcile_period(PaystackClient(), period_start=window_start, period_end=end)
            )
        except Exception as error:  # the test must show any
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reconcile) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == [] and [run.status for run in runs] == ["completed", "completed"]
    open_ones = ReconciliationMismatch.objects.open()
    assert sorted(open_ones.values_list("reference", flat=True)) == sorted(references)
    assert [run.mismatches_found for run in runs] == [3, 3]

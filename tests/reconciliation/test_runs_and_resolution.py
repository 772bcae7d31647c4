"""Starting a run now (as the back office does), the daily schedule, and resolving a mismatch
with a note and the resolving user."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from wallet.exceptions import InvalidReconciliationPeriod, MismatchNotResolvable
from wallet.models import ReconciliationMismatch, ReconciliationRun
from wallet.services.reconciliation import ReconciliationService, yesterday
from wallet.tasks import reconciliation as tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user(email="finance@example.com", is_staff=True)


@pytest.fixture
def one_mismatch(reconcile, charge_only_paystack_has):
    charge_only_paystack_has()
    reconcile()
    return ReconciliationMismatch.objects.get()


def test_the_daily_reconciliation_is_scheduled():
    schedule = Schedule.objects.get(func="wallet.tasks.reconciliation.reconcile_yesterday")
    assert schedule.schedule_type == Schedule.DAILY


def test_the_daily_task_reconciles_yesterday_in_lagos(sandbox, monkeypatch):
    # 00:30 in Lagos on 2 January 2020 is still 1 January in UTC: the run must cover
    # 1 January in Lagos. A day that long gone also holds nothing in the session's sandbox
    # (its records stay between tests), so the run finds no mismatch.
    lagos_half_past_midnight = datetime(2020, 1, 1, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: lagos_half_past_midnight)

    result = tasks.reconcile_yesterday()

    run = ReconciliationRun.objects.get()
    assert result == f"run {run.pk} completed: 0 mismatches"
    assert (run.period_start, run.period_end) == yesterday()
    start = timezone.localtime(run.period_start)
    assert (start.date(), start.hour, start.minute) == (date(2020, 1, 1), 0, 0)
    assert str(start.tzinfo) == "Africa/Lagos"
    assert run.period_end - run.period_start == timedelta(days=1) - timedelta(milliseconds=1)


def test_a_run_started_now_is_queued_then_run_by_the_worker(
    sandbox,
    staff,
    q_sync,
    window_start,
    charge_only_paystack_has,
    django_capture_on_commit_callbacks,
):
    charge_only_paystack_has()
    with django_capture_on_commit_callbacks(execute=True):
        run = ReconciliationService().start_run_now(
            period_start=window_start, period_end=timezone.now(), started_by=staff
        )
    assert run.status == "queued"

    run.refresh_from_db()
    assert (run.status, run.started_by, run.mismatches_found) == ("completed", staff, 1)
    assert ReconciliationService().run(run.pk).finished_at == run.finished_at  # never twice


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (timedelta(0), -timedelta(hours=1)),  # ends before it starts
        (timedelta(0), timedelta(0)),  # empty
        (-timedelta(days=40), timedelta(0)),  # longer than 31 days
    ],
)
def test_a_period_that_ends_before_it_starts_or_is_too_long_is_refused(start, end):
    now = timezone.now()
    with pytest.raises(InvalidReconciliationPeriod):
        ReconciliationService().start_run_now(period_start=now + start, period_end=now + end)
    assert ReconciliationRun.objects.count() == 0


def test_resolving_a_mismatch_keeps_the_note_and_who_resolved_it(one_mismatch, staff):
    resolved = ReconciliationService().resolve_mismatch(
        mismatch=one_mismatch,
        note="  Paid on the dashboard by hand; credited manually.  ",
        resolved_by=staff,
    )

    assert (resolved.status, resolved.resolved_by) == ("resolved", staff)
    assert resolved.resolution_note == "Paid on the dashboard by hand; credited manually."
    assert resolved.resolved_at is not None


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_resolution_without_a_note_is_refused(one_mismatch, staff, note):
    with pytest.raises(MismatchNotResolvable, match="note is required"):
        ReconciliationService().resolve_mismatch(
            mismatch=one_mismatch, note=note, resolved_by=staff
        )
    one_mismatch.refresh_from_db()
    assert one_mismatch.is_open and one_mismatch.resolved_by is None


def test_a_mismatch_is_resolved_once(one_mismatch, staff):
    service = ReconciliationService()
    service.resolve_mismatch(mismatch=one_mismatch, note="Checked", resolved_by=staff)
    with pytest.raises(MismatchNotResolvable, match="already resolved"):
        service.resolve_mismatch(mismatch=one_mismatch, note="Again", resolved_by=staff)
    one_mismatch.refresh_from_db()
    assert one_mismatch.resolution_note == "Checked"


def test_a_resolved_difference_is_not_reopened_by_the_next_run(one_mismatch, staff, reconcile):
    ReconciliationService().resolve_mismatch(mismatch=one_mismatch, note="Known", resolved_by=staff)

    again = reconcile()

    assert again.mismatches_found == 0
    assert list(ReconciliationMismatch.objects.values_list("status", flat=True)) == ["resolved"]

"""Approvals that cannot be split (issue 19): the threshold counts everything one deposit has
had refunded (done and pending) and everything one maker moved today; two requests at once,
each under the threshold but not together, end with one run and one waiting for a checker."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from wallet.models import ApprovalRequest, AuditEntry, Refund
from wallet.services.backoffice import actions, exposure


@pytest.fixture
def pinned_day(monkeypatch):
    """The Lagos day starts an hour before the test (an explicit time, whatever the hour)."""
    start = timezone.now() - timedelta(hours=1)
    monkeypatch.setattr(exposure, "lagos_midnight", lambda: start)
    return start


@pytest.fixture
def threshold_1000(settings):
    settings.BACKOFFICE_APPROVAL_THRESHOLD = Decimal("1000.00")


def refund(maker, deposit, amount):
    return actions.perform(
        actor=maker, name="refund_deposit", target=deposit, raw={"amount": amount},
        reason="Customer asked",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_refund_split_in_two_still_needs_a_checker(
    make_staff, card_deposit, sandbox, threshold_1000, pinned_day
):
    deposit = card_deposit("1500.00")
    maker = make_staff("Finance")
    first = refund(maker, deposit, "1000.00")
    second = refund(maker, deposit, "500.00")
    assert first.approval is None and Refund.objects.count() == 1
    assert second.approval is not None and second.approval.amount == Decimal("500.00")
    assert "already had (1,000.00)" in AuditEntry.objects.get(outcome="requested").detail


@pytest.mark.django_db
def test_a_pending_request_counts_towards_the_next_one(
    make_staff, card_deposit, sandbox, threshold_1000, pinned_day
):
    deposit = card_deposit("2500.00")
    maker, other = make_staff("Finance"), make_staff("Finance")
    waiting = refund(maker, deposit, "1200.00")  # over the threshold: a request
    then = refund(other, deposit, "400.00")  # under it alone, not with the request
    assert waiting.approval is not None and then.approval is not None
    assert Refund.objects.count() == 0


@pytest.mark.django_db
def test_a_makers_daily_total_sends_the_rest_of_the_day_to_a_checker(
    make_staff, transfer, funded_wallet, other_wallet, settings, pinned_day
):
    settings.BACKOFFICE_MAKER_DAILY_TOTAL = Decimal("1000.00")
    maker = make_staff("Finance")
    done = actions.perform(
        actor=maker, name="reverse_transfer", target=transfer("600.00"), raw={}, reason="fraud"
    )
    waits = actions.perform(
        actor=maker, name="reverse_transfer", target=transfer("600.00"), raw={}, reason="fraud"
    )
    assert done.approval is None and waits.approval is not None
    assert "daily total" in AuditEntry.objects.get(outcome="requested").detail


@pytest.mark.django_db(transaction=True)
def test_two_refunds_at_once_each_under_the_threshold_are_not_both_run(
    make_staff, card_deposit, sandbox, threshold_1000, pinned_day
):
    deposit = card_deposit("1500.00")
    makers = [make_staff("Finance"), make_staff("Finance")]
    start, outcomes = threading.Barrier(2), []

    def go(maker, amount):
        start.wait(timeout=10)
        try:
            outcomes.append(refund(maker, deposit, amount))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=go, args=(makers[0], "800.00")),
        threading.Thread(target=go, args=(makers[1], "700.00")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2
    assert sorted(o.approval is None for o in outcomes) == [False, True]
    assert Refund.objects.count() == 1 and ApprovalRequest.objects.count() == 1

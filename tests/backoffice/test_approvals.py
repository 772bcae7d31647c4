"""Maker-checker: requests over the threshold (and every adjustment) wait for a second Finance
user; nothing moves before; the maker cannot approve; requests expire; two approvals at once
move the money once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.backoffice.conftest import last_audit
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import ActionNotAllowed, ApprovalNotPending
from wallet.models import ApprovalRequest, LedgerEntry, Transaction, TransactionStatus
from wallet.services.backoffice import actions, approvals

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_threshold(settings):
    settings.BACKOFFICE_APPROVAL_THRESHOLD = Decimal("100.00")


def request_reversal(maker, sent):
    return actions.perform(
        actor=maker, name="reverse_transfer", target=sent, raw={}, reason="Fraudulent transfer"
    ).approval


def test_a_large_reversal_waits_and_a_second_finance_user_approves_it(
    make_staff, funded_wallet, other_wallet, transfer, low_threshold, staff_client_for
):
    maker, sent = make_staff("Finance"), transfer("500.00")
    request = request_reversal(maker, sent)
    assert request.status == "pending" and request.amount == Decimal("500.00")
    assert balances(funded_wallet, other_wallet) == [Decimal("9500.00"), Decimal("500.00")]
    assert last_audit().outcome == "requested"

    checker = staff_client_for("Finance")
    page = checker.get(f"/admin/requests/{request.pk}/")
    assert page.status_code == 200 and b"Fraudulent transfer" in page.content
    checker.post(f"/admin/requests/{request.pk}/", {"decision": "approve", "note": "Checked"})

    request.refresh_from_db()
    assert request.status == "approved" and request.checker is not None
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]
    entry = last_audit()
    assert (entry.outcome, entry.approval, entry.actor) == ("approved", request, request.checker)
    assert_ledger_consistent()


def test_the_maker_cannot_approve_their_own_request(
    make_staff, funded_wallet, other_wallet, transfer, low_threshold
):
    maker = make_staff("Finance")
    request = request_reversal(maker, transfer("500.00"))
    with pytest.raises(ActionNotAllowed, match="second person"):
        approvals.approve(request=request, checker=maker, note="mine")
    request.refresh_from_db()
    assert request.status == "pending"
    assert balances(funded_wallet, other_wallet) == [Decimal("9500.00"), Decimal("500.00")]


def test_support_cannot_approve_and_a_rejection_moves_nothing(
    make_staff, staff_client_for, funded_wallet, other_wallet, transfer, low_threshold
):
    request = request_reversal(make_staff("Finance"), transfer("500.00"))
    support = staff_client_for("Support")
    refused = support.post(f"/admin/requests/{request.pk}/", {"decision": "approve", "note": "x"})
    assert refused.status_code == 403
    approvals.reject(request=request, checker=make_staff("Finance"), note="Not fraud")
    request.refresh_from_db()
    assert request.status == "rejected" and last_audit().outcome == "rejected"
    with pytest.raises(ApprovalNotPending):
        approvals.approve(request=request, checker=make_staff("Finance"), note="too late")
    assert balances(funded_wallet, other_wallet) == [Decimal("9500.00"), Decimal("500.00")]


def test_a_request_expires_after_a_day_and_then_moves_nothing(
    make_staff, funded_wallet, other_wallet, transfer, low_threshold
):
    request = request_reversal(make_staff("Finance"), transfer("500.00"))
    assert abs(request.expires_at - request.created_at - timedelta(hours=24)) < timedelta(seconds=1)
    ApprovalRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ApprovalNotPending, match="expired"):
        approvals.approve(request=request, checker=make_staff("Finance"), note="late")
    assert balances(funded_wallet, other_wallet) == [Decimal("9500.00"), Decimal("500.00")]


def test_every_adjustment_needs_approval_and_books_against_the_named_account(
    make_staff, funded_wallet
):
    maker = make_staff("Finance")
    outcome = actions.perform(
        actor=maker, name="adjust_balance", target=funded_wallet, reason="Goodwill credit",
        raw={"direction": "credit", "amount": "25.00", "account": "platform"},
    )  # fmt: skip
    assert outcome.approval is not None and balances(funded_wallet) == [Decimal("10000.00")]
    approvals.approve(request=outcome.approval, checker=make_staff("Finance"), note="OK")
    assert balances(funded_wallet) == [Decimal("10025.00")]
    adjustment = Transaction.objects.get(transaction_type="adjustment")
    rows = {(r.system_account, r.amount) for r in LedgerEntry.objects.filter(journal=adjustment)}
    assert rows == {("", Decimal("25.00")), ("platform", Decimal("-25.00"))}
    assert_ledger_consistent()


def test_an_adjustment_against_paystack_clearing_or_a_bad_amount_is_refused(
    make_staff, funded_wallet
):
    from wallet.exceptions import InvalidAmount

    maker = make_staff("Finance")
    for raw in (
        {"direction": "credit", "amount": "25.00", "account": "paystack"},
        {"direction": "credit", "amount": "1.001", "account": "platform"},
        {"direction": "sideways", "amount": "5", "account": "platform"},
    ):
        with pytest.raises(InvalidAmount):
            actions.perform(
                actor=maker, name="adjust_balance", target=funded_wallet, raw=raw, reason="x"
            )
    assert not ApprovalRequest.objects.exists()


def test_an_approved_debit_beyond_the_balance_fails_and_moves_nothing(make_staff, funded_wallet):
    maker = make_staff("Finance")
    request = actions.perform(
        actor=maker, name="adjust_balance", target=funded_wallet, reason="Chargeback",
        raw={"direction": "debit", "amount": "20000.00", "account": "platform"},
    ).approval  # fmt: skip
    with pytest.raises(Exception, match="Insufficient"):
        approvals.approve(request=request, checker=make_staff("Finance"), note="OK")
    request.refresh_from_db()
    assert request.status == "failed" and balances(funded_wallet) == [Decimal("10000.00")]
    assert last_audit().outcome == "refused"


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_move_the_money_once(make_staff, funded_wallet, low_threshold):
    import threading

    from django.db import connection

    request = actions.perform(
        actor=make_staff("Finance"), name="adjust_balance", target=funded_wallet,
        reason="Promo", raw={"direction": "credit", "amount": "300.00", "account": "platform"},
    ).approval  # fmt: skip
    checkers = [make_staff("Finance") for _ in range(6)]
    start, outcomes = threading.Barrier(len(checkers)), []

    def approve(checker):
        start.wait()
        try:
            outcomes.append(approvals.approve(request=request, checker=checker, note="go"))
        except ApprovalNotPending as refused:
            outcomes.append(refused)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(c,)) for c in checkers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert sum(isinstance(o, ApprovalNotPending) for o in outcomes) == len(checkers) - 1
    assert balances(funded_wallet) == [Decimal("10300.00")]
    assert (
        Transaction.objects.filter(
            transaction_type="adjustment", status=TransactionStatus.SUCCESS
        ).count()
        == 1
    )
    assert_ledger_consistent()

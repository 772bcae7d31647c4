"""Every refusal is audited (issue 19): the wrong role, a maker approving their own request,
a request already decided or expired, a row whose state no longer allows the action. Each
entry names the actor, the target, the reason given and why it was refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.backoffice.test_approvals import low_threshold, request_reversal  # noqa: F401
from tests.wallet.money import balances
from wallet.exceptions import ActionNotAllowed, ApprovalNotPending
from wallet.models import ApprovalRequest, AuditEntry
from wallet.services.backoffice import approvals
from wallet.services.transaction_service import TransactionService

pytestmark = pytest.mark.django_db


def refusal():
    return AuditEntry.objects.filter(outcome="refused").order_by("-id").first()


def test_a_maker_approving_their_own_request_is_audited(
    make_staff,
    funded_wallet,
    other_wallet,
    transfer,
    low_threshold,  # noqa: F811
):
    maker, sent = make_staff("Finance"), transfer("500.00")
    request = request_reversal(maker, sent)
    with pytest.raises(ActionNotAllowed):
        approvals.approve(request=request, checker=maker, note="it is fine, trust me")
    entry = refusal()
    assert (entry.actor, entry.action, entry.approval) == (maker, "reverse_transfer", request)
    assert entry.target_id == str(sent.pk) and entry.reason == "it is fine, trust me"
    assert "second person" in entry.detail


def test_a_role_posting_an_action_it_may_not_take_is_audited(staff_client_for, funded_wallet):
    support = staff_client_for("Support")
    response = support.post(
        f"/admin/do/adjust_balance/{funded_wallet.pk}/",
        {"direction": "credit", "amount": "5000", "account": "platform", "reason": "gift"},
    )
    assert response.status_code == 403
    entry = refusal()
    assert entry.action == "adjust_balance" and entry.target_id == str(funded_wallet.pk)
    assert entry.reason == "gift" and "does not allow" in entry.detail
    assert entry.actor.groups.get().name == "Support"
    assert balances(funded_wallet) == [Decimal("10000.00")]


def test_a_role_posting_a_decision_it_may_not_make_is_audited(
    make_staff,
    staff_client_for,
    transfer,
    funded_wallet,
    other_wallet,
    low_threshold,  # noqa: F811
):
    request = request_reversal(make_staff("Finance"), transfer("500.00"))
    auditor = staff_client_for("Auditor")
    response = auditor.post(f"/admin/requests/{request.pk}/", {"decision": "approve", "note": "ok"})
    assert response.status_code == 403
    entry = refusal()
    assert (entry.approval, entry.reason) == (request, "ok") and "does not allow" in entry.detail


def test_deciding_a_request_already_decided_or_expired_is_audited(
    make_staff,
    transfer,
    funded_wallet,
    other_wallet,
    low_threshold,  # noqa: F811
):
    decided = request_reversal(make_staff("Finance"), transfer("500.00"))
    approvals.reject(request=decided, checker=make_staff("Finance"), note="no")
    late = make_staff("Finance")
    with pytest.raises(ApprovalNotPending):
        approvals.approve(request=decided, checker=late, note="yes after all")
    assert (refusal().actor, refusal().approval) == (late, decided)
    assert "rejected" in refusal().detail

    stale = request_reversal(make_staff("Finance"), transfer("200.00"))
    ApprovalRequest.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(ApprovalNotPending):
        approvals.reject(request=stale, checker=late, note="tidy up")
    assert refusal().approval == stale and "expired" in refusal().detail


def test_approving_when_the_row_no_longer_allows_the_action_is_refused_and_audited(
    make_staff,
    transfer,
    funded_wallet,
    other_wallet,
    low_threshold,  # noqa: F811
):
    sent = transfer("500.00")
    request = request_reversal(make_staff("Finance"), sent)
    TransactionService().reverse_transaction(sent, reason="reversed another way")
    with pytest.raises(ActionNotAllowed, match="no longer applies"):
        approvals.approve(request=request, checker=make_staff("Finance"), note="go")
    request.refresh_from_db()
    assert request.status == "failed"
    assert refusal().approval == request and "no longer applies" in refusal().detail
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]

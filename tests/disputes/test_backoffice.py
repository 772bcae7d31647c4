"""The dispute queue and page, and the dispute StaffActions: Finance only (Support is refused,
on the page and in the service), each step audited, accept and decline above the threshold
approved by a second Finance user before any money moves."""

from decimal import Decimal

import pytest

from tests.disputes.conftest import exposure_total, held_total
from wallet.exceptions import ActionNotAllowed
from wallet.models import ApprovalRequest, AuditEntry, Dispute
from wallet.services.backoffice import actions, approvals
from wallet.services.ledger.check import check_ledger
from wallet.services.wallet_service import WalletService

D = Decimal


@pytest.fixture
def open_dispute(wallet, card_deposit, disputes):
    """A ₦1,000 deposit, ₦600 of it spent, disputed: ₦400 held, ₦600 not covered."""

    def make(amount="1000.00", spend="600.00", due_in_seconds=None):
        deposit = card_deposit(amount=amount)
        if spend:
            WalletService().withdraw(wallet=wallet, amount=D(spend), description="Groceries")
        opened = disputes.open(deposit, due_in_seconds=due_in_seconds)
        disputes.deliver("charge.dispute.create", deposit.reference)
        return Dispute.objects.get(paystack_id=opened["id"])

    return make


def do(client, name, dispute, **fields):
    return client.post(f"/admin/do/{name}/{dispute.pk}/", {"reason": "Test", **fields})


def test_the_queue_lists_open_disputes_by_due_date_with_age_and_time_left(
    staff_client_for, open_dispute
):
    later = open_dispute(spend="", due_in_seconds=7 * 86400)
    sooner = open_dispute(spend="", due_in_seconds=2 * 86400)
    page = staff_client_for("Finance").get("/admin/wallet/dispute/")
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index(f"/admin/wallet/dispute/{sooner.pk}/") < text.index(
        f"/admin/wallet/dispute/{later.pk}/"
    )
    assert "Time left" in text and "Age" in text and "1\xa0day" in text


def test_the_dispute_page_shows_the_timeline_and_the_evidence_the_site_knows(
    staff_client_for, open_dispute, user
):
    dispute = open_dispute()
    text = staff_client_for("Finance").get(f"/admin/wallet/dispute/{dispute.pk}/change/")
    text = text.content.decode()
    assert "Timeline of the deposit" in text and "Disputed by the payer" in text
    assert user.email in text and "Alice Adeyemi" in text and "wallet top-up" in text
    assert "Withdrawal 600.00" in text  # what the money was spent on
    for label in ("Upload evidence file", "Send evidence", "Accept dispute", "Decline dispute"):
        assert label in text


def test_finance_uploads_sends_evidence_and_declines_each_step_audited(
    staff_client_for, open_dispute, wallet
):
    dispute = open_dispute()
    finance = staff_client_for("Finance")
    form = finance.get(f"/admin/do/send_dispute_evidence/{dispute.pk}/").content.decode()
    assert 'value="Alice Adeyemi"' in form and "wallet top-up" in form
    assert do(finance, "upload_dispute_file", dispute).status_code == 302
    evidence = {"customer_name": "Alice Adeyemi", "customer_email": "alice@example.com",
                "customer_phone": "08012345678", "service_details": "wallet top-up"}  # fmt: skip
    assert do(finance, "send_dispute_evidence", dispute, **evidence).status_code == 302
    assert do(finance, "decline_dispute", dispute).status_code == 302
    dispute.refresh_from_db()
    wallet.refresh_from_db()
    assert dispute.status == "won" and wallet.balance == D("400.00")
    audited = AuditEntry.objects.filter(target_id=str(dispute.pk)).order_by("id")
    assert [(e.action, e.outcome) for e in audited] == [
        ("upload_dispute_file", "done"), ("send_dispute_evidence", "done"),
        ("decline_dispute", "done"),
    ]  # fmt: skip
    assert audited[2].before["status"] == "open" and audited[2].after["status"] == "won"
    assert check_ledger().ok


def test_declining_without_evidence_is_refused_and_audited(staff_client_for, open_dispute):
    dispute = open_dispute()
    finance = staff_client_for("Finance")
    do(finance, "upload_dispute_file", dispute)
    assert do(finance, "decline_dispute", dispute).status_code == 422
    assert AuditEntry.objects.filter(action="decline_dispute", outcome="refused").exists()
    dispute.refresh_from_db()
    assert dispute.is_open


def test_accepting_above_the_threshold_waits_for_a_second_finance_user(
    settings, staff_client_for, make_staff, open_dispute, wallet
):
    settings.BACKOFFICE_APPROVAL_THRESHOLD = D("500.00")
    dispute = open_dispute()
    maker = staff_client_for("Finance")
    do(maker, "upload_dispute_file", dispute)
    assert do(maker, "accept_dispute", dispute).status_code == 302
    request = ApprovalRequest.objects.get(action="accept_dispute")
    assert Dispute.objects.get(pk=dispute.pk).is_open and held_total() == D("1000.00")
    approvals.approve(request=request, checker=make_staff("Finance"), note="Checked the claim")
    dispute.refresh_from_db()
    wallet.refresh_from_db()
    assert (dispute.status, dispute.lost_amount, wallet.balance) == ("lost", D("1000.00"), 0)
    assert (held_total(), exposure_total()) == (0, 0)  # the ₦600 shortfall was written off
    with pytest.raises(Exception):
        approvals.approve(request=request, checker=make_staff("Finance"), note="again")
    assert check_ledger().ok


def test_support_is_refused_every_dispute_action(staff_client_for, make_staff, open_dispute):
    dispute = open_dispute()
    support = staff_client_for("Support")
    assert support.get(f"/admin/wallet/dispute/{dispute.pk}/change/").status_code == 200
    for name in ("upload_dispute_file", "send_dispute_evidence", "accept_dispute",
                 "decline_dispute"):  # fmt: skip
        assert support.get(f"/admin/do/{name}/{dispute.pk}/").status_code == 403
        assert do(support, name, dispute).status_code == 403
    with pytest.raises(ActionNotAllowed):
        actions.perform(
            actor=make_staff("Support"), name="accept_dispute", target=dispute, raw={},
            reason="I am not Finance",
        )  # fmt: skip
    # Both refusals are audited: the page's POST and the direct call (issue 19).
    refused = AuditEntry.objects.filter(action="accept_dispute")
    assert refused.count() == 2 and {e.outcome for e in refused} == {"refused"}
    assert Dispute.objects.get(pk=dispute.pk).is_open


def test_the_dashboard_shows_open_disputes_their_due_dates_and_the_exposure(
    staff_client_for, open_dispute
):
    open_dispute(due_in_seconds=3 * 86400)
    text = staff_client_for("Finance").get("/admin/").content.decode()
    assert "Card-payment disputes" in text and "Open disputes" in text
    assert "Dispute exposure" in text and "₦600.00" in text and "₦400.00" in text
    assert "Next due" in text


def test_a_dispute_nearing_its_due_date_is_an_alert_and_reaches_the_dashboard(
    staff_client_for, open_dispute, settings
):
    from wallet.services.backoffice import alerts

    settings.BACKOFFICE_ALERT_DISPUTE_HOURS = 48
    later = open_dispute(spend="", due_in_seconds=7 * 86400)
    sooner = open_dispute(spend="", due_in_seconds=86400)
    now = sooner.opened_at  # the due dates count from the dispute's own clock

    keys = {a.key for a in alerts.current_alerts(now)}

    assert f"dispute:{sooner.pk}" in keys and f"dispute:{later.pk}" not in keys
    finance = staff_client_for("Finance").get("/admin/").content.decode()
    assert f"Dispute {sooner.paystack_id} due" in finance

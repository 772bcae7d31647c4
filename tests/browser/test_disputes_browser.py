"""Disputes in real Chromium: a Finance user finds the dispute in the queue, uploads the
evidence file, sends the pre-filled evidence and declines (the hold is released), or accepts
(the held money leaves); every step is in the audit log."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.test_backoffice_browser import staff_log_in
from tests.funding.conftest import card_deposit, paid_charge, start_charge  # noqa: F401
from tests.wallet.money import assert_ledger_consistent
from wallet.models import AuditEntry, Dispute
from wallet.services.disputes.reconcile import sync_disputes
from wallet.services.wallet_service import WalletService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def disputed(sandbox, wallet, card_deposit):  # noqa: F811
    """A ₦1,500 card deposit, ₦500 of it spent, disputed at Paystack and found by the sync job."""
    deposit = card_deposit("1500.00")
    WalletService().withdraw(wallet=wallet, amount=Decimal("500.00"), description="Airtime")
    opened = sandbox.raise_dispute(deposit.reference, due_in_seconds=3 * 86400)
    sync_disputes()
    return Dispute.objects.get(paystack_id=opened["id"])


def confirm(page, label, reason):
    page.get_by_role("link", name=f"{label}…").click()
    page.get_by_label("Reason (kept in the audit log)").fill(reason)
    page.get_by_role("button", name=f"Confirm: {label}").click()


def test_finance_sends_evidence_and_declines_from_the_queue(
    page, live_server, make_staff, wallet, disputed
):
    staff_log_in(page, live_server, make_staff("Finance"), "/admin/wallet/dispute/")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("₦1,500.00")
    expect(row).to_contain_text("2\xa0days")  # time left
    row.get_by_role("link", name=str(disputed.paystack_id)).click()
    expect(page.get_by_role("heading", name="Timeline of the deposit")).to_be_visible()
    expect(page.get_by_text("Disputed by the payer's bank")).to_be_visible()

    confirm(page, "Upload evidence file", "Receipt for the bank")
    expect(page.locator(".messagelist")).to_contain_text("uploaded to Paystack")
    page.get_by_role("link", name="Send evidence…").click()
    expect(page.get_by_label("Customer name")).to_have_value("Alice Adeyemi")
    expect(page.get_by_label("Service details")).to_contain_text("wallet top-up")
    page.get_by_label("Customer phone").fill("08012345678")  # not on this customer's record
    page.get_by_label("Reason (kept in the audit log)").fill("The customer topped up")
    page.get_by_role("button", name="Confirm: Send evidence").click()
    expect(page.locator(".messagelist")).to_contain_text("evidence was sent")
    confirm(page, "Decline dispute", "Our evidence shows the customer paid")
    expect(page.locator(".messagelist")).to_contain_text("Won")

    wallet.refresh_from_db()
    assert wallet.balance == Decimal("1000.00")
    assert list(
        AuditEntry.objects.filter(target_id=str(disputed.pk))
        .order_by("id")
        .values_list("action", "outcome")
    ) == [
        ("upload_dispute_file", "done"),
        ("send_dispute_evidence", "done"),
        ("decline_dispute", "done"),
    ]
    assert_ledger_consistent()


def test_finance_accepts_and_the_held_money_leaves(page, live_server, make_staff, wallet, disputed):
    staff_log_in(
        page, live_server, make_staff("Finance"), f"/admin/wallet/dispute/{disputed.pk}/change/"
    )
    confirm(page, "Upload evidence file", "Receipt")
    confirm(page, "Accept dispute", "The customer does not answer")
    expect(page.locator(".messagelist")).to_contain_text("Lost")
    disputed.refresh_from_db()
    wallet.refresh_from_db()
    assert (disputed.status, wallet.balance) == ("lost", Decimal("0.00"))
    assert AuditEntry.objects.get(action="accept_dispute").outcome == "done"
    assert_ledger_consistent()

"""The back office in real Chromium: staff sign in with password and TOTP, a Finance user
refunds a deposit with a reason and finds the audit entry, a second Finance user approves a
large reversal, and Support opens a customer page with no refund action on it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.backoffice.conftest import transfer  # noqa: F401
from tests.fixtures.backoffice import TOTP_SECRET, current_code
from tests.funding.conftest import card_deposit, paid_charge, start_charge  # noqa: F401
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import AuditEntry, Refund
from wallet.services.backoffice import actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_log_in(page, live_server, user, path="/admin/"):
    """Password, then the TOTP code, through allauth; lands on `path`."""
    page.goto(live_server.url + path)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label(re.compile("code", re.I)).fill(current_code(TOTP_SECRET))
    page.get_by_role("button", name=re.compile("Sign In|Confirm", re.I)).click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def test_finance_refunds_a_deposit_with_a_reason_and_finds_the_audit_entry(
    page,
    live_server,
    sandbox,
    make_staff,
    wallet,
    card_deposit,  # noqa: F811
):
    deposit = card_deposit("1500.00")
    staff_log_in(page, live_server, make_staff("Finance"), "/admin/wallet/refundabledeposit/")
    page.get_by_role("link", name=deposit.reference).click()
    page.get_by_role("link", name="Refund deposit…").click()
    expect(page.get_by_text("₦1,500.00", exact=True)).to_be_visible()
    page.get_by_label("Amount (₦)").fill("400")
    page.get_by_label("Reason (kept in the audit log)").fill("Double charge at the till")
    page.get_by_role("button", name="Confirm: Refund deposit").click()
    expect(page.locator(".messagelist")).to_contain_text("of 400.00")
    assert Refund.objects.get().amount == Decimal("400.00")
    assert balances(wallet) == [Decimal("1100.00")]

    page.goto(live_server.url + "/admin/wallet/auditentry/")
    page.get_by_role("textbox").first.fill("Double charge")
    page.keyboard.press("Enter")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("refund_deposit")
    expect(row).to_contain_text("₦400.00")
    expect(row).to_contain_text("Double charge at the till")
    assert AuditEntry.objects.get(action="refund_deposit").actor.groups.filter(name="Finance")


def test_a_second_finance_user_approves_a_large_reversal(
    page,
    live_server,
    settings,
    make_staff,
    funded_wallet,
    other_wallet,
    transfer,  # noqa: F811
):
    settings.BACKOFFICE_APPROVAL_THRESHOLD = Decimal("1000.00")
    sent = transfer("2500.00")
    request = actions.perform(
        actor=make_staff("Finance"), name="reverse_transfer", target=sent, raw={},
        reason="Customer reports account takeover",
    ).approval  # fmt: skip
    assert balances(funded_wallet, other_wallet) == [Decimal("7500.00"), Decimal("2500.00")]

    staff_log_in(page, live_server, make_staff("Finance"), "/admin/wallet/approvalrequest/")
    page.get_by_role("link", name="Approve or reject…").click()
    expect(page.get_by_text("Customer reports account takeover").first).to_be_visible()
    expect(page.get_by_text("₦2,500.00").first).to_be_visible()
    page.get_by_label("Note (kept in the audit log)").fill("Confirmed with the customer by phone")
    page.get_by_role("button", name="Approve and run").click()
    expect(page.locator(".messagelist")).to_contain_text("Reversed")
    request.refresh_from_db()
    assert request.status == "approved"
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]
    assert_ledger_consistent()


def test_support_opens_a_customer_page_and_has_no_refund_action(
    page,
    live_server,
    sandbox,
    make_staff,
    wallet,
    card_deposit,  # noqa: F811
):
    deposit = card_deposit("900.00")
    staff_log_in(page, live_server, make_staff("Support"), "/admin/accounts/user/")
    page.get_by_role("link", name="Open 360").first.click()
    expect(page.get_by_role("heading", name="Wallets")).to_be_visible()
    expect(page.get_by_text(deposit.reference)).to_be_visible()
    expect(page.get_by_role("link", name="Lock wallet…")).to_be_visible()
    expect(page.get_by_text("Refund deposit")).to_have_count(0)
    page.goto(f"{live_server.url}/admin/do/refund_deposit/{deposit.pk}/")
    expect(page.get_by_text("Refund deposit…")).to_have_count(0)
    assert not Refund.objects.exists()

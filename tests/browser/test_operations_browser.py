"""Issue 21 in real Chromium, as Support at 3 a.m.: a caller reads out their phone number as
they write it (`0803 000 0001`) and a piece of a reference; the customer page opens; the
wallet is locked with a reason; the transaction's timeline shows the lock and the reason."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.test_backoffice_browser import staff_log_in
from wallet.models import AuditEntry, Wallet
from wallet.services.wallet_service import WalletService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_support_finds_a_caller_by_phone_and_reference_locks_them_and_sees_the_timeline(
    page, live_server, make_staff, funded_wallet, other_wallet, user
):
    user.phone = "+2348030000001"
    user.save(update_fields=["phone"])
    sent = WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("750.00")
    )
    staff_log_in(page, live_server, make_staff("Support"))

    search = page.get_by_role("searchbox", name="Find anything")
    search.fill("0803 000 0001")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    page.get_by_role("link", name=re.compile("Alice")).first.click()
    expect(page.get_by_role("heading", name="Identity and status")).to_be_visible()
    expect(page.get_by_text("+2348030000001")).to_be_visible()

    fragment = sent.reference[-8:].lower()
    page.get_by_role("searchbox", name="Find anything").fill(fragment)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=sent.reference, exact=True)).to_be_visible()
    page.get_by_role("link", name=user.email).first.click()

    page.get_by_role("link", name="Lock wallet…").click()
    page.get_by_label("Reason (kept in the audit log)").fill("Caller reports a stolen phone")
    page.get_by_role("button", name="Confirm: Lock wallet").click()
    expect(page.locator(".messagelist")).to_contain_text("The wallet is locked")
    assert Wallet.objects.get(pk=funded_wallet.pk).is_locked
    assert AuditEntry.objects.get(action="lock_wallet").reason == "Caller reports a stolen phone"

    page.goto(f"{live_server.url}/admin/customer/{user.pk}/")
    page.get_by_role("link", name="timeline").first.click()
    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline).to_contain_text("Created: Transfer of ₦750.00")
    expect(timeline).to_contain_text("lock wallet")
    expect(timeline).to_contain_text("Caller reports a stolen phone")
    expect(timeline).to_contain_text("WAT")

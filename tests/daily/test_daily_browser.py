"""Issue 23 in real Chromium at a laptop's and a phone's size: money arrives, the bell's count
rises without a reload, the notification opens the receipt, the e-mail left once; and the
card-success message reads as one sentence (bug 3)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import assert_no_template_syntax, htmx_ready, log_in
from tests.funding.conftest import CALLBACK_URL
from wallet.services.wallet_service import WalletService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"laptop": (1366, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_money_received_raises_the_bell_without_a_reload_and_opens_the_receipt(
    page, live_server, size, funded_wallet, other_wallet, other_user, mailoutbox, q_sync
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, other_user.email)
    htmx_ready(page)
    bell = page.get_by_test_id("notification-bell")
    expect(bell).to_be_visible()
    expect(page.get_by_test_id("bell-count")).to_have_count(0)

    WalletService().transfer(  # Alice pays Bob while his dashboard is open
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("5000")
    )

    expect(page.get_by_test_id("bell-count")).to_have_text("1", timeout=15_000)  # no reload
    expect(page.get_by_test_id("balance")).to_have_text("₦5,000.00")
    assert_no_template_syntax(page)
    bell.click()
    htmx_ready(page)
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.get_by_role("button", name=re.compile("Alice Adeyemi sent you ₦5,000.00")).click()
    htmx_ready(page)
    expect(page.get_by_test_id("receipt-amount")).to_contain_text("₦5,000.00")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)  # read now

    to_bob = [message for message in mailoutbox if message.to == [other_user.email]]
    assert [m.subject for m in to_bob] == ["[Paystack Wallet] Alice Adeyemi sent you ₦5,000.00"]


@pytest.mark.parametrize("size", SIZES)
def test_the_card_success_message_reads_as_one_sentence(
    page, live_server, size, user, wallet, sandbox
):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    checkout = WalletService().initialize_card_charge(
        wallet=wallet, amount=Decimal("20000"), email=user.email, callback_url=CALLBACK_URL
    )
    sandbox.complete_checkout(checkout["authorization_url"])
    log_in(page, live_server, user.email)

    page.goto(f"{live_server.url}/wallet/deposit/callback/?reference={checkout['reference']}")
    htmx_ready(page)

    message = page.get_by_test_id("charge-status").locator(".alert")
    # innerText follows the layout: flex items (the bug) come out one per line.
    text = message.inner_text()
    assert "\n" not in text.strip()
    assert text.strip() == "₦20,000.00 added to your wallet. Your balance is now ₦20,000.00."


def test_the_account_settings_tabs_all_fit_on_a_phone(page, live_server, user):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, user.email)
    page.goto(live_server.url + "/accounts/2fa/")
    htmx_ready(page)

    tabs = page.locator(".settings-nav a")
    expect(tabs).to_have_count(5)
    for index in range(5):
        box = tabs.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, tabs.nth(index).inner_text()

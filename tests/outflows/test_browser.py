"""Safe outflows in real Chromium against a live server and the sandbox: withdraw through the
review with the PIN (a second Enter sends nothing more), the first PIN chosen on the first
send, and safety mode after a sign-in from a fresh browser context."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.outflows.conftest import PIN
from tests.web.browser_helpers import settled
from wallet.models import Payout, Wallet
from wallet.services.outflows.pin import has_pin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_withdraw_review_pin_done_and_a_second_enter_does_not_send_twice(
    page, live_server, sandbox, user, pin_of, funded_wallet, bank_account, q_sync
):
    pin_of(user)
    sandbox.configure(webhook_url=live_server.url + "/wallet/webhook/")
    log_in(page, live_server, user.email)
    page.goto(live_server.url + "/wallet/withdraw/")
    page.get_by_label("Amount").fill("1500")
    page.get_by_test_id("withdraw-review").click()
    expect(page.get_by_test_id("review-name")).to_have_text("Zenith Test Account")
    expect(page.get_by_test_id("review-total")).to_have_text("₦1,510.00")
    settled(page)
    page.get_by_label("Transaction PIN").fill(PIN)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # impatient: the button is disabled while the first goes
    expect(page.get_by_test_id("payout-status")).to_have_text("Successful", timeout=15_000)
    assert Payout.objects.count() == 1
    funded_wallet.refresh_from_db()
    assert str(funded_wallet.balance) == "8490.00"


def test_the_first_send_asks_for_a_new_pin_and_sends(
    page, live_server, user, funded_wallet, other_wallet
):
    log_in(page, live_server, user.email)
    page.goto(live_server.url + "/wallet/send/")
    page.get_by_label("Recipient's @handle, e-mail or phone").fill("bob@example.com")
    page.get_by_label("Amount (₦)").fill("1200")
    page.get_by_label("Amount (₦)").press("Enter")
    expect(page.get_by_test_id("recipient-name")).to_have_text("Bob B.")
    expect(page.get_by_text("Choose your transaction PIN")).to_be_visible()
    settled(page)
    page.get_by_label("New PIN", exact=True).fill("4826")
    page.get_by_label("New PIN again").fill("4826")
    page.get_by_test_id("send-submit").click()
    expect(page.get_by_test_id("send-done")).to_contain_text("Sent ₦1,200.00 to Bob B.")
    assert has_pin(user)


def test_a_sign_in_from_a_fresh_browser_context_puts_the_wallet_in_safety_mode(
    browser, live_server, user, funded_wallet
):
    known = browser.new_context().new_page()
    log_in(known, live_server, user.email)  # the first browser this user signs in with
    expect(known.get_by_test_id("tier-status")).to_be_visible()
    expect(known.get_by_test_id("safety-mode")).to_have_count(0)

    fresh = browser.new_context().new_page()
    log_in(fresh, live_server, user.email)
    expect(fresh.get_by_test_id("safety-mode")).to_contain_text("You signed in on a new device")
    expect(fresh.get_by_test_id("safety-mode")).to_contain_text("₦20,000.00 left")
    assert Wallet.objects.get(pk=funded_wallet.pk).safety_until is not None
    known.context.close()
    fresh.context.close()

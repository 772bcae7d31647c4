"""Send money in real Chromium with the keyboard alone, including an inline refusal."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.web.browser_helpers import settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(page, live_server, user, funded_wallet, other_wallet):
    log_in(page, live_server, user.email)
    return page


def test_send_money_with_the_keyboard_alone(signed_in, live_server):
    page = signed_in
    page.goto(live_server.url + "/wallet/send/")
    page.get_by_label("Recipient's e-mail or wallet ID").focus()
    page.keyboard.type("bob@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("20000")  # more than the ₦10,000 in the wallet
    page.keyboard.press("Enter")
    # The review re-checks the balance first and says so, before any confirmation.
    expect(page.get_by_test_id("send-error")).to_contain_text("Insufficient funds")
    expect(page.get_by_label("Amount (₦)")).to_have_value("20000")  # as typed

    settled(page)
    page.get_by_label("Amount (₦)").fill("2500")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("recipient-name")).to_have_text("Bob Bello")
    settled(page)
    # "Send" is not autofocused (a stray Enter must not send): the user tabs to it.
    page.get_by_test_id("send-submit").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("send-done")).to_contain_text("Sent ₦2,500.00 to Bob Bello")
    expect(page.locator("#toasts")).to_contain_text("Sent ₦2,500.00 to Bob Bello")

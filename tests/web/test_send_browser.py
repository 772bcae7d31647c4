"""Send money in real Chromium with the keyboard alone: by @handle, confirmed by the masked
name, with the review step refusing more than the balance (and naming it) in place."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.web.browser_helpers import settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(page, live_server, user, funded_wallet, other_wallet):
    other_wallet.user.handle = "bobby"
    other_wallet.user.save(update_fields=["handle"])
    log_in(page, live_server, user.email)
    return page


def test_send_money_by_handle_with_the_keyboard_alone(signed_in, live_server):
    page = signed_in
    page.goto(live_server.url + "/wallet/send/")
    page.get_by_label("Recipient's @handle, e-mail or phone").focus()
    page.keyboard.type("@Bobby")
    expect(page.get_by_test_id("recipient-preview")).to_have_text("Bob B.")
    page.keyboard.press("Tab")
    page.keyboard.type("20000")  # more than the ₦10,000 in the wallet
    page.keyboard.press("Enter")

    # Refused before any confirmation, naming the balance and what the payment needs.
    expect(page.locator("#send-form")).to_contain_text("₦10,000.00")
    expect(page.locator("#send-form")).to_contain_text("₦20,000.00")
    expect(page.get_by_test_id("recipient-name")).to_have_count(0)
    expect(page.get_by_label("Amount (₦)")).to_have_value("20000")  # as typed

    settled(page)
    page.get_by_label("Amount (₦)").fill("2500")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("recipient-name")).to_have_text("Bob B.")
    expect(page.get_by_test_id("recipient-handle")).to_have_text("@bobby")
    settled(page)
    # "Send" is not autofocused (a stray Enter must not send): the user tabs to it.
    page.get_by_test_id("send-submit").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("send-done")).to_contain_text("Sent ₦2,500.00 to Bob B.")
    expect(page.locator("#toasts")).to_contain_text("Sent ₦2,500.00 to Bob B.")

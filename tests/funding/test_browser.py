"""Funding in real Chromium against a live server and the sandbox (its checkout page, its
webhooks to our /wallet/webhook/, processed inline)."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.funding.conftest import DECLINED_CARD, PIN_OTP_CARD, SUCCESS_CARD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(page, live_server, sandbox, user, q_sync):
    """Logged in, with the sandbox's webhooks pointed at the live server."""
    sandbox.configure(webhook_url=live_server.url + "/wallet/webhook/")
    log_in(page, live_server, user.email)
    return page


def start_deposit(page, live_server, amount):
    page.goto(live_server.url + "/wallet/deposit/")
    page.locator("#card-form").get_by_label("Amount").fill(amount)
    page.get_by_test_id("pay-with-card").click()
    expect(page.get_by_label("Card number")).to_be_visible()


def pay(page, card):
    page.get_by_label("Card number").fill(card)
    page.get_by_role("button", name=re.compile(r"^Pay NGN")).click()


@pytest.mark.browser
def test_deposit_with_the_success_card_then_charge_the_saved_card(shop, live_server):
    start_deposit(shop, live_server, "2500")
    pay(shop, SUCCESS_CARD)

    expect(shop.get_by_test_id("charge-status")).to_have_attribute("data-status", "success")
    expect(shop.get_by_test_id("balance").first).to_contain_text("2,500.00")

    shop.goto(live_server.url + "/wallet/cards/")
    shop.get_by_label("Amount").fill("1000")
    shop.get_by_test_id("charge-card").click()
    expect(shop.get_by_text("₦1000.00 added to your wallet.")).to_be_visible()
    expect(shop.get_by_test_id("balance")).to_contain_text("3,500.00")


@pytest.mark.browser
def test_deposit_with_the_pin_and_otp_card(shop, live_server):
    start_deposit(shop, live_server, "7500")
    pay(shop, PIN_OTP_CARD)
    shop.get_by_label("Card PIN").fill("1234")
    shop.get_by_role("button", name="Continue").click()
    shop.get_by_label("OTP").fill("123456")
    shop.get_by_role("button", name="Continue").click()

    expect(shop.get_by_test_id("charge-status")).to_have_attribute("data-status", "success")
    expect(shop.get_by_test_id("balance").first).to_contain_text("7,500.00")


@pytest.mark.browser
def test_a_declined_card_then_cancel_credits_nothing(shop, live_server):
    start_deposit(shop, live_server, "1200")
    pay(shop, DECLINED_CARD)
    expect(shop.get_by_text("Declined").first).to_be_visible()
    shop.get_by_role("button", name="Cancel").click()

    # The issuer's reason survives the cancel (issue 23, bug 9): not "cancelled"/"abandoned".
    expect(shop.get_by_test_id("charge-status")).to_have_attribute("data-status", "failed")
    expect(shop.get_by_test_id("charge-outcome")).to_contain_text("Not completed: Declined.")
    expect(shop.get_by_test_id("balance").first).to_contain_text("0.00")


@pytest.mark.browser
def test_a_bank_transfer_to_the_dedicated_account_shows_up_in_the_balance(
    shop, live_server, sandbox
):
    shop.goto(live_server.url + "/wallet/dedicated-account/")
    shop.get_by_test_id("get-account-number").click()
    number = shop.get_by_test_id("account-number").inner_text().strip()

    sandbox.send_dva_transfer(number, 4_200_000, sender_name="NGOZI EZE")

    expect(shop.get_by_test_id("balance")).to_contain_text("42,000.00", timeout=15_000)

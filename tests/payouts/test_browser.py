"""Payouts in real Chromium against a live server and the sandbox (whose transfer webhooks
reach our /wallet/webhook/ and are processed inline)."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_user
from tests.fixtures.browser import log_in, reauthenticate
from wallet.models import Payout
from wallet.services.outflows.transfer_otp import enter_transfer_otp_for_staff
from wallet.services.wallet_service import WalletService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(page, live_server, sandbox, user, q_sync):
    sandbox.configure(webhook_url=live_server.url + "/wallet/webhook/")
    log_in(page, live_server, user.email)
    return page


def release_with_finance_otp(transaction):
    """What Finance does in the back office's queue: enter the OTP sent to the business."""
    finance = make_user(email="finance@example.com", is_staff=True, is_superuser=True)
    enter_transfer_otp_for_staff(
        WalletService().paystack, transaction=transaction, otp="123456", by=finance
    )


def test_add_a_bank_account_then_withdraw_and_finance_releases_it_with_the_otp(
    signed_in, live_server, sandbox, funded_wallet, synced_banks
):
    page = signed_in
    page.goto(live_server.url + "/wallet/bank-accounts/add/")
    reauthenticate(page)  # adding an account needs a recent password
    page.get_by_label("Bank", exact=True).select_option("057")  # not "Search banks"
    page.get_by_label("Account number").fill("0000000000")
    expect(page.get_by_test_id("resolved-name")).to_have_text("Zenith Test Account")
    page.get_by_test_id("save-bank-account").click()
    expect(page.get_by_test_id("bank-account")).to_contain_text("Zenith Test Account")

    sandbox.configure(transfer_otp=True)
    page.goto(live_server.url + "/wallet/withdraw/")
    page.get_by_label("Amount").fill("1500")
    expect(page.get_by_test_id("fee-preview")).to_contain_text("Fee ₦10.00")
    page.get_by_test_id("withdraw-review").click()
    expect(page.get_by_test_id("review-total")).to_have_text("₦1,510.00")
    page.get_by_test_id("withdraw-submit").click()
    # Paystack's OTP goes to the business: the customer waits, Finance enters it.
    expect(page.get_by_test_id("payout-status")).to_have_text("Waiting for approval")
    expect(page.get_by_role("textbox", name="OTP")).to_have_count(0)
    release_with_finance_otp(Payout.objects.get().transaction)
    expect(page.get_by_test_id("payout-status")).to_have_text("Successful", timeout=15000)
    funded_wallet.refresh_from_db()
    assert str(funded_wallet.balance) == "8490.00"


def test_create_a_weekly_schedule_then_pause_it(signed_in, live_server, stored_bank_account):
    page = signed_in
    page.goto(live_server.url + "/wallet/settlements/")
    page.get_by_test_id("new-schedule").click()
    page.get_by_label("How often").select_option("weekly")
    page.get_by_label("Day of the week").select_option(label="Friday")
    page.get_by_label("Time of day").fill("17:30")
    page.get_by_label("An amount I choose").check()
    page.get_by_label("Fixed amount (₦)").fill("2500")
    page.get_by_test_id("save-schedule").click()
    schedule = page.get_by_test_id("schedule")
    expect(schedule).to_contain_text("Weekly on Friday at 17:30")
    expect(schedule).to_contain_text("₦2,500.00")
    expect(page.get_by_test_id("schedule-state")).to_have_text("Active")
    page.get_by_test_id("pause-schedule").click()
    expect(page.get_by_test_id("schedule-state")).to_have_text("Paused")

"""The whole web app in real Chromium, against a live server and the Paystack sandbox.

A new customer signs up (names and a phone number), adds money by card at the sandbox's
checkout, and sends some to a second customer, found by their @handle, whose dashboard (open in
another browser context) shows the money arrive without a reload. The second customer adds a
bank account (account number first, then the bank picker) and withdraws. Both histories and
balances are checked on screen and in the ledger. Screenshots land in docs/screenshots/.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.fixtures.browser import log_in, reauthenticate
from tests.wallet.money import assert_ledger_consistent, balances
from tests.web.browser_helpers import settled
from tests.web.history_data import ensure_payout_fees
from wallet.services.wallet_service import WalletService

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "kobo-safe-Passw0rd!"
SUCCESS_CARD = "4084084084084081"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def q_sync(monkeypatch):
    """django-q2 runs tasks inline (webhook processing, payout calls): its test mode."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def journey_world(live_server, sandbox, q_sync, make_user):
    """The sandbox's webhooks point at the live server; banks synced; default payout fees
    (a transactional test elsewhere may have flushed the migration's rows)."""
    sandbox.configure(webhook_url=live_server.url + "/wallet/webhook/", transfer_otp=False)
    call_command("sync_banks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ensure_payout_fees()
    return make_user(
        email="tunde@example.com",
        first_name="Tunde",
        last_name="Bakare",
        phone="+2348035550123",
        handle="tunde",
    )


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def sign_up_and_confirm(page, live_server, mailoutbox, email):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("First name").fill("Ngozi")
    page.get_by_label("Last name").fill("Eze")
    page.get_by_label("Phone number").fill("0803 555 0199")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mailoutbox[-1].body).group(0)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/wallet/$"))


def add_money_by_card(page, live_server, amount):
    page.goto(live_server.url + "/wallet/deposit/")
    page.get_by_label("Amount").fill(amount)
    page.get_by_test_id("pay-with-card").click()
    page.get_by_label("Card number").fill(SUCCESS_CARD)
    page.get_by_role("button", name=re.compile(r"^Pay NGN")).click()
    expect(page.get_by_test_id("charge-status")).to_have_attribute("data-status", "success")
    expect(page.get_by_test_id("amount-added")).to_have_text("₦20,000.00 added")
    expect(page.get_by_test_id("new-balance")).to_have_text("₦20,000.00")  # not the old one


def send_money(page, live_server, recipient, amount, description):
    page.goto(live_server.url + "/wallet/send/")
    page.get_by_label("Recipient's @handle, e-mail or phone").fill(recipient)
    expect(page.get_by_test_id("recipient-preview")).to_have_text("Tunde B.")
    page.get_by_label("Amount (₦)").fill(amount)
    page.get_by_label("What's it for? (optional)").fill(description)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("recipient-name")).to_have_text("Tunde B.")
    settled(page)
    shot(page, "2-send-confirm")
    page.get_by_role("button", name=re.compile(r"^Send ₦")).click()
    expect(page.get_by_test_id("send-done")).to_contain_text("Sent ₦5,000.00 to Tunde B.")


def add_bank_account_and_withdraw(page, live_server, password, amount):
    page.goto(live_server.url + "/wallet/bank-accounts/add/")
    reauthenticate(page, password)  # adding an account needs a recent password
    page.get_by_label("Account number").fill("0000000000")
    page.get_by_label("Search banks").fill("zenith")  # one match: chosen at once
    expect(page.get_by_label("Bank", exact=True)).to_have_value("057")
    expect(page.get_by_test_id("resolved-name")).to_have_text("Zenith Test Account")
    expect(page.get_by_test_id("name-differs")).to_contain_text("not Tunde Bakare")
    page.get_by_test_id("save-bank-account").click()
    expect(page.get_by_test_id("bank-account")).to_contain_text("Zenith Test Account")
    page.goto(live_server.url + "/wallet/withdraw/")
    page.get_by_label("Amount").fill(amount)
    expect(page.get_by_test_id("fee-preview")).to_contain_text("Fee ₦10.00")
    page.get_by_test_id("withdraw-review").click()
    expect(page.get_by_test_id("review-name")).to_have_text("Zenith Test Account")
    page.get_by_test_id("withdraw-submit").click()
    expect(page.get_by_test_id("payout-status")).to_have_text("Successful", timeout=15_000)
    shot(page, "5-withdrawal")


def test_sign_up_add_money_send_it_see_it_arrive_and_withdraw(
    browser, live_server, mailoutbox, journey_world, sandbox
):
    tunde = journey_world
    ngozi_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tunde_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    sign_up_and_confirm(ngozi_page, live_server, mailoutbox, "ngozi@example.com")
    add_money_by_card(ngozi_page, live_server, "20000")
    ngozi_page.goto(live_server.url + "/wallet/")
    expect(ngozi_page.get_by_test_id("balance")).to_have_text("₦20,000.00")
    shot(ngozi_page, "1-dashboard-after-deposit")

    log_in(tunde_page, live_server, tunde.email, "correct-horse-battery")
    expect(tunde_page.get_by_test_id("balance")).to_have_text("₦0.00")
    tunde_page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

    expect(ngozi_page.get_by_test_id("profile-prompt")).to_be_visible()  # no handle yet
    send_money(ngozi_page, live_server, "@tunde", "5000", "Owambe aso-ebi")

    expect(tunde_page.get_by_test_id("balance")).to_have_text("₦5,000.00", timeout=12_000)
    expect(tunde_page.get_by_test_id("recent-transactions")).to_contain_text("Owambe aso-ebi")
    assert tunde_page.evaluate("window.__sameDocument") is True
    shot(tunde_page, "3-money-arrived")

    add_bank_account_and_withdraw(tunde_page, live_server, "correct-horse-battery", "2000")

    tunde_page.goto(live_server.url + "/wallet/transactions/")
    history = tunde_page.get_by_test_id("history-table")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").nth(0)).to_contain_text("₦2,010.00")
    expect(history.locator("tbody tr").nth(1)).to_contain_text("₦5,000.00")
    shot(tunde_page, "4-history")
    tunde_page.goto(live_server.url + "/wallet/")
    expect(tunde_page.get_by_test_id("balance")).to_have_text("₦2,990.00")

    ngozi_page.goto(live_server.url + "/wallet/transactions/")
    rows = ngozi_page.get_by_test_id("history-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("To Tunde Bakare")
    expect(rows.nth(1)).to_contain_text("₦20,000.00")
    ngozi_page.set_viewport_size({"width": 390, "height": 844})
    ngozi_page.goto(live_server.url + "/wallet/")
    expect(ngozi_page.get_by_test_id("balance")).to_have_text("₦15,000.00")
    shot(ngozi_page, "6-dashboard-phone")

    ngozi = WalletService().get_wallet(get_user_model().objects.get(email="ngozi@example.com"))
    tunde_wallet = WalletService().get_wallet(tunde)
    assert balances(ngozi, tunde_wallet) == [Decimal("15000.00"), Decimal("2990.00")]
    assert_ledger_consistent()

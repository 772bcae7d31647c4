"""What customers see, in real Chromium against the sandbox: rows that moved no money say
so, the dedicated account number is copied and shared, a shared receipt renders."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.fixtures.browser import htmx_ready, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def failed_withdrawal(sandbox, funded_wallet):
    from wallet.services.wallet_service import WalletService

    call_command("sync_banks", stdout=io.StringIO())
    service = WalletService()
    account = service.add_bank_account(
        wallet=funded_wallet, bank_code="057", account_number="0000000000", account_name=None
    )
    sandbox.configure(balance=0)  # Paystack refuses the transfer: the money comes back
    tx, _ = service.withdraw_to_bank(wallet=funded_wallet, amount="2500", bank_account=account)
    assert tx.status == "failed"
    return tx


@pytest.fixture
def abandoned_checkout(sandbox, funded_wallet):
    from wallet.services.wallet_service import WalletService

    checkout = WalletService().initialize_card_charge(
        wallet=funded_wallet,
        amount=Decimal("5000"),
        email=funded_wallet.user.email,
        callback_url="http://testserver/wallet/deposit/callback/",
    )
    cancelled = sandbox.cancel_checkout(checkout["authorization_url"])
    return cancelled.redirect_url.replace("http://testserver", "")  # where Paystack sends back


def test_a_failed_withdrawal_and_an_abandoned_checkout_read_as_no_money_moved(
    page, live_server, user, failed_withdrawal, abandoned_checkout
):
    log_in(page, live_server, user.email)
    page.goto(live_server.url + abandoned_checkout)  # back from Paystack: "Not completed"
    page.goto(live_server.url + "/wallet/transactions/")
    htmx_ready(page)

    withdrawal = page.locator(f"#tx-{failed_withdrawal.pk}")
    expect(withdrawal.get_by_test_id("tx-outcome")).to_have_text("Returned to your wallet")
    expect(withdrawal.locator(".amount")).to_contain_text("₦2,5")
    assert "−" not in withdrawal.locator(".amount").evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    deposit = page.locator("tr", has_text="Money added").filter(has_text="Not completed")
    expect(deposit.get_by_test_id("tx-outcome")).to_have_text("No money moved")
    assert deposit.locator(".amount").evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    ) in ("none", "normal")

    page.goto(live_server.url + "/wallet/")
    expect(page.get_by_test_id("month-flows")).to_contain_text("out ₦0.00")
    # The abandoned ₦5,000.00 checkout is folded away (the failed withdrawal stays, returned).
    expect(page.get_by_test_id("recent-transactions")).not_to_contain_text("₦5,000.00")


def test_copy_and_share_the_account_number_then_a_shared_receipt_renders(
    page, live_server, user, sandbox, funded_wallet, other_wallet
):
    from wallet.services.wallet_service import WalletService

    service = WalletService()
    account = service.request_dedicated_account(funded_wallet)
    sent = service.transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("1500")
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, live_server, user.email)
    page.goto(live_server.url + "/wallet/dedicated-account/")
    htmx_ready(page)

    page.get_by_test_id("copy-account-number").click()
    expect(page.locator("#toasts")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == account.account_number

    # Debian's Chromium on Linux has no share sheet, so Share falls back to the clipboard.
    assert page.evaluate("typeof navigator.share") == "undefined"
    page.get_by_test_id("share-account-details").click()
    expect(page.locator("#toasts")).to_contain_text("paste them into WhatsApp")
    shared = page.evaluate("navigator.clipboard.readText()")
    assert shared.startswith("Send money to my wallet:")
    assert f"Account number: {account.account_number}" in shared
    whatsapp = page.get_by_test_id("whatsapp-account-details").get_attribute("href")
    assert whatsapp.startswith("https://wa.me/?text=Send%20money%20to%20my%20wallet")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/wallet/transactions/{sent.pk}/")
    image_url = page.get_by_test_id("share-image").get_attribute("href")
    page.goto(live_server.url + image_url)
    size = page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size[0] == 720 and size[1] > 600


def test_the_bank_picker_works_by_keyboard_on_a_phone_and_says_it_is_checking_the_name(
    page, live_server, user, sandbox, wallet
):
    from tests.fixtures.browser import reauthenticate

    call_command("sync_banks", stdout=io.StringIO())
    sandbox.fault("/bank/resolve", "latency", times=1, seconds=2)  # a slow bank
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, user.email)
    page.goto(live_server.url + "/wallet/bank-accounts/add/")
    reauthenticate(page)

    bank = page.get_by_label("Bank", exact=True)
    first_choice = bank.locator("optgroup").first
    expect(first_choice).to_have_attribute("label", "Popular banks")
    page.get_by_label("Account number").focus()  # account number first
    page.keyboard.type("0123456780")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Search banks")).to_be_focused()
    expect(page.locator("#account-name")).to_contain_text("Choose the bank")

    page.keyboard.type("opay")  # one match: chosen, and the (slow) name lookup starts
    expect(bank).to_have_value("999992")
    expect(page.get_by_test_id("name-checking")).to_be_visible()
    expect(page.locator("#account-name")).to_be_hidden()  # no stale "Choose the bank" hint
    expect(page.get_by_test_id("resolved-name")).to_be_visible(timeout=8_000)
    expect(page.get_by_test_id("name-checking")).to_be_hidden()
    expect(page.get_by_test_id("name-differs")).to_contain_text("not Alice Adeyemi")

    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")  # the whole list again, popular banks on top
    page.keyboard.press("Tab")
    expect(bank).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    expect(bank).not_to_have_value("")
    popular = first_choice.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert bank.input_value() == popular[0]


def test_waiting_states_polling_pauses_while_hidden_the_balance_hides_and_stays_hidden(
    page, live_server, user, sandbox, wallet
):
    log_in(page, live_server, user.email)
    polls = []
    page.on("request", lambda request: "panel=live" in request.url and polls.append(request))
    page.evaluate("Object.defineProperty(document, 'hidden', {value: true, configurable: true})")
    page.wait_for_timeout(6_000)  # the live panel polls every 5 s when the tab is shown
    assert polls == []
    with page.expect_request(lambda request: "panel=live" in request.url):
        page.evaluate(
            "Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
            "document.dispatchEvent(new Event('visibilitychange'))"
        )
    assert len(polls) == 1  # caught up at once when shown again, before the next poll

    toggle = page.get_by_test_id("balance-toggle")
    toggle.click()
    expect(page.get_by_test_id("balance")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_test_id("balance")).to_be_hidden()  # remembered on this device
    expect(page.get_by_test_id("balance-toggle")).to_have_text("Show balance")
    page.get_by_test_id("balance-toggle").click()
    expect(page.get_by_test_id("balance")).to_be_visible()

    sandbox.fault("/transaction/initialize", "latency", times=1, seconds=7)
    page.goto(live_server.url + "/wallet/deposit/")
    htmx_ready(page)
    page.get_by_label("Amount").fill("5000")
    button = page.get_by_test_id("pay-with-card")
    button.click()
    expect(button).to_be_disabled()
    expect(page.get_by_test_id("still-waiting")).to_be_hidden()
    expect(page.get_by_test_id("still-waiting")).to_be_visible(timeout=6_500)
    expect(page.get_by_test_id("still-waiting")).to_contain_text("Still waiting for Paystack")

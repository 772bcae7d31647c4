"""Pay anyone in real Chromium against a live server and the sandbox: a payer with no account
pays /pay/@ada by card at the sandbox checkout, and Ada's balance rises once although the
webhook arrives twice and the callback page is opened too; axe on every new page at a laptop's
(1366x900) and a phone's (390x844) size."""

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_accessibility import _blocking_violations
from tests.fixtures.browser import htmx_ready, log_in
from tests.funding.conftest import SUCCESS_CARD
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import LinkPayment, Transaction
from wallet.services.wallet_service import WalletService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"laptop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def ada(make_user):
    user = make_user(email="ada@example.com", handle="ada", first_name="Ada", last_name="Okafor")
    return WalletService().get_wallet(user)


def test_a_payer_with_no_account_pays_ada_by_card_and_she_is_credited_once(
    page, live_server, sandbox, ada, q_sync
):
    sandbox.configure(webhook_url=live_server.url + "/wallet/webhook/")
    page.goto(live_server.url + "/pay/@ada/")
    htmx_ready(page)
    expect(page.get_by_role("heading", name="Pay Ada O.")).to_be_visible()
    page.get_by_label("Amount").fill("3250")
    page.get_by_label("Your name").fill("Chidi Obi")
    page.get_by_label("Your e-mail (for the receipt)").fill("chidi@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_label("Card number").fill(SUCCESS_CARD)
    page.get_by_role("button", name=re.compile(r"^Pay NGN")).click()
    expect(page.get_by_test_id("pay-success")).to_contain_text("₦3,250")
    reference = LinkPayment.objects.get().transaction.reference
    delivered = sandbox.wait_for_delivery("charge.success", reference=reference)
    sandbox.resend(delivered["id"])  # the webhook a second time
    sandbox.wait_for_delivery("charge.success", reference=reference)
    page.goto(f"{live_server.url}/pay/done/?reference={reference}")  # and the callback again
    expect(page.get_by_test_id("pay-success")).to_be_visible()
    assert balances(ada) == [Decimal("3250.00")]
    assert Transaction.objects.get(reference=reference).ledger_entries.count() >= 2
    assert_ledger_consistent()


@pytest.fixture
def lived_in(sandbox, ada, other_wallet, payouts_service, synced_banks, payout_fee_rules, q_sync):
    """Ada with money, a bank send, a request each way, and a link payment."""
    from wallet.services.requests.operations import create_request

    WalletService().deposit(wallet=ada, amount=Decimal("20000"))
    sent, _ = payouts_service.send_to_bank(
        wallet=ada, amount="1000", bank_code="058", account_number="0001234567"
    )
    asked = create_request(requester=other_wallet, payer=ada, amount="500", note="Lunch")
    mine = create_request(requester=ada, payer=None, amount="800", note="Cake")
    return {"send": sent, "asked": asked, "mine": mine}


def test_axe_finds_nothing_serious_on_the_new_pages(page, live_server, ada, lived_in):
    customer = [
        "/wallet/send/bank/",
        f"/wallet/send/bank/{lived_in['send'].pk}/",
        "/wallet/requests/",
        f"/wallet/requests/{lived_in['asked'].pk}/pay/",
        "/wallet/pay-link/",
    ]
    public = [
        "/pay/@ada/",
        f"/pay/r/{lived_in['mine'].token}/",
        "/pay/@nobody_here/",
    ]
    axe, problems = Axe(), []
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in public:
            page.goto(live_server.url + path)
            problems += _blocking_violations(page, axe, f"{path} at {name}")
    log_in(page, live_server, ada.user.email)
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in customer:
            page.goto(live_server.url + path)
            htmx_ready(page)
            problems += _blocking_violations(page, axe, f"{path} at {name}")
    assert problems == [], "\n".join(problems)


def test_send_to_bank_in_the_browser_shows_the_name_then_the_review(
    page, live_server, ada, lived_in
):
    log_in(page, live_server, ada.user.email)
    page.goto(live_server.url + "/wallet/send/")
    page.get_by_test_id("send-to-bank").click()
    htmx_ready(page)
    page.get_by_label("Account number").fill("0001234567")
    page.get_by_label("Bank", exact=True).select_option("058")
    expect(page.get_by_test_id("resolved-name")).to_contain_text("Doe Jane Loren")
    page.get_by_label("Amount").fill("1500")
    page.get_by_test_id("bank-send-review").click()
    expect(page.get_by_test_id("review-name")).to_have_text("Doe Jane Loren")
    expect(page.get_by_test_id("review-total")).to_contain_text("1,510")
    assert balances(ada) == [Decimal("18990.00")]

"""The usage guide's JavaScript (initiateDeposit, verifyTransaction, transferFunds), verbatim
from guide_api.js, run in Chromium on a page of the site against the sandbox: the deposit is
paid at the sandbox's checkout, comes back to /payment/callback/ and is credited once."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.funding.conftest import SUCCESS_CARD
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Transaction, TransactionType

# The guide's script is pasted into the page by the test, as a reader pastes it into a page of
# their own; the site's CSP allows no inline script (issue 13), so this context bypasses it.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(bypass_csp=True),
]

GUIDE_JS = (Path(__file__).parent / "guide_api.js").read_text()
# The guide leaves getCsrfToken() to the reader; this is the usual one (Django's docs).
CSRF_HELPER = """
function getCsrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
}
"""


def load_guide(page):
    page.add_script_tag(content=CSRF_HELPER + GUIDE_JS)


@pytest.mark.browser
def test_the_guides_javascript_deposits_verifies_and_transfers(
    page, live_server, sandbox, user, wallet, other_wallet
):
    log_in(page, live_server, user.email)
    load_guide(page)

    # initiateDeposit ends by sending the browser to the checkout: start it without awaiting
    # its promise, which the navigation destroys (evaluate would fail now and then).
    with page.expect_navigation():
        page.evaluate("() => { initiateDeposit(2500, 'alice@example.com'); }")
    page.get_by_label("Card number").fill(SUCCESS_CARD)
    page.get_by_role("button", name=re.compile(r"^Pay NGN")).click()

    expect(page).to_have_url(re.compile(r"/payment/callback/\?trxref=.+&reference=.+"))
    expect(page.get_by_test_id("charge-status")).to_have_attribute("data-status", "success")
    reference = re.search(r"reference=([^&]+)", page.url).group(1)
    page.reload()  # the callback again: still one credit
    load_guide(page)
    verified = page.evaluate(f"verifyTransaction('{reference}')")
    sent = page.evaluate(f"transferFunds({other_wallet.pk}, 500, 'Lunch')")

    assert verified["status"] == "success" and verified["reference"] == reference
    assert verified["transaction"]["amount"] == "2500.00"
    assert sent["status"] == "success" and sent["amount"] == "500.00"
    assert sent["destination_wallet_id"] == other_wallet.pk and sent["description"] == "Lunch"
    assert balances(wallet, other_wallet) == [Decimal("2000.00"), Decimal("500.00")]
    deposits = Transaction.objects.filter(wallet=wallet, transaction_type=TransactionType.DEPOSIT)
    assert (
        deposits.count() == 1 and deposits.get().ledger_entries.filter(wallet=wallet).count() == 1
    )
    assert_ledger_consistent()


@pytest.mark.browser
def test_the_guides_transfer_reports_a_refusal(
    page, live_server, sandbox, user, wallet, other_wallet
):
    log_in(page, live_server, user.email)
    load_guide(page)

    answer = page.evaluate(f"transferFunds({other_wallet.pk}, 500, 'Too much')")

    assert answer["status"] == "failed" and answer["error"] == "insufficient_funds"
    assert balances(wallet, other_wallet) == [0, 0]


@pytest.mark.browser
def test_with_the_pin_on_the_guides_transfer_gets_403_pin_required_and_moves_nothing(
    page, live_server, sandbox, user, wallet, other_wallet, settings
):
    from wallet.services.outflows.pin import set_first_pin
    from wallet.services.wallet_service import WalletService

    settings.WALLET_PIN_REQUIRED = True  # this file's conftest turns it off for older journeys
    WalletService().deposit(wallet=wallet, amount=Decimal("1000.00"), description="Funds")
    set_first_pin(user, "0852")
    log_in(page, live_server, user.email)
    load_guide(page)
    statuses = []
    page.on("response", lambda response: statuses.append(response.status))

    answer = page.evaluate(f"transferFunds({other_wallet.pk}, 500, 'Lunch')")

    assert 403 in statuses
    assert answer["status"] == "failed" and answer["error"] == "pin_required"
    assert "PIN" in answer["reason"]
    assert balances(wallet, other_wallet) == [Decimal("1000.00"), Decimal("0.00")]

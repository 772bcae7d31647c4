"""No page a customer sees shows template syntax (`{#`, `{%`, `{{`) in its visible text
(issue 23, bug 1): every customer page of the URLconf, plus the states reached by a form
(send review, withdraw review, a withdrawal, a schedule's edit form, the deposit callback,
a receipt, the notifications). tests/daily/test_daily_browser.py checks the same in Chromium."""

from decimal import Decimal

import pytest

from tests.daily.visible_text import template_syntax_in, visible_text
from tests.payouts.conftest import SUCCEEDS
from tests.web.customer_pages import CUSTOMER_PAGES
from wallet.services.settlement_service import SettlementService
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db



@pytest.fixture
def lived_in(sandbox, client_logged_in, funded_wallet, other_wallet, settings):
    """A wallet with a transfer, a bank account, a withdrawal, a schedule and a checkout."""
    from django.core.management import call_command

    settings.WALLET_PIN_REQUIRED = True
    call_command("sync_banks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    service = WalletService()
    sent = service.transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("2500")
    )
    account = service.add_bank_account(
        wallet=funded_wallet, bank_code="057", account_number=SUCCEEDS, account_name=None
    )
    withdrawal, _ = service.withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("1000"), bank_account=account
    )
    schedule = SettlementService().create_settlement_schedule(
        funded_wallet, account, "daily", amount_mode="fixed", fixed_amount=Decimal("500")
    )
    checkout = service.initialize_card_charge(
        wallet=funded_wallet,
        amount=Decimal("700"),
        email=funded_wallet.user.email,
        callback_url="http://testserver/wallet/deposit/callback/",
    )
    return {
        "sent": sent,
        "account": account,
        "withdrawal": withdrawal,
        "schedule": schedule,
        "checkout": checkout,
    }


def _states(client, lived_in, other_user):
    """(what, response) for every page and every form state a customer reaches."""
    client.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    for path in CUSTOMER_PAGES:
        yield path, client.get(path)
    sent, withdrawal = lived_in["sent"], lived_in["withdrawal"]
    yield "receipt", client.get(f"/wallet/transactions/{sent.pk}/")
    yield "withdrawal", client.get(f"/wallet/withdraw/{withdrawal.pk}/")
    yield "schedule edit", client.get(f"/wallet/settlements/schedules/{lived_in['schedule'].pk}/")
    reference = lived_in["checkout"]["reference"]
    yield "deposit callback", client.get(f"/wallet/deposit/callback/?reference={reference}")
    review = {"step": "review", "recipient": other_user.email, "amount": "1,000"}
    yield "send review", client.post("/wallet/send/", review)
    withdraw = {"step": "review", "bank_account": lived_in["account"].pk, "amount": "1,000"}
    yield "withdraw review", client.post("/wallet/withdraw/", withdraw)
    yield "send review (htmx)", client.post("/wallet/send/", review, HTTP_HX_REQUEST="true")


def test_no_customer_page_state_shows_template_syntax(
    client_logged_in, lived_in, other_user
):
    problems, seen = [], 0
    for what, response in _states(client_logged_in, lived_in, other_user):
        assert response.status_code in (200, 422), (what, response.status_code)
        seen += 1
        problems += [f"{what}: {p}" for p in template_syntax_in(visible_text(response.text))]

    assert seen == len(CUSTOMER_PAGES) + 7
    assert problems == []


def test_the_check_sees_a_multi_line_template_comment():
    page = "<p>{# Not autofocused, and first\n in the form #}</p><script>a={{}}</script>"

    assert template_syntax_in(visible_text(page)) != []
    assert template_syntax_in(visible_text("<p>Sent ₦5.00</p><script>x={{}}</script>")) == []

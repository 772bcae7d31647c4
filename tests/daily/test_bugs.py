"""Bugs 1 to 9 of issue 23, each as a test that failed before its fix (bug 3, a layout bug,
is proven in real Chromium: tests/daily/test_daily_browser.py)."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image

from tests.funding.conftest import CALLBACK_URL
from wallet.models import Transaction
from wallet.services.wallet_service import WalletService
from wallet.views.receipts import receipt_facts, receipt_png

pytestmark = pytest.mark.django_db
INSUFFICIENT_FUNDS_CARD = "4084080000670037"


@pytest.fixture(autouse=True)
def pin_off(settings):
    settings.WALLET_PIN_REQUIRED = False


def _send_review(client, recipient):
    return client.post(
        "/wallet/send/", {"step": "review", "recipient": recipient, "amount": "2,000"}
    )


def test_bug1_the_send_review_shows_no_template_comment(
    client_logged_in, funded_wallet, bola, settings
):
    settings.WALLET_PIN_REQUIRED = True  # the comment sat next to the PIN fields
    WalletService().get_wallet(bola)

    page = _send_review(client_logged_in, "bola@example.com").content.decode()

    assert 'data-testid="send-submit"' in page
    assert "{#" not in page and "#}" not in page and "Not autofocused" not in page


def test_bug2_the_reset_your_pin_link_leads_to_a_page_that_offers_the_reset(
    client_logged_in, funded_wallet, bola, user, settings
):
    from wallet.services.outflows import pin as pins

    settings.WALLET_PIN_REQUIRED = True
    pins.set_first_pin(user, "4826")
    WalletService().get_wallet(bola)
    review = _send_review(client_logged_in, "bola@example.com").content.decode()
    href = re.search(r'<a href="([^"]+)">Reset your PIN</a>', review).group(1)

    page = client_logged_in.get(href)

    assert page.status_code == 200
    assert "E-mail me a reset link" in page.content.decode()


def test_bug4_a_masked_name_ending_in_a_full_stop_gets_no_second_one(
    client_logged_in, funded_wallet, bola
):
    WalletService().get_wallet(bola)
    fields = {"step": "send", "recipient": "bola@example.com", "amount": "5000"}

    done = client_logged_in.post("/wallet/send/", fields, HTTP_HX_REQUEST="true").content.decode()

    assert "Sent ₦5,000.00 to Bola A." in done and "Bola A.." not in done


def test_bug4_the_toast_after_a_plain_post_has_one_full_stop(client_logged_in, funded_wallet, bola):
    WalletService().get_wallet(bola)
    fields = {"step": "send", "recipient": "bola@example.com", "amount": "5000"}

    receipt = client_logged_in.post("/wallet/send/", fields, follow=True).content.decode()

    assert "Sent ₦5,000.00 to Bola A.<" in receipt and "Bola A.." not in receipt


def test_bug5_a_checkout_that_was_never_paid_is_not_money_on_its_way(
    client_logged_in, wallet, start_charge
):
    start_charge(wallet, "3000.00")  # the payer closed the checkout without paying

    dashboard = client_logged_in.get("/wallet/").content.decode()
    history = client_logged_in.get("/wallet/transactions/").content.decode()

    assert 'data-testid="pending-panel"' not in dashboard
    assert "Waiting for payment" not in history and "Pending" not in history
    assert "Not completed" in history and "checkout was not finished" in history


def test_bug5_a_checkout_that_never_opened_is_not_on_its_way_either(
    client_logged_in, wallet, sandbox
):
    sandbox.fault("/transaction/initialize", "500")
    client_logged_in.post("/wallet/deposit/", {"amount": "800"}, HTTP_HX_REQUEST="true")

    dashboard = client_logged_in.get("/wallet/").content.decode()

    assert Transaction.objects.filter(amount=Decimal("800.00")).exists()
    assert 'data-testid="pending-panel"' not in dashboard


def test_bug6_a_payout_e_mail_greets_by_name_formats_naira_and_names_support(
    named_user, mailoutbox, settings
):
    from wallet.services.notifications.emails import send_customer_email

    settings.SUPPORT_EMAIL = "help@wallet.example"
    tx = WalletService().deposit(
        wallet=WalletService().get_wallet(named_user), amount=Decimal("20000")
    )
    tx.amount, tx.fee = Decimal("3000.00"), Decimal("10.75")

    class Account:  # the bank account as the template reads it
        account_name, masked_number = "ADA OBI", "******6789"
        bank = type("Bank", (), {"name": "Test Bank"})

    send_customer_email(
        named_user, "withdrawal_completed", {"transaction": tx, "bank_account": Account}
    )

    [message] = mailoutbox
    assert message.subject == "[Paystack Wallet] Your withdrawal of ₦3,000.00 has been paid"
    assert message.body.startswith("Hello Ada,")
    assert "₦3,000.00" in message.body and "₦10.75" in message.body
    assert "NGN" not in message.body and "3000.00" not in message.body
    assert "reply with the reference" not in message.body
    assert "help@wallet.example" in message.body and message.reply_to == ["help@wallet.example"]


def test_bug6_the_safety_mode_e_mail_writes_the_limit_in_naira(named_user, mailoutbox):
    from django.utils import timezone

    from wallet.services.outflows import notifications

    notifications.safety_mode_started(named_user, timezone.now(), Decimal("20000"))

    [message] = mailoutbox
    assert "₦20,000.00" in message.body and "20000.00" not in message.body
    assert message.subject.startswith("[Paystack Wallet] ")
    assert message.body.startswith("Hello Ada,")


def _menu_labels(page: str) -> dict[str, str]:
    panel = page.split('class="menu-panel"', 1)[1].split("</div>", 1)[0]
    return {
        label.strip(): href
        for href, label in re.findall(r'<a href="([^"]+)">(?:<svg.*?</svg>)?([^<]+)</a>', panel)
    }


@pytest.mark.parametrize(
    ("hint", "offers"),
    [
        ("wallet.services.outflows.pin:_locked_error", "E-mail me a reset link"),
        ("wallet.services.ledger.limits:funding_over_cap", "Account limits"),
    ],
)
def test_bug7_messages_name_menu_items_that_exist_and_lead_there(
    client_logged_in, wallet, user, hint, offers
):
    import importlib

    from django.utils import timezone

    from wallet.services.outflows import pin as pins

    pins.set_first_pin(user, "4826")  # the reset is offered to someone who has a PIN

    module, name = hint.split(":")
    function = getattr(importlib.import_module(module), name)
    error = (
        function(timezone.now(), just_locked=True)
        if "pin" in module
        else function("Tier 1", Decimal("300000"))
    )
    item = re.search(r"account menu › ([A-Za-z ]+)", error.message).group(1).strip()
    menu = _menu_labels(client_logged_in.get("/wallet/").content.decode())

    assert item in menu
    assert offers in client_logged_in.get(menu[item]).content.decode()


def test_bug8_the_senders_shared_receipt_reads_as_money_sent(
    client_logged_in, funded_wallet, other_wallet, user
):
    sent = WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("2000")
    )
    facts = receipt_facts(Transaction.objects.get(pk=sent.pk), user)
    image = Image.open(BytesIO(receipt_png(facts))).convert("RGB")
    amount_band = image.crop((48, 150, 500, 215))
    greens = [c for _, c in amount_band.getcolors(1_000_000) if c[1] > c[0] + 60]

    assert facts.amount == "−₦2,000.00"
    assert greens == []  # the green of money received is not on a payment sent
    pdf = client_logged_in.get(f"/wallet/transactions/{sent.pk}/receipt.pdf")
    assert pdf.status_code == 200
    from wallet.views.receipts import _headline

    assert _headline(facts) == "Money sent"


def test_bug9_a_declined_card_keeps_the_issuers_reason(client_logged_in, wallet, sandbox):
    checkout = WalletService().initialize_card_charge(
        wallet=wallet, amount=Decimal("2500"), email=wallet.user.email, callback_url=CALLBACK_URL
    )
    sandbox.complete_checkout(checkout["authorization_url"], card=INSUFFICIENT_FUNDS_CARD)
    cancelled = sandbox.cancel_checkout(checkout["authorization_url"])  # the payer gives up

    page = client_logged_in.get(cancelled.redirect_url.replace("http://testserver", ""))
    text = page.content.decode()

    assert "Insufficient Funds" in text
    assert "Payment cancelled" not in text and "Abandoned" not in text
    assert "Not completed" in text
    assert Transaction.objects.get().status == "failed"

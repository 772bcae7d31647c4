"""The public payment page: masked name only, a payer with no account pays at Paystack's
checkout, the customer is credited once through the top-up path (webhook twice + callback),
the payer's e-mail never reaches the customer, refusals before Paystack, rate limit, QR code,
switched off / locked / unknown read the same."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from tests.funding.conftest import SUCCESS_CARD, post_webhook
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Card, LinkPayment, Transaction, TransactionType
from wallet.services.paylinks.pages import set_page_enabled
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
PAYER = {"amount": "2500", "payer_name": "Chidi Obi", "payer_email": "chidi@example.org"}


def same_page(response) -> str:
    """The page without what differs on every response (CSP nonces, CSRF tokens)."""
    text = response.content.decode()
    text = re.sub(r"'[^']*CSRFToken[^']*'", "", text)
    return re.sub(r'(nonce|value|content)="[^"]*"', "", text)


@pytest.fixture
def ada(make_user):
    user = make_user(email="ada@example.com", handle="ada", first_name="Ada", last_name="Okafor")
    return WalletService().get_wallet(user)


def test_the_page_shows_only_the_masked_name(client, ada):
    page = client.get("/pay/@ada/")
    text = page.content.decode()
    assert page.status_code == 200 and "Pay Ada O." in text
    assert "Okafor" not in text and "ada@example.com" not in text


def test_unknown_switched_off_and_locked_pages_read_the_same(client, ada, make_user):
    unknown = client.get("/pay/@nobody_here/")
    set_page_enabled(ada, enabled=False)
    off = client.get("/pay/@ada/")
    set_page_enabled(ada, enabled=True)
    ada.lock()
    locked = client.get("/pay/@ada/")
    bad = client.get("/pay/@a%00b/")
    assert {unknown.status_code, off.status_code, locked.status_code} == {404}
    assert same_page(unknown) == same_page(off) == same_page(locked)
    assert bad.status_code in (400, 404)


def test_a_stranger_pays_once_even_with_the_webhook_twice_and_the_callback(
    client, sandbox, ada, delivery, q_sync
):
    started = client.post("/pay/@ada/", PAYER)
    assert started.status_code == 302
    link = LinkPayment.objects.get()
    assert link.payer_email == "chidi@example.org" and link.wallet == ada
    sandbox.complete_checkout(started["Location"], card=SUCCESS_CARD)
    sent = delivery("charge.success", link.transaction.reference)
    for _ in range(2):
        assert post_webhook(Client(), sent["body"], sent["signature"]).status_code == 200
    done = client.get(f"/pay/done/?reference={link.transaction.reference}")
    assert done.status_code == 200 and "₦2,500" in done.content.decode()
    assert balances(ada) == [Decimal("2500.00")]
    assert not Card.objects.filter(wallet=ada).exists()  # the payer's card is not Ada's
    assert_ledger_consistent()


def test_the_customer_sees_the_payers_name_never_their_email(client, sandbox, ada, q_sync):
    started = client.post("/pay/@ada/", PAYER)
    sandbox.complete_checkout(started["Location"], card=SUCCESS_CARD)
    reference = LinkPayment.objects.get().transaction.reference
    client.get(f"/pay/done/?reference={reference}")
    owner = Client()
    owner.force_login(ada.user)
    tx = Transaction.objects.get(reference=reference)
    for url in ("/wallet/transactions/", f"/wallet/transactions/{tx.pk}/", "/wallet/"):
        text = owner.get(url).content.decode()
        assert "chidi@example.org" not in text
    assert "Paid by link (Chidi Obi)" in owner.get("/wallet/transactions/").content.decode()
    api = owner.get(f"/wallet/api/v1/me/transactions/{tx.pk}/").content.decode()
    assert "chidi@example.org" not in api


def test_a_payment_past_the_balance_cap_is_refused_before_paystack(
    client, sandbox, ada, tier_limits
):
    tier_limits(1, balance_cap=Decimal("1000.00"))
    before = sandbox.api("GET", "/transaction").json()["meta"]["total"]
    response = client.post("/pay/@ada/", PAYER)
    text = response.content.decode()
    assert response.status_code == 422 and "cannot receive this amount" in text
    assert "limit" not in text.lower() or "₦1,000" not in text  # nothing about Ada's tier
    assert not Transaction.objects.filter(transaction_type=TransactionType.DEPOSIT).exists()
    assert sandbox.api("GET", "/transaction").json()["meta"]["total"] == before


@pytest.mark.parametrize(
    "form",
    [
        {**PAYER, "amount": "-5"},
        {**PAYER, "amount": "1e9999"},
        {**PAYER, "payer_email": "not-an-email"},
        {**PAYER, "payer_name": ""},
    ],
)
def test_bad_payer_input_is_422_and_starts_nothing(client, ada, form):
    assert client.post("/pay/@ada/", form).status_code == 422
    assert not LinkPayment.objects.exists()


def test_the_public_page_is_rate_limited(client, ada, settings):
    settings.WALLET_PAY_LINK_RATE_LIMIT = "3/m"
    codes = [client.get("/pay/@ada/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_owner_downloads_the_qr_code_and_can_switch_the_page_off(client, ada):
    client.force_login(ada.user)
    page = client.get("/wallet/pay-link/").content.decode()
    assert "/pay/@ada/" in page and "<svg" in page
    qr = client.get("/wallet/pay-link/qr.png")
    assert qr["Content-Type"] == "image/png" and qr.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "attachment" in qr["Content-Disposition"]
    client.post("/wallet/pay-link/switch/", {"enabled": "0"})
    assert Client().get("/pay/@ada/").status_code == 404
    client.post("/wallet/pay-link/switch/", {"enabled": "1"})
    assert Client().get("/pay/@ada/").status_code == 200


def test_the_public_page_costs_the_same_queries_whether_the_handle_exists_or_not(client, ada):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    client.get("/pay/@ada/")  # warm: session and cache tables
    found, missing = queries("/pay/@ada/"), queries("/pay/@nobody_here/")
    set_page_enabled(ada, enabled=False)
    assert found == missing == queries("/pay/@ada/") <= 3

"""Issue 23: the home leads with the balance and the account number, customers' words, the
limits table, and the loose ends (recents refresh, CSV counterparty, token labels)."""

import csv
import io
from decimal import Decimal

import pytest

from wallet.models import DedicatedAccount, Transaction
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pin_off(settings):
    settings.WALLET_PIN_REQUIRED = False


def test_the_home_shows_the_balance_before_the_limits_card(client_logged_in, wallet):
    page = client_logged_in.get("/wallet/").content.decode()

    assert page.index('data-testid="balance"') < page.index('data-testid="tier-status"')


def test_the_home_shows_the_account_number_with_copy_and_share(client_logged_in, wallet):
    DedicatedAccount.objects.create(
        wallet=wallet, customer_code="CUS_home1", account_number="9912345678",
        account_name="ALICE ADEYEMI", bank_name="Test Bank",
    )

    page = client_logged_in.get("/wallet/").content.decode()

    assert 'data-testid="home-account-digits">9912345678<' in page
    assert 'data-copy="9912345678"' in page and 'data-testid="home-share-account"' in page
    assert "Account number: 9912345678" in page  # the shared text


def test_a_wallet_without_an_account_number_is_offered_one_on_the_home(client_logged_in, wallet):
    page = client_logged_in.get("/wallet/").content.decode()

    assert 'data-testid="home-get-account"' in page


def test_the_auto_withdraw_form_asks_for_an_amount_first(client_logged_in, wallet, add_account):
    import re

    add_account(wallet)
    page = client_logged_in.get("/wallet/settlements/schedules/new/").content.decode()
    checked = re.findall(r'<input type="radio" name="amount_mode" value="(\w+)"[^>]*checked', page)

    assert "New auto-withdraw" in page
    assert checked == ["fixed"]  # "everything" is a choice, not the default
    assert "Everything in my wallet" in page and "Everything available" not in page


def test_customer_pages_use_customer_words(client_logged_in, wallet, add_account):
    add_account(wallet)
    auto = client_logged_in.get("/wallet/settlements/").content.decode()
    history = client_logged_in.get("/wallet/transactions/").content.decode()

    assert "Withdraw now" in auto and "Settle now" not in auto
    for jargon in ("Abandoned", "Awaiting OTP", "Adjustment", ">Settlement<"):
        assert jargon not in history, jargon
    assert "Waiting for approval" in history and "Auto-withdraw" in history


def test_an_adjustment_reads_as_a_correction_from_paystack_wallet():
    from wallet.templatetags.wallet_web import customer_description, transaction_title

    tx = Transaction(transaction_type="adjustment", description="Adjustment: staff reason")

    assert transaction_title(tx) == "Correction from Paystack Wallet"
    assert customer_description(tx) == "Correction from Paystack Wallet"


def test_the_limits_page_lists_every_tier_and_how_to_reach_it(client_logged_in, wallet):
    page = client_logged_in.get("/wallet/limits/").content.decode()

    assert page.count('data-testid="tier-row"') >= 3
    assert "What each tier unlocks" in page
    assert "BVN and date of birth" in page and "NIN" in page


def test_the_recent_recipients_panel_refreshes_after_a_send(
    client_logged_in, funded_wallet, other_wallet
):
    page = client_logged_in.get("/wallet/send/").content.decode()
    assert 'hx-trigger="walletChanged from:body"' in page.split('id="recents"', 1)[1][:400]
    WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("100")
    )

    panel = client_logged_in.get("/wallet/send/?panel=recents", HTTP_HX_REQUEST="true")

    assert panel.status_code == 200 and "<html" not in panel.content.decode()
    assert 'data-testid="recent-recipient"' in panel.content.decode()
    assert "Bob B." in panel.content.decode()


def test_the_csv_names_the_counterparty(client_logged_in, funded_wallet, other_wallet):
    WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("100")
    )

    response = client_logged_in.get("/wallet/transactions/export.csv?type=transfer")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[0][-1] == "Counterparty"
    assert rows[1][-1] == "Bob Bello"


def test_the_token_table_labels_every_cell_for_phones(client_logged_in, user):
    from wallet.models import TokenScope
    from wallet.services.api_tokens import issue_token

    issue_token(user=user, name="Shop", scope=TokenScope.choices[0][0])

    page = client_logged_in.get("/accounts/profile/").content.decode()
    tables = {
        caption: table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        for caption, table in (
            part.split("</caption>", 1) for part in page.split("<caption")[1:]
        )
    }
    tokens = next(body for caption, body in tables.items() if "API tokens" in caption)
    browsers = next(body for caption, body in tables.items() if "Signed-in browsers" in caption)

    assert "Shop" in tokens and "<td>" not in tokens and 'data-label="Expires"' in tokens
    assert "<td>" not in browsers  # the signed-in browsers beside them (issue 20) too

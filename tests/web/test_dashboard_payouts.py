from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.web.history_data import ensure_payout_fees
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank_account(funded_wallet, sandbox):
    ensure_payout_fees()
    call_command("sync_banks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return WalletService().add_bank_account(
        wallet=funded_wallet, bank_code="057", account_number="0000000000", account_name=None
    )


def test_dashboard_shows_money_held_for_a_payout_in_flight_and_the_bank_account(
    client_logged_in, funded_wallet, bank_account, sandbox
):
    sandbox.configure(transfer_otp=True)  # the payout waits for an OTP: money is held
    WalletService().withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("2000"), bank_account=bank_account, reason="Rent"
    )

    page = client_logged_in.get("/wallet/").content.decode()
    methods = client_logged_in.get("/wallet/?panel=methods", headers={"HX-Request": "true"})
    methods = methods.content.decode()

    assert "₦7,990.00" in page
    assert 'data-testid="held">₦2,010.00 on its way to your bank' in page
    # The saved methods load when scrolled into view (issue 27): the panel is there to fetch.
    assert 'hx-trigger="revealed, walletChanged from:body"' in page
    assert "Zenith Test Account" in methods and "••••0000" in methods


def test_methods_panel_refreshes_alone(client_logged_in, funded_wallet, bank_account):
    response = client_logged_in.get("/wallet/?panel=methods", headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="methods-panel"')
    assert "Zenith Test Account" in page

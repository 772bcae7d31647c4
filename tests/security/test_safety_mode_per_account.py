"""Safety mode is the account's, not the device's: a third device extends the window and never
refills the cap, and the cap holds under concurrent sends from three devices on both transfer
paths (PostgreSQL, real threads)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from tests.accounts.conftest import log_in_through_form
from tests.api.v1.conftest import Api
from wallet.models import Wallet
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)

service = WalletService()


def device(user):
    """A browser of its own (its own device cookie), signed in through the login form."""
    client = Client()
    assert log_in_through_form(client, user.email).status_code == 302
    return client


@pytest.fixture
def rich_wallet(wallet):
    service.deposit(wallet=wallet, amount=Decimal("200000.00"), description="Test funds")
    return wallet


def test_a_third_device_extends_the_window_and_never_refills_the_cap(
    user, rich_wallet, other_wallet, settings
):
    settings.WALLET_PIN_REQUIRED = False
    device(user)  # the first browser is trusted
    device(user)  # a second one opens safety mode: ₦20,000
    opened = Wallet.objects.get(pk=rich_wallet.pk).safety_until
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="15000")

    device(user)  # a third one: the window grows, the ₦15,000 already sent still counts

    wallet = Wallet.objects.get(pk=rich_wallet.pk)
    assert wallet.safety_until >= opened and wallet.safety_spent == Decimal("15000.00")
    with pytest.raises(Exception, match=r"₦5,000.00 left"):
        service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="6000")


def test_three_devices_sending_at_once_cannot_pass_the_cap(
    user, rich_wallet, other_wallet, settings, both_transfer_paths
):
    settings.WALLET_PIN_REQUIRED = False
    device(user)  # trusted
    devices = [device(user) for _ in range(3)]  # safety mode, extended twice, never refilled
    service.transfer(source_wallet=rich_wallet, destination_wallet=other_wallet, amount="14000")
    # ₦6,000 left; three devices send ₦1,000 four times each, all at once: exactly six fit.
    callers = [Api(client) for client in devices for _ in range(4)]
    barrier, answers = threading.Barrier(len(callers)), []

    def send(api):
        try:
            barrier.wait(timeout=10)
            body = {"recipient": other_wallet.public_code, "amount": "1000"}
            answers.append(api.post("me/transfers/", body).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(api,)) for api in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers) == [201] * 6 + [422] * 6
    wallet = Wallet.objects.get(pk=rich_wallet.pk)
    assert wallet.safety_spent == Decimal("20000.00")
    assert wallet.balance == Decimal("180000.00")

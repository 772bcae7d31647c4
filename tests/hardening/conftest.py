import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def no_transaction_pin(settings):
    """Bad input is the subject here, and the fuzz test must reach the money paths themselves:
    the PIN (tested in tests/outflows/) would stop most requests before them."""
    settings.WALLET_PIN_REQUIRED = False


@pytest.fixture
def stored_bank_account(funded_wallet):
    """A bank account row as `add_bank_account` leaves it, for forms refused before Paystack."""
    from wallet.models import Bank, BankAccount

    bank = Bank.objects.create(name="Zenith Bank", code="057", slug="zenith-bank")
    return BankAccount.objects.create(
        wallet=funded_wallet,
        bank=bank,
        account_number="0000000000",
        account_name="Alice Adeyemi",
        recipient_code="RCP_storedfortests",
        is_default=True,
    )

import pytest


@pytest.fixture(autouse=True)
def no_transaction_pin(settings):
    """The journeys here predate the transaction PIN (issue 12); tests/outflows/ walks the
    PIN in the browser with WALLET_PIN_REQUIRED on."""
    settings.WALLET_PIN_REQUIRED = False

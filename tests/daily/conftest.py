import pytest
from django.core.cache import cache

from tests.funding.conftest import (  # noqa: F401  (the funding fixtures, reused)
    card_deposit,
    delivery,
    paid_charge,
    q_sync,
    start_charge,
)
from tests.payouts.conftest import (  # noqa: F401  (the payouts fixtures, reused)
    add_account,
    payouts_service,
    synced_banks,
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def named_user(make_user):
    return make_user(email="ada@example.com", first_name="Ada", last_name="Obi")


@pytest.fixture
def bola(make_user):
    return make_user(email="bola@example.com", first_name="Bola", last_name="Adebayo")

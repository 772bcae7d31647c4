"""Fixtures for reconciliation: a window that starts with the test (the sandbox keeps every
earlier test's records), charges Paystack has that we never recorded, and a reconcile call."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.funding.conftest import SUCCESS_CARD, paid_charge, q_sync, start_charge  # noqa: F401
from tests.payouts.conftest import (  # noqa: F401
    add_account,
    funded_wallet,
    payout_fee_rules,
    payouts_service,
    synced_banks,
)
from wallet.paystack import PaystackClient
from wallet.services.reconciliation import reconcile_period

_references = itertools.count(1)


@pytest.fixture
def window_start(sandbox):
    """This test's first moment: every record of earlier tests is older."""
    return timezone.now()


@pytest.fixture
def reconcile(window_start):
    """Reconcile from the test's start until now (or the given period), `per_page` per page."""

    def run(period_start=None, period_end=None, per_page=100):
        return reconcile_period(
            PaystackClient(),
            period_start=period_start or window_start,
            period_end=period_end or timezone.now() + timedelta(milliseconds=5),
            per_page=per_page,
        )

    return run


@pytest.fixture
def charge_only_paystack_has(sandbox):
    """A card payment made at Paystack with a reference the site never recorded."""

    def make(amount_kobo=250_000):
        reference = f"stranger-{timezone.now():%H%M%S%f}-{next(_references)}"
        response = sandbox.api(
            "POST",
            "/transaction/initialize",
            json={"email": "stranger@example.com", "amount": amount_kobo, "reference": reference},
        )
        assert response.status_code == 200, response.text
        checkout = response.json()["data"]
        assert sandbox.complete_checkout(checkout["authorization_url"], card=SUCCESS_CARD) == (
            "success"
        )
        return reference

    return make

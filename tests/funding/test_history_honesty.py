"""An abandoned card checkout reads as what it was: no money moved (issue 15, item 1)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _row(page, tx):
    return re.search(rf'<tr id="tx-{tx.pk}".*?</tr>', page, re.S).group(0)


def test_an_abandoned_checkout_is_unsigned_muted_and_says_no_money_moved(
    client_logged_in, wallet, sandbox, start_charge
):
    from wallet.models import Transaction

    checkout = start_charge(wallet, "5000.00")
    cancelled = sandbox.cancel_checkout(checkout["authorization_url"])
    client_logged_in.get(cancelled.redirect_url.replace("http://testserver", ""))
    tx = Transaction.objects.get(status="abandoned")

    row = _row(client_logged_in.get("/wallet/transactions/").content.decode(), tx)
    receipt = client_logged_in.get(f"/wallet/transactions/{tx.pk}/").content.decode()

    assert "No money moved" in row and "amount-void" in row and "amount-credit" not in row
    assert 'data-testid="receipt-outcome">No money moved<' in receipt


def test_an_abandoned_checkout_is_folded_away_from_recent_activity_and_this_months_totals(
    client_logged_in, wallet, sandbox, start_charge
):
    checkout = start_charge(wallet, "5000.00")
    cancelled = sandbox.cancel_checkout(checkout["authorization_url"])
    client_logged_in.get(cancelled.redirect_url.replace("http://testserver", ""))

    page = client_logged_in.get("/wallet/").content.decode()

    assert "Money added" not in page  # neither in recent activity nor as pending
    assert 'This month: in <span class="sensitive">₦0.00</span>' in page


def test_a_checkout_still_open_is_not_on_its_way_unsigned_and_not_counted(
    client_logged_in, wallet, start_charge
):
    """Nothing was taken from the card: not "on its way" (issue 23, bug 5), and the history
    says the checkout was not finished rather than "Waiting for payment"."""
    start_charge(wallet, "5000.00")

    page = client_logged_in.get("/wallet/").content.decode()
    history = client_logged_in.get("/wallet/transactions/").content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Money added.*?</tr>", history, re.S).group(0)

    assert 'data-testid="pending-panel"' not in page
    assert "checkout was not finished" in row and "Not completed" in row
    assert "amount-credit" not in row
    assert "This month: in <span class=\"sensitive\">₦0.00</span>" in page

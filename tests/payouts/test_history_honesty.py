"""A failed withdrawal reads as what it was: the money came back (issue 15, item 1)."""

import re
from decimal import Decimal

import pytest

from wallet.models import TransactionStatus

pytestmark = pytest.mark.django_db


def test_a_failed_withdrawal_is_unsigned_muted_and_says_returned_to_your_wallet(
    client_logged_in, sandbox, payouts_service, funded_wallet, bank_account
):
    sandbox.configure(balance=0)  # Paystack refuses: the withdrawal fails, the money returns
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("2500"), bank_account=bank_account
    )
    assert tx.status == TransactionStatus.FAILED

    history = client_logged_in.get("/wallet/transactions/").content.decode()
    row = re.search(rf'<tr id="tx-{tx.pk}".*?</tr>', history, re.S).group(0)
    dashboard = client_logged_in.get("/wallet/").content.decode()

    assert "Returned to your wallet" in row and "amount-void" in row
    assert "amount-debit" not in row
    assert 'data-testid="month-flows">This month: in <span class="sensitive">₦10,000.00</span>' in (
        dashboard
    )
    assert 'out <span class="sensitive">₦0.00</span>' in dashboard

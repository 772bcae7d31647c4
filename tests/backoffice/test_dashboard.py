"""The dashboard's figures equal sums computed independently from the ledger rows, in a
bounded number of queries however many rows there are; every figure links to its list."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from tests.payouts.conftest import FAILS
from wallet.models import LedgerEntry, SystemAccount, Transaction
from wallet.services.backoffice.dashboard import dashboard, refresh_paystack_balance

pytestmark = pytest.mark.django_db


def ledger_sum(**filters):
    return LedgerEntry.objects.filter(**filters).aggregate(t=Sum("amount"))["t"] or Decimal("0")


@pytest.fixture
def activity(funded_wallet, other_wallet, transfer, card_deposit, add_account, sandbox):
    from wallet.services.settlement_service import SettlementService
    from wallet.services.wallet_service import WalletService

    for amount in ("100.00", "250.50", "75.25"):
        transfer(amount)
    card_deposit("1200.00")
    SettlementService().create_settlement(
        wallet=funded_wallet, bank_account=add_account(funded_wallet, FAILS), amount="500"
    )
    sandbox.configure(transfer_otp=True)
    WalletService().withdraw_to_bank(funded_wallet, Decimal("300"), add_account(funded_wallet))


def test_the_figures_equal_independent_sums_of_the_ledger(activity, sandbox):
    refresh_paystack_balance()  # the worker's job; the page itself never asks Paystack
    figures = dashboard()
    books = figures["books"]
    assert books.liabilities == ledger_sum(wallet__isnull=False)
    for code in SystemAccount.values:
        assert books.accounts[code] == ledger_sum(system_account=code), code
    assert books.total == Decimal("0.00")
    assert books.paystack_holds == -ledger_sum(system_account=SystemAccount.PAYSTACK)
    assert figures["paystack_balance"] is not None  # the sandbox answers GET /balance
    flight = figures["in_flight"]
    open_payouts = Transaction.objects.filter(
        transaction_type__in=["withdrawal", "settlement"],
        status__in=["pending", "processing", "otp"],
    )
    assert flight["payouts"] == open_payouts.count() and flight["otp"] == 1
    assert flight["payouts_amount"] == open_payouts.aggregate(t=Sum("amount"))["t"]
    transfers = Transaction.objects.filter(
        transaction_type="transfer", status="success", direction="debit"
    )
    volume = figures["volumes"]["by_type"]["transfer"]
    # Both rows of a transfer are successful transactions: the volume counts each side.
    assert (
        volume["today"]
        == Transaction.objects.filter(transaction_type="transfer", status="success").aggregate(
            t=Sum("amount")
        )["t"]
    )
    assert transfers.count() == 3


def test_the_dashboard_page_takes_a_bounded_number_of_queries(
    activity, staff_client_for, django_assert_max_num_queries, transfer, sandbox
):
    finance = staff_client_for("Finance")
    with django_assert_max_num_queries(30) as few:
        page = finance.get("/admin/")
    for _ in range(20):
        transfer("10.00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        again = finance.get("/admin/")
    assert page.status_code == again.status_code == 200
    html = again.content.decode()
    for link in (
        "/admin/wallet/payout/?state=stuck", "/admin/otp-queue/",
        "/admin/wallet/transaction/?attention=old_pending_charges",
        "/admin/wallet/refund/?status__exact=pending",
        "/admin/wallet/ledgerentry/?system_account__exact=paystack",
    ):  # fmt: skip
        assert link in html, link
        assert finance.get(link.replace("&amp;", "&")).status_code == 200, link
    assert "₦" in html and "Books sum (must be zero)" in html

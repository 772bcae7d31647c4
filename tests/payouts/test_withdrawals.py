"""Withdrawals through the Paystack sandbox: success, OTP, failure, reversal, and faults on the
transfer call. Money is held until Paystack gives a final answer and moves exactly once."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.payouts.conftest import (
    FAILS,
    REVERSES,
    fee_revenue,
    in_flight,
    sandbox_transfers,
    sent_to_paystack,
)
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import (
    BankAccountUnavailable,
    DuplicateReference,
    InsufficientFunds,
    InvalidAmount,
    InvalidOTP,
    LimitExceeded,
    PayoutNotAwaitingOTP,
    WalletLocked,
)
from wallet.models import Payout, Transaction, TransactionStatus
from wallet.services.payouts import reconcile_open_payouts
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
S = TransactionStatus


def reconcile(service):
    return reconcile_open_payouts(service.paystack, older_than=timedelta(0))


def settle_and_reconcile(sandbox, service, tx):
    sandbox.settle()
    reconcile(service)
    tx.refresh_from_db()
    return tx


def test_a_withdrawal_is_sent_and_completes_once_paystack_says_success(
    sandbox, payouts_service, funded_wallet, bank_account
):
    tx, data = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount=Decimal("2500"), bank_account=bank_account, reason="Rent"
    )
    assert tx.status == S.PROCESSING and data["transfer_code"].startswith("TRF_")
    assert data["reference"] == tx.reference and data["amount"] == 250000
    assert balances(funded_wallet) == [Decimal("7490.00")]
    assert in_flight() == Decimal("2500.00")
    tx = settle_and_reconcile(sandbox, payouts_service, tx)
    assert tx.status == S.SUCCESS
    assert (in_flight(), sent_to_paystack(), fee_revenue()) == (
        0,
        Decimal("2500.00"),
        Decimal("10.00"),
    )
    assert balances(funded_wallet) == [Decimal("7490.00")]
    assert len(sandbox_transfers(sandbox, tx.reference)) == 1
    assert_ledger_consistent()


def test_the_usage_guide_withdraw_snippet_runs_unchanged(sandbox, funded_wallet, bank_account):
    from wallet.services.wallet_service import WalletService

    def withdraw_to_bank(user, bank_account_id, amount):
        from wallet.exceptions import InsufficientFunds
        from wallet.models import BankAccount

        wallet_service = WalletService()
        wallet = wallet_service.get_wallet(user)

        try:
            bank_account = BankAccount.objects.get(id=bank_account_id, wallet=wallet)

            transaction, transfer_data = wallet_service.withdraw_to_bank(
                wallet=wallet,
                amount=Decimal(amount),
                bank_account=bank_account,
                reason="Withdrawal to bank account",
            )

            return {
                "transaction_id": transaction.id,
                "status": transaction.status,
                "amount": str(transaction.amount),
                "transfer_code": transfer_data.get("transfer_code"),
            }
        except BankAccount.DoesNotExist:
            return {"status": "failed", "reason": "Bank account not found"}
        except InsufficientFunds:
            return {"status": "failed", "reason": "Insufficient funds"}

    result = withdraw_to_bank(funded_wallet.user, bank_account.id, "1000")
    assert result["amount"] == "1000.00" and result["status"] == "processing"
    assert result["transfer_code"].startswith("TRF_")
    assert withdraw_to_bank(funded_wallet.user, bank_account.id, "50000") == {
        "status": "failed",
        "reason": "Insufficient funds",
    }


def test_with_otp_on_the_transfer_waits_and_finalize_releases_it(
    sandbox, payouts_service, funded_wallet, bank_account
):
    sandbox.configure(transfer_otp=True)
    tx, data = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1000", bank_account=bank_account
    )
    assert tx.status == S.OTP and data["status"] == "otp"
    assert balances(funded_wallet) == [Decimal("8990.00")]
    payouts_service.resend_transfer_otp(transaction=tx)
    with pytest.raises(InvalidOTP):
        payouts_service.finalize_transfer(transaction=tx, otp="000000")
    tx.refresh_from_db()
    assert tx.status == S.OTP
    tx, data = payouts_service.finalize_transfer(transaction=tx, otp="123456")
    assert tx.status == S.PROCESSING
    with pytest.raises(PayoutNotAwaitingOTP):
        payouts_service.finalize_transfer(transaction=tx, otp="123456")
    assert settle_and_reconcile(sandbox, payouts_service, tx).status == S.SUCCESS
    assert balances(funded_wallet) == [Decimal("8990.00")]
    assert_ledger_consistent()


def test_a_failed_transfer_returns_amount_and_fee_once(
    sandbox, payouts_service, funded_wallet, add_account
):
    account = add_account(funded_wallet, account_number=FAILS)
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="3000", bank_account=account
    )
    assert balances(funded_wallet) == [Decimal("6990.00")]
    tx = settle_and_reconcile(sandbox, payouts_service, tx)
    assert tx.status == S.FAILED and tx.failure_reason == "Account could not be credited"
    reconcile(payouts_service)
    payouts_service.reconcile_payout(tx.payout)
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), fee_revenue(), sent_to_paystack()) == (0, 0, 0)
    assert_ledger_consistent()


def reconcile_until(service, tx, status, timeout=8.0):
    """Let the sandbox's clock move the transfer, asking Paystack every 50 ms as reconcile does."""
    deadline = time.monotonic() + timeout
    while True:
        service.reconcile_payout(Payout.objects.get(transaction=tx))
        tx.refresh_from_db()
        if tx.status == status or time.monotonic() > deadline:
            return tx
        time.sleep(0.05)


def test_a_transfer_reversed_after_success_returns_the_money_once(
    sandbox, payouts_service, funded_wallet, add_account
):
    sandbox.configure(settle_delay=2.0)  # success after 2 s, the reversal 2 s later
    account = add_account(funded_wallet, account_number=REVERSES)
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="4000", bank_account=account
    )
    assert reconcile_until(payouts_service, tx, S.SUCCESS).status == S.SUCCESS
    assert balances(funded_wallet) == [Decimal("5990.00")]
    assert sent_to_paystack() == Decimal("4000.00")
    assert reconcile_until(payouts_service, tx, S.REVERSED).status == S.REVERSED
    payouts_service.reconcile_payout(tx.payout)
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), sent_to_paystack(), fee_revenue()) == (0, 0, 0)
    assert_ledger_consistent()


@pytest.mark.parametrize("mode", ["500", "hang", "drop"])
def test_a_fault_on_the_transfer_call_holds_the_funds_and_reconcile_pays_once(
    sandbox, payouts_service, funded_wallet, bank_account, settings, mode
):
    settings.PAYSTACK_TIMEOUT = 0.5
    payouts_service = WalletService()  # a client built with the short timeout
    sandbox.fault("/transfer", mode, times=1, seconds=2 if mode == "hang" else None, method="POST")
    tx, data = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1500", bank_account=bank_account
    )
    assert tx.status == S.PENDING and data["status"] == "pending"
    assert balances(funded_wallet) == [Decimal("8490.00")]
    assert in_flight() == Decimal("1500.00")
    assert Payout.objects.get(transaction=tx).last_error
    for _ in range(3):
        reconcile(payouts_service)
        sandbox.settle()
    tx.refresh_from_db()
    assert tx.status == S.SUCCESS
    assert len(sandbox_transfers(sandbox, tx.reference)) == 1
    assert (in_flight(), sent_to_paystack()) == (0, Decimal("1500.00"))
    assert balances(funded_wallet) == [Decimal("8490.00")]
    assert_ledger_consistent()


def test_while_paystack_stays_down_reconcile_changes_nothing(
    sandbox, payouts_service, funded_wallet, bank_account
):
    sandbox.fault("/transfer", "500", times=None)
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1000", bank_account=bank_account
    )
    reconcile(payouts_service)
    reconcile(payouts_service)
    tx.refresh_from_db()
    assert tx.status == S.PENDING and tx.payout.attempts >= 1
    assert balances(funded_wallet) == [Decimal("8990.00")] and in_flight() == Decimal("1000.00")
    sandbox.clear_faults()
    reconcile(payouts_service)
    sandbox.settle()
    reconcile(payouts_service)
    tx.refresh_from_db()
    assert tx.status == S.SUCCESS and len(sandbox_transfers(sandbox, tx.reference)) == 1


def test_a_refusal_from_paystack_fails_the_withdrawal_and_returns_the_money(
    sandbox, payouts_service, funded_wallet, bank_account
):
    sandbox.configure(balance=0)  # "Your balance is not enough to fulfil this request"
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1000", bank_account=bank_account
    )
    assert tx.status == S.FAILED and "balance is not enough" in tx.failure_reason
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert in_flight() == 0
    assert_ledger_consistent()


@pytest.mark.parametrize("amount", ["-5", "0", "NaN", "Infinity", "10.001", "abc", "1e9999"])
def test_bad_amounts_are_refused_and_nothing_moves(
    sandbox, payouts_service, funded_wallet, bank_account, amount
):
    with pytest.raises(InvalidAmount):
        payouts_service.withdraw_to_bank(
            wallet=funded_wallet, amount=amount, bank_account=bank_account
        )
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert not Transaction.objects.filter(payout__isnull=False).exists()


def test_more_than_the_balance_locked_wallets_and_other_wallets_accounts_move_nothing(
    sandbox, payouts_service, funded_wallet, other_wallet, bank_account, add_account
):
    with pytest.raises(InsufficientFunds):
        payouts_service.withdraw_to_bank(
            wallet=funded_wallet, amount="9995", bank_account=bank_account
        )
    theirs = add_account(other_wallet, account_number="0123456789", bank_code="058")
    with pytest.raises(BankAccountUnavailable):
        payouts_service.withdraw_to_bank(wallet=funded_wallet, amount="10", bank_account=theirs)
    funded_wallet.lock()
    with pytest.raises(WalletLocked):
        payouts_service.withdraw_to_bank(
            wallet=funded_wallet, amount="10", bank_account=bank_account
        )
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert not Payout.objects.exists()


def test_the_same_reference_twice_withdraws_once(
    sandbox, payouts_service, funded_wallet, bank_account
):
    reference = "my-withdrawal-0000000001"
    first, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1000", bank_account=bank_account, reference=reference
    )
    again, data = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="1000", bank_account=bank_account, reference=reference
    )
    assert again.pk == first.pk and data["reference"] == reference
    with pytest.raises(DuplicateReference):
        payouts_service.withdraw_to_bank(
            wallet=funded_wallet, amount="2000", bank_account=bank_account, reference=reference
        )
    assert balances(funded_wallet) == [Decimal("8990.00")]


@pytest.mark.django_db(transaction=True)
def test_completion_and_failure_are_mailed_by_the_worker_after_commit(
    sandbox,
    payouts_service,
    funded_wallet,
    bank_account,
    add_account,
    mailoutbox,
    monkeypatch,
):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)  # django-q2's inline mode: the task runs here
    failing = add_account(funded_wallet, account_number=FAILS)
    mailoutbox.clear()  # the "bank account added" security notices
    payouts_service.withdraw_to_bank(wallet=funded_wallet, amount="1000", bank_account=bank_account)
    payouts_service.withdraw_to_bank(wallet=funded_wallet, amount="700", bank_account=failing)
    assert mailoutbox == []  # nothing final yet
    sandbox.settle()
    reconcile(payouts_service)
    subjects = sorted(message.subject for message in mailoutbox)
    assert subjects == [
        "[Paystack Wallet] Your withdrawal of ₦1,000.00 has been paid",
        "[Paystack Wallet] Your withdrawal of ₦700.00 was not completed",
    ]
    assert all(message.to == ["alice@example.com"] for message in mailoutbox)
    assert "back in your wallet" in next(m.body for m in mailoutbox if "700" in m.subject)


def test_a_worker_lost_between_commit_and_the_transfer_call_is_paid_once_by_reconcile(
    sandbox, payouts_service, funded_wallet, bank_account
):
    from wallet.services.payouts import PayoutRequest, reserve_payout

    tx = reserve_payout(  # committed, then the process died before calling Paystack
        PayoutRequest(
            wallet_id=funded_wallet.pk,
            bank_account=bank_account,
            amount=Decimal("800"),
            reason="",
            transaction_type="withdrawal",
        )
    )
    assert sandbox_transfers(sandbox, tx.reference) == []
    reconcile(payouts_service)
    reconcile(payouts_service)
    sandbox.settle()
    reconcile(payouts_service)
    tx.refresh_from_db()
    assert tx.status == S.SUCCESS and len(sandbox_transfers(sandbox, tx.reference)) == 1
    assert balances(funded_wallet) == [Decimal("9190.00")] and in_flight() == 0


def test_a_worker_lost_between_the_transfer_call_and_recording_it_is_not_paid_twice(
    sandbox, payouts_service, funded_wallet, bank_account
):
    from wallet.services.payouts import PayoutRequest, reserve_payout
    from wallet.services.payouts import gateway as payout_gateway

    tx = reserve_payout(
        PayoutRequest(
            wallet_id=funded_wallet.pk,
            bank_account=bank_account,
            amount=Decimal("800"),
            reason="",
            transaction_type="withdrawal",
        )
    )
    payout_gateway.initiate_transfer(payouts_service.paystack, tx.payout)  # answer never recorded
    reconcile(payouts_service)
    sandbox.settle()
    reconcile(payouts_service)
    tx.refresh_from_db()
    assert tx.status == S.SUCCESS and len(sandbox_transfers(sandbox, tx.reference)) == 1
    assert balances(funded_wallet) == [Decimal("9190.00")]
    assert_ledger_consistent()


def test_a_failed_payout_gives_its_amount_back_to_the_daily_limit(
    sandbox, payouts_service, funded_wallet, add_account, tier_limits
):
    tier_limits(1, daily_limit=Decimal("3010.00"))
    failing = add_account(funded_wallet, account_number=FAILS)
    tx, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="3000", bank_account=failing
    )
    with pytest.raises(LimitExceeded):
        payouts_service.withdraw_to_bank(wallet=funded_wallet, amount="1000", bank_account=failing)
    settle_and_reconcile(sandbox, payouts_service, tx)
    assert Transaction.objects.get(pk=tx.pk).status == S.FAILED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    retry, _ = payouts_service.withdraw_to_bank(
        wallet=funded_wallet, amount="3000", bank_account=add_account(funded_wallet)
    )
    assert retry.status in (S.PENDING, S.PROCESSING, S.SUCCESS)

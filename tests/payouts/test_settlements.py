"""Settlements through the sandbox: the guide's snippets, failure, verify and retry, and the
schedule processor paying a due period once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.payouts.conftest import FAILS, in_flight, sandbox_transfers
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import InsufficientFunds, SettlementNotRetryable
from wallet.models import Settlement, SettlementSchedule, TransactionStatus
from wallet.services.settlement_service import SettlementService

pytestmark = pytest.mark.django_db
S = TransactionStatus


@pytest.fixture
def settlements(sandbox):
    return SettlementService()


def test_the_usage_guide_create_settlement_snippet_runs_unchanged(
    sandbox, funded_wallet, bank_account
):
    from wallet.services.wallet_service import WalletService

    def create_settlement(user, bank_account_id, amount, reason=None):
        from wallet.exceptions import InsufficientFunds
        from wallet.models import BankAccount

        settlement_service = SettlementService()
        wallet_service = WalletService()
        wallet = wallet_service.get_wallet(user)

        try:
            bank_account = BankAccount.objects.get(id=bank_account_id, wallet=wallet)

            settlement = settlement_service.create_settlement(
                wallet=wallet,
                bank_account=bank_account,
                amount=Decimal(amount),
                reason=reason or "Manual settlement",
            )

            return {
                "settlement_id": settlement.id,
                "reference": settlement.reference,
                "status": settlement.status,
                "amount": str(settlement.amount),
            }
        except BankAccount.DoesNotExist:
            return {"status": "failed", "reason": "Bank account not found"}
        except InsufficientFunds:
            return {"status": "failed", "reason": "Insufficient funds"}

    result = create_settlement(funded_wallet.user, bank_account.id, "6000")
    assert result["amount"] == "6000.00" and result["status"] == "processing"
    assert result["reference"].startswith("stl-")
    assert create_settlement(funded_wallet.user, bank_account.id, "6000") == {
        "status": "failed",
        "reason": "Insufficient funds",
    }
    assert create_settlement(funded_wallet.user, 999999, "1") == {
        "status": "failed",
        "reason": "Bank account not found",
    }
    assert balances(funded_wallet) == [Decimal("3975.00")]


def test_the_usage_guide_schedule_snippet_runs_unchanged(sandbox, funded_wallet, bank_account):
    from wallet.services.wallet_service import WalletService

    def create_settlement_schedule(user, bank_account_id, schedule_type, **kwargs):
        from wallet.models import BankAccount

        settlement_service = SettlementService()
        wallet_service = WalletService()
        wallet = wallet_service.get_wallet(user)

        try:
            bank_account = BankAccount.objects.get(id=bank_account_id, wallet=wallet)

            schedule = settlement_service.create_settlement_schedule(
                wallet=wallet, bank_account=bank_account, schedule_type=schedule_type, **kwargs
            )

            return {
                "schedule_id": schedule.id,
                "schedule_type": schedule.schedule_type,
                "is_active": schedule.is_active,
                "next_settlement": schedule.next_settlement.isoformat()
                if schedule.next_settlement
                else None,
            }
        except BankAccount.DoesNotExist:
            return {"status": "failed", "reason": "Bank account not found"}

    result = create_settlement_schedule(
        funded_wallet.user, bank_account.id, "weekly", day_of_week=0
    )
    assert result["schedule_type"] == "weekly" and result["is_active"] is True
    assert timezone.datetime.fromisoformat(result["next_settlement"]) > timezone.now()


def test_a_failed_settlement_is_verified_then_retried_with_a_new_reference(
    sandbox, settlements, funded_wallet, add_account
):
    account = add_account(funded_wallet, account_number=FAILS)
    settlement = settlements.create_settlement(
        wallet=funded_wallet, bank_account=account, amount="2000"
    )
    sandbox.settle()
    settlement = settlements.verify_settlement(settlement)
    assert settlement.status == S.FAILED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    retry = settlements.retry_settlement(settlement)
    assert retry.reference != settlement.reference and retry.retry_of == settlement
    assert retry.amount == Decimal("2000.00")
    with pytest.raises(SettlementNotRetryable):
        settlements.retry_settlement(settlement)
    with pytest.raises(SettlementNotRetryable):
        settlements.retry_settlement(retry)  # not final yet
    assert balances(funded_wallet) == [Decimal("7990.00")]
    assert_ledger_consistent()


def test_a_settlement_beyond_the_balance_moves_nothing(
    sandbox, settlements, funded_wallet, bank_account
):
    with pytest.raises(InsufficientFunds):
        settlements.create_settlement(
            wallet=funded_wallet, bank_account=bank_account, amount="9999"
        )
    assert balances(funded_wallet) == [Decimal("10000.00")] and not Settlement.objects.exists()


def test_the_processor_pays_a_due_schedule_once_and_sends_the_transfer(
    sandbox, settlements, funded_wallet, bank_account
):
    schedule = settlements.create_settlement_schedule(
        wallet=funded_wallet,
        bank_account=bank_account,
        schedule_type="daily",
        minimum_balance="1000",
    )
    SettlementSchedule.objects.filter(pk=schedule.pk).update(
        next_settlement=timezone.now() - timedelta(minutes=1)
    )
    (run,) = settlements.process_due_schedules()
    assert settlements.process_due_schedules() == []
    settlement = Settlement.objects.get()
    assert run.settlement == settlement and settlement.schedule == schedule
    assert settlement.status == S.PROCESSING and settlement.amount == Decimal("8975.00")
    assert len(sandbox_transfers(sandbox, settlement.reference)) == 1
    sandbox.settle()
    assert settlements.verify_settlement(settlement).status == S.SUCCESS
    assert in_flight() == 0 and balances(funded_wallet) == [Decimal("1000.00")]
    assert_ledger_consistent()


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_a_failed_settlement_pay_it_again_once(
    sandbox, funded_wallet, add_account
):
    import threading
    from collections import Counter

    from django.db import connection

    service = SettlementService()
    account = add_account(funded_wallet, account_number=FAILS)
    failed = service.create_settlement(wallet=funded_wallet, bank_account=account, amount="1000")
    sandbox.settle()
    assert service.verify_settlement(failed).status == S.FAILED
    barrier, outcomes = threading.Barrier(4), []

    def retry():
        try:
            barrier.wait()
            SettlementService().retry_settlement(failed)
            outcomes.append("retried")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(outcomes) == Counter({"retried": 1, "SettlementNotRetryable": 3})
    assert Settlement.objects.filter(retry_of=failed).count() == 1
    assert balances(funded_wallet) == [Decimal("8990.00")]
    assert_ledger_consistent()

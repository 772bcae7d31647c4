"""django-q2 task functions for payouts: load by id, call one service, nothing else."""

from wallet.models import Payout
from wallet.services import payouts
from wallet.services.payout_notifications import send_payout_notification
from wallet.services.settlement_service import SettlementService


def _client():
    from wallet.paystack import PaystackClient

    return PaystackClient()


def send_payout(transaction_id: int):
    payouts.send_payout(_client(), Payout.objects.get(transaction_id=transaction_id))


def reconcile_payouts() -> int:
    return payouts.reconcile_open_payouts(_client())


def recheck_recent_payouts() -> int:
    return payouts.recheck_recent_successes(_client())


def process_settlement_schedules() -> int:
    return len(SettlementService().process_due_schedules())


def sync_banks() -> int:
    return payouts.sync_banks(_client())


def notify_payout(transaction_id: int, status: str) -> bool:
    return send_payout_notification(transaction_id, status)

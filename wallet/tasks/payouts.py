"""django-q2 task functions for payouts: load by id, call one service, nothing else."""

from wallet.models import Payout
from wallet.services.payouts.notifications import send_payout_notification
from wallet.services.settlement_service import SettlementService
from wallet.services.wallet_service import WalletService


def send_payout(transaction_id: int):
    WalletService().send_payout(Payout.objects.get(transaction_id=transaction_id))


def reconcile_payouts() -> int:
    return WalletService().reconcile_open_payouts()


def recheck_recent_payouts() -> int:
    return WalletService().recheck_recent_payouts()


def process_settlement_schedules() -> int:
    return len(SettlementService().process_due_schedules())


def sync_banks() -> int:
    return WalletService().sync_banks()


def notify_payout(transaction_id: int, status: str) -> bool:
    return send_payout_notification(transaction_id, status)

"""django-q2 task functions for notifications: load by id, call one service, nothing else."""

from wallet.services.notifications import (
    deliver_email,
    deliver_emails,
    events,
    transfer_notices,
)


def email_notification(notification_id: int) -> bool:
    return deliver_email(notification_id)


def email_notifications(keys: list) -> int:
    """keys: [(user id, event key), ...] of notifications told in one commit."""
    return deliver_emails([tuple(key) for key in keys])


def tell_transfer(transaction_id: int) -> None:
    """Kept for tasks queued before the outbox (migration 0033): tells one transfer."""
    events.tell_transfer(transaction_id)


def tell_waiting_transfers() -> int:
    return transfer_notices.tell_all_waiting()

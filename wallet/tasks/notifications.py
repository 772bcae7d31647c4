"""django-q2 task functions for notifications: load by id, call one service, nothing else."""

from wallet.services.notifications import deliver_email, deliver_emails, events


def email_notification(notification_id: int) -> bool:
    return deliver_email(notification_id)


def email_notifications(keys: list) -> int:
    """keys: [(user id, event key), ...] of notifications told in one commit."""
    return deliver_emails([tuple(key) for key in keys])


def tell_transfer(transaction_id: int) -> None:
    events.tell_transfer(transaction_id)

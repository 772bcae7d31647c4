"""django-q2 task functions for notifications: load by id, call one service, nothing else."""

from wallet.services.notifications import deliver_email


def email_notification(notification_id: int) -> bool:
    return deliver_email(notification_id)

"""Reads of a customer's notifications: the bell's unread count and the notifications page."""

from django.db.models import QuerySet

from wallet.models import Notification

NOTIFICATIONS_PAGE_SIZE = 50


def unread_count(*, user) -> int:
    """One count over the partial index `notification_unread` (the bell, and the dashboard
    live panel's version). Memoised on the user object for the rest of the request."""
    cached = getattr(user, "_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(user=user, read_at__isnull=True).count()
        user._unread_notifications = cached
    return cached


def notifications_for(*, user, limit: int = NOTIFICATIONS_PAGE_SIZE) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit]

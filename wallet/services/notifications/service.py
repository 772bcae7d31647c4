"""notify(): the one way any feature tells a customer something (issue 23).

A notification is a row (the bell, the notifications page); its e-mail leaves through the
worker after the surrounding transaction commits (`on_commit` -> django-q2), and at most once:
the row is unique per (user, event_key), and `deliver_email` marks it sent under a row lock.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import WalletError
from wallet.models import PAYOUT_TYPES, Notification, NotificationKind, NotificationSettings
from wallet.services.notifications.emails import send_customer_email

EMAIL_TASK = "wallet.tasks.notifications.email_notifications"
_RECORDING_HISTORY = ContextVar("notifications_recording_history", default=False)


@contextmanager
def history_without_emails():
    """Within: notifications are recorded, none is e-mailed (seeding months of demo history
    must not send a hundred e-mails when the worker starts)."""
    token = _RECORDING_HISTORY.set(True)
    try:
        yield
    finally:
        _RECORDING_HISTORY.reset(token)


_GATHERED_EMAILS = ContextVar("notification_emails_gathered", default=None)


@contextmanager
def emails_gathered():
    """Within: the e-mails of notifications that commit are queued as one task when the block
    ends, instead of one task per commit (a worker telling a batch of deposits or transfers
    pays one queue insert for the batch). Entered inside a transaction it gathers nothing:
    the commits it would gather happen after it ends."""
    gathered = None if db.get_connection().in_atomic_block else []
    token = _GATHERED_EMAILS.set(gathered)
    try:
        yield
    finally:
        _GATHERED_EMAILS.reset(token)
        if gathered:
            enqueue(EMAIL_TASK, gathered)


@dataclass(frozen=True)
class Notice:
    """One thing to tell one customer (see `notify`)."""

    user: object
    kind: str
    event_key: str
    title: str
    body: str = ""
    link: str = ""
    transaction: object = None
    email_template: str = "notification"
    email: bool = True  # False: in-app only (its e-mail is sent another way, e.g. a notice)


def notify(
    *,
    user,
    kind: str,
    event_key: str,
    title: str,
    body: str = "",
    link: str = "",
    transaction=None,
    email_template: str = "notification",
    preferences: NotificationSettings | None = None,
    email: bool = True,
) -> None:
    """Tell `user` about one event (`event_key`, e.g. "money_in:trf_123"): an in-app
    notification, and an e-mail unless they turned e-mail off for `kind` (never for security).
    The same event told again adds nothing and sends nothing. `preferences`: the user's
    settings when the caller has read them already. Joins the caller's transaction: the row
    commits with the money, the e-mail is queued on commit."""
    notice = Notice(user, kind, event_key, title, body, link, transaction, email_template, email)
    tell([notice], preferences={user.pk: preferences} if preferences else None)


def tell(notices: list[Notice], preferences: dict | None = None) -> None:
    """Several notices in one INSERT ... ON CONFLICT DO NOTHING (a transfer tells both sides):
    an event already told is skipped by the database, so a replay or a parallel worker cannot
    add a second row, and no savepoint is needed inside the caller's transaction."""
    for notice in notices:
        if notice.kind not in NotificationKind.values:
            raise ValueError(f"Unknown notification kind {notice.kind!r}")
    preferences = preferences or settings_of([notice.user for notice in notices])
    rows = [_row(notice, preferences[notice.user.pk]) for notice in notices]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    to_email = [(row.user_id, row.event_key) for row in rows if row.email_wanted]
    if to_email:
        # Queued even for an event told before: deliver_email finds it sent and does nothing.
        gathered = _GATHERED_EMAILS.get()
        if gathered is not None:
            db.on_commit(lambda: gathered.extend(to_email))
        else:
            db.on_commit(lambda: enqueue(EMAIL_TASK, to_email))


def _row(notice: Notice, preferences: NotificationSettings) -> Notification:
    return Notification(
        user=notice.user,
        kind=notice.kind,
        event_key=notice.event_key[:120],
        title=notice.title[:140],
        body=notice.body,
        link=notice.link[:200],
        transaction=notice.transaction,
        email_template=notice.email_template,
        email_wanted=(
            notice.email
            and not _RECORDING_HISTORY.get()
            and preferences.emails(notice.kind)
            and bool(notice.user.email)
        ),
    )


def deliver_emails(keys) -> int:
    """The e-mails of the notifications named by (user id, event key); how many were sent."""
    sent = 0
    for user_id, event_key in keys:
        found = Notification.objects.filter(user_id=user_id, event_key=event_key).first()
        if found is not None and deliver_email(found.pk):
            sent += 1
    return sent


def enqueue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)


def deliver_email(notification_id: int) -> bool:
    """Send the notification's e-mail once: the row is locked while sending and marked sent in
    the same transaction, so a retried or duplicated task finds it sent and does nothing."""
    with db.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user", "transaction")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at or not notification.email_wanted:
            return False
        sent = send_customer_email(
            notification.user, notification.email_template, _email_context(notification)
        )
        if sent:
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
        return sent


def _email_context(notification: Notification) -> dict:
    from django.conf import settings

    tx = notification.transaction
    context = {"notification": notification, "transaction": tx}
    if notification.link:
        context["link"] = settings.SITE_URL.rstrip("/") + notification.link
    if tx is not None:
        context["status"] = tx.status
        payout = getattr(tx, "payout", None) if tx.transaction_type in PAYOUT_TYPES else None
        context["bank_account"] = payout.destination if payout else None
    return context




# --- reading state and choices -----------------------------------------------------------


def mark_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of `user`'s notifications read; None when it is not theirs (or not at all)."""
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def settings_for(user) -> NotificationSettings:
    """The user's choices (defaults: every kind e-mailed, no low-balance alert)."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def settings_read_with(user) -> NotificationSettings | None:
    """The user's settings when a query read them with the user
    (`select_related("…user__notification_settings")`, defaults when they have none); None
    when it did not, and `tell` reads them itself."""
    if not type(user).notification_settings.is_cached(user):
        return None
    return getattr(user, "notification_settings", None) or NotificationSettings(user=user)


def settings_of(users) -> dict:
    """{user id: settings} for several users in one query (defaults for those without)."""
    found = {s.user_id: s for s in NotificationSettings.objects.filter(user__in=users)}
    return {user.pk: found.get(user.pk) or NotificationSettings(user=user) for user in users}


def save_settings(*, user, emails_off: list[str], low_balance_below: Decimal | None):
    """Keep the user's choices; security notices stay e-mailed whatever is asked."""
    chosen = sorted(
        kind
        for kind in set(emails_off)
        if kind in NotificationKind.values and kind != NotificationKind.SECURITY
    )
    if low_balance_below is not None and low_balance_below <= 0:
        raise WalletError("The low-balance amount must be more than ₦0.00.")
    found, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"emails_off": chosen, "low_balance_below": low_balance_below}
    )
    return found

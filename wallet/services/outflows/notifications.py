"""E-mails about outflow safety. Never carry a PIN, a BVN or a NIN."""

from django.utils import timezone

from wallet.services.notifications.emails import send_customer_email


def _send(user, name: str, **context) -> bool:
    # quiet: the lock or the safety mode is already in place; an e-mail server that is down
    # must not turn the customer's answer into an error page.
    return send_customer_email(user, name, context, quiet=True)


def pin_locked(user, until) -> bool:
    return _send(user, "pin_locked", until=timezone.localtime(until))


def pin_reset_link(user, url: str) -> bool:
    return _send(user, "pin_reset", url=url)


def safety_mode_started(user, until, limit) -> bool:
    return _send(user, "safety_mode", until=timezone.localtime(until), limit=limit)

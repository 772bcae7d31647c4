"""E-mails about outflow safety. Never carry a PIN, a BVN or a NIN."""

from django.utils import timezone

from wallet.services.notifications.emails import send_customer_email


def _send(user, name: str, address: str = "", **context) -> bool:
    # quiet: the lock or the safety mode is already in place; an e-mail server that is down
    # must not turn the customer's answer into an error page.
    return send_customer_email(user, name, context, quiet=True, address=address)


def pin_locked(user, until) -> bool:
    return _send(user, "pin_locked", until=timezone.localtime(until))


def pin_reset_link(user, url: str) -> bool:
    return _send(user, "pin_reset", url=url)


def safety_mode_started(user, until, limit) -> bool:
    return _send(user, "safety_mode", until=timezone.localtime(until), limit=limit)


def security_notice(user, address: str, *, what: str, detail: str, link: str) -> bool:
    """To the address on record before the change, with the "This wasn't me" link."""
    return _send(user, "security_notice", address, what=what, detail=detail, link=link)


def phone_used_at_sign_up(owner) -> bool:
    """Someone signed up giving the phone number of `owner`'s account."""
    return _send(owner, "phone_used_at_sign_up")

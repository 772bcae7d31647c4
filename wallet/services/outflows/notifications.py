"""E-mails about outflow safety. Never carry a PIN, a BVN or a NIN."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


def _send(user, name: str, address: str = "", **context) -> bool:
    address = address or user.email
    if not address:
        return False
    context.update(user=user, site_url=settings.SITE_URL)
    subject = render_to_string(f"email/{name}_subject.txt", context).strip()
    body = render_to_string(f"email/{name}.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except (OSError, smtplib.SMTPException) as error:
        # The lock or the safety mode is already in place: an e-mail server that is down
        # must not turn the customer's answer into an error page.
        logger.warning("Could not e-mail %s (%s): %s", user.pk, name, error)
        return False
    return True


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

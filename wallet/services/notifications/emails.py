"""Every e-mail to a customer leaves through `send_customer_email`: the site's subject prefix,
a greeting by name, how to reach support (Reply-To support, since the sender is no-reply) and
amounts as ₦1,234.56 (the templates use the `money` filter; email/base.txt holds the frame)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def greeting_name(user) -> str:
    """ "Ada" for Ada Obi; the e-mail's local part never (a stranger's guess at a name)."""
    return (user.first_name or "").strip() or "there"


def subject_prefix() -> str:
    return getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") or ""


def render_customer_email(user, name: str, context: dict) -> tuple[str, str]:
    """(subject, body) of email/<name>_subject.txt and email/<name>.txt for `user`."""
    context = {
        **context,
        "user": user,
        "greeting_name": greeting_name(user),
        "support_email": settings.SUPPORT_EMAIL,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(f"email/{name}_subject.txt", context).strip()
    body = render_to_string(f"email/{name}.txt", context)
    return subject_prefix() + " ".join(subject.split()), body


def send_customer_email(
    user, name: str, context: dict | None = None, *, quiet=False, address: str = ""
) -> bool:
    """Send email/<name> to `user` (at `address` if given: a security notice goes to the address
    on record before a change). False when there is no address (or, with `quiet`, when the mail
    server failed: for notices whose state change must not turn into an error)."""
    address = address or user.email
    if not address:
        return False
    subject, body = render_customer_email(user, name, context or {})
    message = EmailMessage(subject, body, to=[address], reply_to=[settings.SUPPORT_EMAIL])
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        if not quiet:
            raise
        logger.warning("Could not e-mail %s (%s): %s", user.pk, name, error)
        return False
    return True

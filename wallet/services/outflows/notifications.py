"""E-mails about outflow safety. Never carry a PIN, a BVN or a NIN."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone


def _send(user, name: str, **context) -> bool:
    if not user.email:
        return False
    context.update(user=user, site_url=settings.SITE_URL)
    subject = render_to_string(f"email/{name}_subject.txt", context).strip()
    body = render_to_string(f"email/{name}.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def pin_locked(user, until) -> bool:
    return _send(user, "pin_locked", until=timezone.localtime(until))


def pin_reset_link(user, url: str) -> bool:
    return _send(user, "pin_reset", url=url)


def safety_mode_started(user, until, limit) -> bool:
    return _send(user, "safety_mode", until=timezone.localtime(until), limit=limit)

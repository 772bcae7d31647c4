"""Where Paystack sends the payer back after checkout: only this site's own hosts."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from wallet.exceptions import InvalidCallbackURL


def default_callback_url():
    """This site's own callback page (used when the caller gives none)."""
    return settings.SITE_URL.rstrip("/") + reverse("wallet:deposit_callback")


def check_callback_url(url):
    """Paystack sends the payer back to `url`: only this site's own hosts are allowed."""
    parts = urlsplit(url or "")
    host, _port = split_domain_port(parts.netloc.rsplit("@", 1)[-1])
    if parts.scheme not in ("http", "https") or not host or "@" in parts.netloc:
        raise InvalidCallbackURL()
    allowed = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    allowed.append(split_domain_port(urlsplit(settings.SITE_URL).netloc)[0])
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={parts.netloc})
    if not (safe and validate_host(host, allowed)):
        raise InvalidCallbackURL()


def cancel_url(callback_url, tx):
    separator = "&" if "?" in callback_url else "?"
    return f"{callback_url}{separator}reference={tx.reference}&cancelled=1"

"""Safety mode: after a sign-in from a browser not seen before, outflows are capped.

Each browser carries a random device id in a signed, long-lived cookie; the ids a user has
signed in with are KnownDevice rows. A sign-in without a known id (a new browser, cleared
cookies, someone else) starts safety mode on the user's wallets for WALLET_SAFETY_MODE_HOURS:
together they may send at most WALLET_SAFETY_MODE_LIMIT (checked in ledger/limits.py and the
SQL transfer, under the wallet lock), and the user is e-mailed. A user's very first browser is
trusted: there is nothing yet to protect it from.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from wallet.models import KnownDevice, Wallet
from wallet.services.outflows import notifications

DEVICE_COOKIE = "wallet_device"
DEVICE_COOKIE_SALT = "wallet.known-device"
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie


def recognise_sign_in(user, device_id: str | None, user_agent: str = "") -> str:
    """Record a sign-in; starts safety mode when the browser is new. Returns the device id
    the browser should keep."""
    devices = KnownDevice.objects.filter(user=user)
    if device_id and devices.filter(device_id=device_id).exists():
        devices.filter(device_id=device_id).update(last_seen_at=timezone.now())
        return device_id
    first_browser = not devices.exists()
    device_id = secrets.token_hex(16)
    KnownDevice.objects.create(user=user, device_id=device_id, user_agent=user_agent[:300])
    if not first_browser:
        start_safety_mode(user)
    return device_id


def start_safety_mode(user) -> None:
    until = timezone.now() + timedelta(hours=settings.WALLET_SAFETY_MODE_HOURS)
    Wallet.objects.filter(user=user).update(safety_until=until, safety_spent=Decimal("0.00"))
    notifications.safety_mode_started(user, until, settings.WALLET_SAFETY_MODE_LIMIT)

"""Safety mode: after a sign-in from a browser not seen before, outflows are capped.

Each browser carries a random device id in a signed, long-lived cookie; the ids a user has
signed in with are KnownDevice rows. A sign-in without a known id (a new browser, cleared
cookies, someone else) starts safety mode on the user's wallets for WALLET_SAFETY_MODE_HOURS:
together they may send at most WALLET_SAFETY_MODE_LIMIT (checked in ledger/limits.py and the
SQL transfer, under the wallet lock), and the user is e-mailed. A user's very first browser is
trusted: there is nothing yet to protect it from.

The window is the account's, not the device's: a new device while it is open extends it and
never gives back what was already sent (`safety_spent` counts everything since it opened).
The cooling-off after a credential change (e-mail, password, PIN reset, MFA removed) is the
same cap for WALLET_COOLING_OFF_HOURS, with its reason shown to the customer.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from wallet.models import KnownDevice, Wallet
from wallet.services.ledger.limits import SAFETY_REASON_COOLING_OFF, SAFETY_REASON_NEW_DEVICE

DEVICE_COOKIE = "wallet_device"
DEVICE_COOKIE_SALT = "wallet.known-device"
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
ZERO = Decimal("0.00")


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
        _notice_new_device(user, user_agent)
    return device_id


def _notice_new_device(user, user_agent: str) -> None:
    from wallet.services.outflows.account_security import send_security_notice  # (a cycle)

    wallet = Wallet.objects.filter(user=user).order_by("pk").first()
    limit = settings.WALLET_SAFETY_MODE_LIMIT
    until = timezone.localtime(wallet.safety_until) if wallet and wallet.safety_until else None
    detail = f"{user_agent[:120] or 'an unknown browser'}. To protect your money, payments are "
    detail += f"limited to ₦{limit:,.2f} in total"
    detail += f" until {until:%-d %b %Y, %H:%M}." if until else "."
    send_security_notice(user=user, kind="new_device", detail=detail)


def start_safety_mode(user, *, hours=None, reason=SAFETY_REASON_NEW_DEVICE) -> None:
    """Open safety mode on the user's wallets for `hours`, or extend the open window (never
    shorten it, never refill its cap). One UPDATE: PostgreSQL reads the old row for every SET
    expression, and the row lock orders it with the outflows that charge the cap."""
    now = timezone.now()
    until = now + timedelta(hours=settings.WALLET_SAFETY_MODE_HOURS if hours is None else hours)
    open_window = Q(safety_until__gt=now)
    Wallet.objects.filter(user=user).update(
        safety_spent=Case(When(open_window, then=F("safety_spent")), default=Value(ZERO)),
        safety_until=Case(
            When(open_window & Q(safety_until__gt=until), then=F("safety_until")),
            default=Value(until),
        ),
        safety_reason=Case(
            When(open_window & Q(safety_reason=SAFETY_REASON_COOLING_OFF), then=F("safety_reason")),
            default=Value(reason),
        ),
    )


def start_cooling_off(user) -> None:
    """After a credential change: outflows capped as in safety mode for WALLET_COOLING_OFF_HOURS,
    and bank accounts added from now on are held (ledger.limits.check_payout_account)."""
    Wallet.objects.filter(user=user).update(credentials_changed_at=timezone.now())
    start_safety_mode(
        user, hours=settings.WALLET_COOLING_OFF_HOURS, reason=SAFETY_REASON_COOLING_OFF
    )

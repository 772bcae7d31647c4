"""Personal API tokens: made (the secret shown once), checked on each request, revoked.

A token reads `wlt_<prefix>_<secret>`. Only SHA-256 of the whole string is stored: the secret
has 256 bits of randomness, so a fast hash is enough (a slow one would only slow each request).
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wallet.exceptions import WalletError
from wallet.models import ApiToken, TokenScope

TOKEN_PREFIX = "wlt"
MAX_TOKENS_PER_USER = 20
MAX_LIFETIME_DAYS = 366
# last_used_at is written at most this often per token, not on every request (a hot row).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenNotAllowed(WalletError):
    default_message = "This API token cannot be created."


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, user, name: str, scope: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret (never retrievable again).

    Raises TokenNotAllowed for an unknown scope, a lifetime outside 1..366 days, a blank name
    or too many live tokens.
    """
    days = settings.WALLET_API_TOKEN_DAYS if days is None else days
    name = (name or "").strip()
    if scope not in TokenScope.values:
        raise TokenNotAllowed("Choose the scope: read, or read and move money.")
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise TokenNotAllowed(f"A token lives between 1 and {MAX_LIFETIME_DAYS} days.")
    if not name or len(name) > 100:
        raise TokenNotAllowed("Give the token a name of at most 100 characters.")
    with transaction.atomic():
        live = live_tokens(user=user).select_for_update()
        if len(live) >= MAX_TOKENS_PER_USER:
            raise TokenNotAllowed(f"You already have {MAX_TOKENS_PER_USER} tokens; revoke one.")
        prefix = secrets.token_hex(6)
        raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            secret_hash=_digest(raw),
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
    return token, raw


def live_tokens(*, user):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def revoke_token(*, token: ApiToken) -> ApiToken:
    """Refuse the token from now on (kept, with its revocation time, for the owner to see)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def revoke_all_tokens(*, user) -> int:
    """Revoke every live token of `user` (a password change or reset, a new primary e-mail,
    "sign out everywhere", the "This wasn't me" freeze). Returns how many were live."""
    return live_tokens(user=user).update(revoked_at=timezone.now())


# Where the token lookup leaves its owner's joined PIN row, for the one PIN check that follows
# in the same request (wallet.services.outflows.pin): never the user's relation cache, which
# other code may read later and which a PIN change does not refresh.
JOINED_PIN_ROW = "_transaction_pin_joined"


def keep_joined_pin_row(user) -> None:
    user.__dict__[JOINED_PIN_ROW] = user._state.fields_cache.pop("transaction_pin", None)


def token_for_secret(raw: str) -> ApiToken | None:
    """The usable token behind `raw` (its user loaded), or None: unknown, malformed, revoked
    and expired tokens all look the same to the caller."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(raw) > 200:
        return None
    # The owner's transaction PIN row comes along (one join, not a second query): a money
    # request checks it a few milliseconds later (wallet.services.outflows.pin.verify_pin).
    token = (
        ApiToken.objects.select_related("user", "user__transaction_pin")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(raw)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    keep_joined_pin_row(token.user)
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now

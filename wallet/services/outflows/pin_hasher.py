"""How a transaction PIN is stored: a salted HMAC-SHA256 keyed with the site's SECRET_KEY.

A 4-digit PIN has 10,000 values, so a slow password hash does not protect it: whoever holds
the stored hash tries them all (PBKDF2's million rounds make that an hour on one core, far
less on a GPU), while every honest payment paid ~300 ms of CPU for the check (bench/api.py:
6.6 API transfers/s on this machine, the PIN check nearly all of it). What protects a PIN is
the lockout after 5 wrong tries, and a key that is not in the database: with this hasher a
copy of the database alone cannot test a single guess. Keys listed in SECRET_KEY_FALLBACKS
still verify, so the key can be rotated; a PIN stored by an older hasher (PBKDF2) still
verifies and is stored again this way. Stored as `pin_hmac_sha256$<salt>$<hex digest>`.
"""

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils.crypto import constant_time_compare, salted_hmac

ALGORITHM = "pin_hmac_sha256"


def _digest(pin: str, salt: str, key: str) -> str:
    return salted_hmac(
        f"wallet.transaction-pin:{salt}", pin, secret=key, algorithm="sha256"
    ).hexdigest()


def hash_pin(pin: str) -> str:
    salt = secrets.token_hex(16)
    return f"{ALGORITHM}${salt}${_digest(pin, salt, settings.SECRET_KEY)}"


def pin_matches(pin: str, stored: str) -> tuple[bool, bool]:
    """(whether `pin` is the stored one, whether the stored hash is of an older kind and should
    be written again with `hash_pin`)."""
    algorithm, _, rest = stored.partition("$")
    if algorithm != ALGORITHM:  # Django's password hashers stored PINs before this one
        return check_password(pin, stored), True
    salt, _, digest = rest.partition("$")
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(constant_time_compare(_digest(pin, salt, key), digest) for key in keys), False

"""How a transaction PIN is stored: a salted HMAC-SHA256 keyed with the site's SECRET_KEY.

A 4-digit PIN has 10,000 values, so a slow password hash does not protect it: whoever holds
the stored hash tries them all (PBKDF2's million rounds make that an hour on one core, far
less on a GPU), while every honest payment paid ~300 ms of CPU for the check (bench/api.py:
6.6 API transfers/s on this machine, the PIN check nearly all of it). What protects a PIN is
the lockout after 5 wrong tries, and a key that is not in the database: with this hasher a
copy of the database alone cannot test a single guess. Keys listed in SECRET_KEY_FALLBACKS
still verify, so the key can be rotated; a PIN stored by an older hasher (PBKDF2) still
verifies and is stored again with this one.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import BasePasswordHasher
from django.utils.crypto import constant_time_compare

ALGORITHM = "pin_hmac_sha256"


def _digest(pin: str, salt: str, key: str) -> str:
    return hmac.new(
        key.encode(), f"wallet.transaction-pin:{salt}:{pin}".encode(), hashlib.sha256
    ).hexdigest()


class PinHasher(BasePasswordHasher):
    """Django's hasher interface (encode, verify, decode). Not in PASSWORD_HASHERS: account
    passwords keep Django's slow hashers; `wallet.services.outflows.pin` calls this one."""

    algorithm = ALGORITHM

    def salt(self):
        return secrets.token_hex(16)

    def encode(self, password, salt):
        return f"{self.algorithm}${salt}${_digest(password, salt, settings.SECRET_KEY)}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "salt": salt, "hash": digest}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        found = [
            constant_time_compare(_digest(password, decoded["salt"], key), decoded["hash"])
            for key in keys
        ]
        return any(found)

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {"algorithm": decoded["algorithm"], "salt": decoded["salt"][:4] + "…"}

    def harden_runtime(self, password, encoded):
        pass


def hash_pin(pin: str) -> str:
    hasher = PinHasher()
    return hasher.encode(pin, hasher.salt())


def pin_matches(pin: str, stored: str) -> tuple[bool, bool]:
    """(whether `pin` is the stored one, whether the stored hash is of an older kind and should
    be written again with this hasher)."""
    if stored.startswith(f"{ALGORITHM}$"):
        return PinHasher().verify(pin, stored), False
    from django.contrib.auth.hashers import check_password

    return check_password(pin, stored), True

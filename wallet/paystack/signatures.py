"""Paystack's webhook signature: HMAC-SHA512 of the raw body with the secret key."""

import hashlib
import hmac


def verify_webhook_signature(
    raw_body: bytes, signature: str, secret_key: str | None = None
) -> bool:
    """True when `signature` (the x-paystack-signature header) is the hex HMAC-SHA512 of the
    exact raw body keyed with the secret key. An empty key or signature never verifies."""
    if secret_key is None:
        from django.conf import settings

        secret_key = settings.PAYSTACK_SECRET_KEY
    if not secret_key or not signature or not isinstance(raw_body, bytes | bytearray):
        return False
    expected = hmac.new(secret_key.encode(), bytes(raw_body), hashlib.sha512).hexdigest()
    try:
        return hmac.compare_digest(expected, signature.strip().lower())
    except TypeError:  # non-ASCII header
        return False

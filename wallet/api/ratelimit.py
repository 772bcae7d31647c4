"""Fixed-window rate limits kept in Django's cache (shared by every worker when the cache is).

Rates are settings such as WALLET_TRANSFER_RATE_LIMIT = "20/m", read at call time so tests
and deployments can change them; "" or "0" turns a limit off.
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOWS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_RATES = {
    "transfer": "20/m",
    "recipient_lookup": "60/m",
}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """ "20/m" -> (20, 60); None when the limit is switched off."""
    if not rate or rate == "0":
        return None
    count, _, unit = rate.partition("/")
    return int(count), WINDOWS[unit or "m"]


def _rate_for(scope: str) -> str:
    return getattr(settings, f"WALLET_{scope.upper()}_RATE_LIMIT", DEFAULT_RATES[scope])


def allow(scope: str, who: str) -> bool:
    """Count one attempt by `who` at `scope`; False once the window's allowance is used up."""
    parsed = parse_rate(_rate_for(scope))
    if parsed is None:
        return True
    limit, window = parsed
    bucket = f"ratelimit:{scope}:{who}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 1):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # the bucket expired between add() and incr()
        cache.add(bucket, 1, timeout=window + 1)
        return True

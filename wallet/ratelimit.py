"""Rate limits kept in Django's cache (shared by every worker when the cache is).

Rates are settings such as WALLET_TRANSFER_RATE_LIMIT = "20/m", read at call time so tests
and deployments can change them; "" or "0" turns a limit off.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

WINDOWS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_RATES = {
    "transfer": "20/m",
    "recipient_lookup": "60/m",
    # Payouts: each of these reaches Paystack or moves money.
    "withdrawal": "10/m",
    "transfer_otp": "10/m",
    "pin_reset": "3/m",
    "bank_account_add": "10/m",
    "bank_account_lookup": "30/m",
    # Pay anyone (issue 24): sends to bank, the public payment page (per address).
    "bank_send": "10/m",
    "pay_link": "30/m",
    "money_request": "20/m",
    # Refused webhook requests, per source address: each one is a database write.
    "webhook_refusal": "60/m",
    # Charge reports staff will read (an unknown reference on the callback page), per wallet.
    "charge_anomaly": "10/h",
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
    """Count one attempt by `who` at `scope`; False once the allowance is used up."""
    parsed = parse_rate(_rate_for(scope))
    if parsed is None:
        return True
    return hit(f"ratelimit:{scope}:{who}", *parsed) is None


def hit(prefix: str, limit: int, window: int) -> int | None:
    """Count one attempt against `limit` per `window` seconds under the cache key `prefix`;
    None while allowed, else the seconds to wait.

    A sliding window estimated from two fixed ones (the previous window's count weighted by
    how much of it still overlaps): no burst of twice the limit across a window boundary.
    Two cache round trips (an atomic increment, one read), whatever the rate: with Redis the
    count is exact under any number of web processes.
    """
    now = time.time()
    index, elapsed = divmod(now, window)
    current = _increment(f"{prefix}:{int(index)}", timeout=2 * window)
    previous = cache.get(f"{prefix}:{int(index) - 1}", 0)
    return _wait(current, previous, limit, window, elapsed)


def _wait(current: int, previous: int, limit: int, window: int, elapsed: float) -> int | None:
    """The sliding-window decision: None while allowed, else the seconds to wait."""
    if previous * (1 - elapsed / window) + current <= limit:
        return None
    return max(1, math.ceil(window - elapsed))


def hit_many(checks: list[tuple[str, int, int]]) -> list[int | None]:
    """`hit` for several (prefix, limit, window) at once, each counted: with Redis one round
    trip for all of them (a pipeline of SET NX, INCR and GET per check) instead of two each."""
    client = _redis_client() if checks else None
    if client is None:
        return [hit(prefix, limit, window) for prefix, limit, window in checks]
    now = time.time()
    pipeline = client.pipeline(transaction=False)
    for prefix, _, window in checks:
        index = int(now // window)
        current = cache.make_key(f"{prefix}:{index}")
        pipeline.set(current, 0, ex=2 * window, nx=True)  # a window's first attempt adds it
        pipeline.incr(current)
        pipeline.get(cache.make_key(f"{prefix}:{index - 1}"))
    answers = pipeline.execute()
    waits = []
    for number, (_, limit, window) in enumerate(checks):
        current, previous = answers[3 * number + 1], int(answers[3 * number + 2] or 0)
        waits.append(_wait(current, previous, limit, window, now % window))
    return waits


def _redis_client():
    """The raw Redis client behind the default cache (django-redis), or None for any other
    cache. django-redis stores integers as plain Redis integers, so INCR and `cache.get`
    read the same counters."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    return get_client(write=True) if get_client is not None else None


def _increment(key: str, timeout: int) -> int:
    # The count usually exists already: one atomic INCR in Redis (a read and a write in the
    # database cache); a window's first attempt adds it.
    try:
        return cache.incr(key)
    except ValueError:  # no count yet in this window (or it just expired)
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # another process added it at the same moment

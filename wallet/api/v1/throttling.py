"""Money endpoints are throttled per user, per API token and per client IP at once; the
first limit reached answers 429 with Retry-After. Rates: WALLET_API_MONEY_RATE_* settings.

Counted as wallet/ratelimit.py counts (an atomic increment per window, a sliding estimate),
not as DRF's list of timestamps read and written back whole, and exact across web processes
with Redis (CACHE_URL/REDIS_URL). The three are counted together (`check_money_throttles`):
with Redis one pipelined round trip for all three. Every attempt counts, a refused one too."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from wallet.client_address import client_address
from wallet.models import ApiToken
from wallet.ratelimit import hit, hit_many


class _MoneyThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read on each request, not at import, so a deployment or a test may change it.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None
        return None if rate == "0" else rate

    def allow_request(self, request, view):
        counter = self.counter(request, view)
        if counter is None:
            return True
        self._wait = hit(*counter)
        return self._wait is None

    def wait(self):
        return self._wait

    def counter(self, request, view) -> tuple[str, int, int] | None:
        """(cache key, limit, window) this request counts against, or None when off."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, view)
        return None if self.key is None else (self.key, self.num_requests, self.duration)

    def get_ident(self, request):
        # The client behind our own proxies (TRUSTED_PROXIES), as login limits and the audit
        # log see it; DRF's NUM_PROXIES hop count is not used.
        return client_address(request) or "unknown"

    def _key(self, ident):
        return self.cache_format % {"scope": self.scope, "ident": ident}


class MoneyUserThrottle(_MoneyThrottle):
    scope = "money_user"

    def get_cache_key(self, request, view):
        return self._key(request.user.pk) if request.user.is_authenticated else None


class MoneyTokenThrottle(_MoneyThrottle):
    scope = "money_token"

    def get_cache_key(self, request, view):
        token = request.auth
        return self._key(token.pk) if isinstance(token, ApiToken) else None


class MoneyIpThrottle(_MoneyThrottle):
    scope = "money_ip"

    def get_cache_key(self, request, view):
        return self._key(self.get_ident(request))


MONEY_THROTTLES = [MoneyUserThrottle, MoneyTokenThrottle, MoneyIpThrottle]


def check_money_throttles(throttles, request, view) -> list[int]:
    """Count the request against every throttle at once; the waits of those it exceeds."""
    counted = [(throttle, throttle.counter(request, view)) for throttle in throttles]
    counted = [(throttle, counter) for throttle, counter in counted if counter is not None]
    waits = hit_many([counter for _, counter in counted])
    return [wait for wait in waits if wait is not None]

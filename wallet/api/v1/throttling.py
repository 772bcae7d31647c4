"""Money endpoints are throttled per user, per API token and per client IP at once; the
first limit reached answers 429 with Retry-After. Rates: WALLET_API_MONEY_RATE_* settings."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from wallet.client_address import client_address
from wallet.models import ApiToken


class _MoneyThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read on each request, not at import, so a deployment or a test may change it.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None
        return None if rate == "0" else rate

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

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme

from wallet.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url):
        # Only this site's own hosts, and never scheme-relative tricks like //evil.com.
        return bool(url) and url_has_allowed_host_and_scheme(
            url, allowed_hosts=None, require_https=False
        )

    def get_client_ip(self, request):
        # Login rate limits count the client, not our proxy: the same trusted-hops rule as the
        # webhook allowlist (TRUSTED_PROXIES), so no header a client writes is believed.
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.http import url_has_allowed_host_and_scheme


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url):
        # Only this site's own hosts, and never scheme-relative tricks like //evil.com.
        return bool(url) and url_has_allowed_host_and_scheme(
            url, allowed_hosts=None, require_https=False
        )

"""Site-wide middleware."""

from walletsite.toasts import add_toasts

_FULL_PAGE_HEADERS = ("HX-Redirect", "HX-Location", "HX-Refresh")


class HtmxMessagesMiddleware:
    """Delivers Django messages to htmx requests as toasts (HX-Trigger "messages").

    A full page shows messages from base.html; an htmx fragment has nowhere to show them, so
    they ride along in the response header instead. Redirects keep them for the next page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or not self._stays_on_page(response):
            return response
        storage = getattr(request, "_messages", None)
        if storage is None or storage.used:  # no messages app, or already rendered in the page
            return response
        pending = [{"message": str(m), "level": m.level_tag} for m in storage]
        if pending:
            add_toasts(response, pending)
        return response

    @staticmethod
    def _stays_on_page(response):
        if 300 <= response.status_code < 400:
            return False
        return not any(header in response.headers for header in _FULL_PAGE_HEADERS)

"""The Paystack webhook's own lane through the middleware stack (issue 25).

Paystack's POST needs nothing a person's request needs: no session, CSRF token, user,
messages, htmx, allauth, usersessions, history user, device cookie or replica routing (it
writes, so it reads the primary anyway). Walking those layers cost about a third of the CPU
of an acknowledgement (docs/PERFORMANCE.md). Placed right under SecurityMiddleware (which
still redirects plain HTTP and adds HSTS, nosniff, Referrer-Policy and COOP), this middleware
answers `POST <the webhook's URL>` by calling the view itself, after the checks that hold on
every route: an allowed Host header, and no control character in the path, query or headers
(RefuseControlCharactersMiddleware; the body is the view's, checked by its signature). The
answer gets the other headers every answer carries, with the policy a JSON answer needs.
Every other request, and any other method on that URL, goes down the whole stack.

`WEBHOOK_FAST_PATH=0` switches the lane off: the webhook then walks every middleware.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.urls import resolve, reverse

from walletsite.middleware import RefuseControlCharactersMiddleware

WEBHOOK_URL_NAME = "wallet:paystack_webhook"
# A JSON answer loads nothing and may be framed by no one.
JSON_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class WebhookLaneMiddleware:
    def __init__(self, get_response):
        if not settings.WEBHOOK_FAST_PATH:
            raise MiddlewareNotUsed("WEBHOOK_FAST_PATH is off")
        self.get_response = get_response
        self._route = None  # (path, checked view): the URLconf is not loaded yet here

    def __call__(self, request):
        path, checked_view = self._route or self._resolve()
        if request.method != "POST" or request.path != path:  # reverse() includes SCRIPT_NAME
            return self.get_response(request)
        request.get_host()  # a Host not in ALLOWED_HOSTS: 400, as CommonMiddleware would say
        response = checked_view(request)
        # As CommonMiddleware does: a length, so the server need not chunk the answer.
        response.headers.setdefault("Content-Length", str(len(response.content)))
        response.headers.setdefault("Content-Security-Policy", JSON_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    def _resolve(self):
        path = reverse(WEBHOOK_URL_NAME)
        view = resolve(path).func
        self._route = (path, RefuseControlCharactersMiddleware(view))
        return self._route

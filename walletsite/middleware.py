"""Site-wide middleware."""

import re
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse

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


# C0 controls except tab, newline and carriage return; DEL; C1 controls. NUL is the one that
# breaks PostgreSQL (a DataError, a 500); none of them belongs in any field of this site.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATES = re.compile("[\ud800-\udfff]")
# The same characters written as JSON escapes (\u0000); tab, newline and CR stay allowed.
CONTROL_ESCAPES = re.compile(r"\\u00(?:0[0-8bcef]|1[0-9a-f]|7f|[89][0-9a-f])", re.IGNORECASE)
# A UTF-16 surrogate written as a JSON escape without its pair (\ud800 alone): no character
# at all, which Python keeps as a str that cannot be encoded (a 500 wherever it is saved).
LONE_SURROGATE_ESCAPES = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
REFUSAL = (
    "The request contains control characters (such as NUL) or unpaired UTF-16 surrogates "
    "that no field accepts."
)


class RefuseControlCharactersMiddleware:
    """A clear 400 for a NUL or other control character anywhere a view could read it: the
    path, the query string, a header, a form field or a JSON body (security review, finding 4).

    A view whose raw body is signed and checked by the view itself (the Paystack webhook, marked
    `raw_body_is_signed`) gets its body unread here: an unsigned body earns a 401 there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control(request.path) or _has_control(request.META.get("QUERY_STRING", "")):
            return _refused(request)
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_"))
        if any(isinstance(value, str) and _has_control(value) for value in headers):
            return _refused(request)
        if any(_has_control(key) or _has_control(value) for key, value in _query(request)):
            return _refused(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "raw_body_is_signed", False) or request.method in ("GET", "HEAD"):
            return None
        if _body_has_control(request):
            return _refused(request)
        return None


def _has_control(text: str) -> bool:
    # (A lone surrogate itself can only be in a str decoded with "surrogateescape"/"pass".)
    return CONTROL_CHARACTERS.search(text) is not None or SURROGATES.search(text) is not None


def _query(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


def _body_has_control(request) -> bool:
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        request.body  # noqa: B018  cache the raw body first, so the JSON API can still read it
        return any(
            _has_control(key) or _has_control(value)
            for key, values in request.POST.lists()
            for value in values
            if isinstance(value, str)
        )
    text = request.body.decode("utf-8", "replace")
    return (
        _has_control(text)
        or CONTROL_ESCAPES.search(text) is not None
        or LONE_SURROGATE_ESCAPES.search(text) is not None
    )


def _refused(request):
    if request.path.startswith("/wallet/api/") or "json" in request.headers.get("Accept", ""):
        body = {"status": "failed", "error": "invalid_characters", "reason": REFUSAL}
        return JsonResponse(body, status=400)
    return HttpResponseBadRequest(REFUSAL, content_type="text/plain; charset=utf-8")


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response (settings.PERMISSIONS_POLICY): the browser
    features no page of a wallet needs are switched off, for embedded content too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ExplainClientErrorsMiddleware:
    """A 4xx never arrives empty: Django's 405 (require_POST and friends) and a bare 429 carry
    no body, which tells a person nothing. Fill in a short reason, as JSON on the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not 400 <= response.status_code < 500 or response.streaming or response.content:
            return response
        reason = _reason_for(request, response)
        if request.path.startswith("/wallet/api/"):
            body = {"status": "failed", "error": f"http_{response.status_code}", "reason": reason}
            explained = JsonResponse(body, status=response.status_code)
        else:
            explained = HttpResponse(
                reason, status=response.status_code, content_type="text/plain; charset=utf-8"
            )
        for header, value in response.headers.items():
            if header.lower() not in ("content-type", "content-length"):
                explained.headers[header] = value
        explained.cookies = response.cookies
        return explained


def _reason_for(request, response) -> str:
    status = response.status_code
    if status == 405:
        allowed = response.headers.get("Allow", "")
        return f"This page does not accept {request.method} requests; it accepts {allowed}."
    if status == 429:
        return "Too many attempts in a short time. Wait a minute and try again."
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Refused"
    return f"{phrase}: the request could not be completed."

"""Re-authentication: the one check in front of every change of who owns the account or how
money may leave it (e-mail, phone, handle, password, PIN, MFA, API tokens, bank accounts).

Proof is a password entered again within ACCOUNT_REAUTHENTICATION_TIMEOUT on this session,
with the authenticator code where the customer has MFA (accounts.forms.ReauthenticateForm
asks both on allauth's /accounts/reauthenticate/ page). A request authenticated by an API
token carries no session, so it can never prove it: those operations are web-only for tokens.

- web views: `@reauthentication_required` (`allow_get=True`: the page itself can be read), or
  `require_reauthentication(request)` inside a view that needs it only for some changes;
  allauth's middleware then sends the browser to the password page and resumes the POST.
- JSON (the guide's endpoints and v1): `require_reauthentication_for_api(request)` raises
  wallet.exceptions.ReauthenticationRequired, answered as 403 `reauthentication_required`.
"""

from functools import wraps

from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.exceptions import ReauthenticationRequired as BrowserReauthentication
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode

from wallet.exceptions import ReauthenticationRequired


def recently_reauthenticated(request) -> bool:
    """True when this request's session re-entered the password (and TOTP) within the timeout.
    A token-authenticated API request has no such session and is never recent."""
    if getattr(request, "auth", None) is not None:  # DRF: a bearer token, not the session
        return False
    django_request = getattr(request, "_request", request)
    if not getattr(django_request, "session", None):
        return False
    return did_recently_reauthenticate(django_request)


def require_reauthentication(request) -> None:
    """In a page view: send the browser to re-authenticate (the POST resumes afterwards).
    An htmx request gets a full-page HX-Redirect instead (a redirect would be swapped into the
    fragment); the person submits again once back."""
    if recently_reauthenticated(request):
        return
    if getattr(request, "htmx", False):
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        url = f"{reverse('account_reauthenticate')}?{query}"
        raise ImmediateHttpResponse(HttpResponse(status=204, headers={"HX-Redirect": url}))
    raise BrowserReauthentication()


def require_reauthentication_for_api(request) -> None:
    """In a JSON view: 403 reauthentication_required unless the session proved it recently."""
    if not recently_reauthenticated(request):
        raise ReauthenticationRequired()


def reauthentication_required(view=None, *, allow_get=False):
    """Decorator for page views: a recent re-authentication, for every method or (allow_get)
    only for the ones that change something."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (allow_get and request.method in ("GET", "HEAD", "OPTIONS")):
                require_reauthentication(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator

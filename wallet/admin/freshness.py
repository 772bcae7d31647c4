"""Staff sessions: a back-office session ends after BACKOFFICE_IDLE_MINUTES without a request,
and making or approving a money request or an access change needs a TOTP code entered within
BACKOFFICE_TOTP_FRESH_MINUTES (the sign-in's code counts; an older one asks for a new code on
the confirmation page itself)."""

import time

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import logout

from wallet.exceptions import ActionNotAllowed

SEEN_KEY = "backoffice_seen_at"
# A request this soon after the noted one is not noted again, so the session is not saved (a
# write on the primary for every page read from the replica). An idle session then ends at
# most this much early, never late.
SEEN_EVERY_SECONDS = 60


class FreshCodeNeeded(ActionNotAllowed):
    default_message = "Enter a code from your authenticator app: your last one is too old."


def idle_too_long(request) -> bool:
    """End the session if the back office was idle too long; else note this request."""
    now = time.time()
    seen = request.session.get(SEEN_KEY)
    if isinstance(seen, int | float) and now - seen > settings.BACKOFFICE_IDLE_MINUTES * 60:
        logout(request)
        return True
    if not isinstance(seen, int | float) or not 0 <= now - seen < SEEN_EVERY_SECONDS:
        request.session[SEEN_KEY] = now
    return False


def last_code_at(request) -> float | None:
    records = get_authentication_records(request, request.user)
    times = [r.get("at") for r in records if r.get("method") == "mfa"]
    times = [t for t in times if isinstance(t, int | float)]
    return max(times) if times else None


def code_is_fresh(request) -> bool:
    at = last_code_at(request)
    return at is not None and time.time() - at <= settings.BACKOFFICE_TOTP_FRESH_MINUTES * 60


def needs_fresh_code(action) -> bool:
    return bool(action.moves_money or action.changes_access)


def require_fresh_code(request) -> None:
    """Pass if the last code is fresh or the form carries a valid one (then it is recorded);
    raise FreshCodeNeeded otherwise."""
    if code_is_fresh(request):
        return
    code = str(request.POST.get("totp_code") or "").strip()
    authenticator = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.TOTP
    ).first()
    if (
        code.isascii()
        and code.isdigit()
        and authenticator
        and TOTP(authenticator).validate_code(code)
    ):
        record_authentication(request, request.user, "mfa", type=authenticator.type)
        return
    minutes = settings.BACKOFFICE_TOTP_FRESH_MINUTES
    raise FreshCodeNeeded(
        f"Enter a code from your authenticator app: the last one is more than {minutes} "
        "minutes old." + (" That code was not right." if code else "")
    )

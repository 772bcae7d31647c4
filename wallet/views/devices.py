"""The browser side of safety mode: read the device cookie at sign-in, set it afterwards."""

from wallet.services.outflows.safety import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_MAX_AGE,
    DEVICE_COOKIE_SALT,
    recognise_sign_in,
)


def on_sign_in(sender, request, user, **kwargs):
    """Connected to django.contrib.auth's user_logged_in (allauth's logins send it too)."""
    if request is None or not hasattr(request, "COOKIES"):
        return
    known = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT)
    agent = request.META.get("HTTP_USER_AGENT", "")
    request._wallet_device_id = recognise_sign_in(user, known, agent)


class DeviceCookieMiddleware:
    """Hands the browser its device id after a sign-in (signed, long-lived, HttpOnly)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        device_id = getattr(request, "_wallet_device_id", None)
        if device_id:
            response.set_signed_cookie(
                DEVICE_COOKIE,
                device_id,
                salt=DEVICE_COOKIE_SALT,
                max_age=DEVICE_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

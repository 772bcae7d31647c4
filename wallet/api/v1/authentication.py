"""Who is calling: a personal API token (`Authorization: Bearer wlt_...`) or the browser
session, whose unsafe requests must carry the CSRF token (the guide's `X-CSRFToken`)."""

from rest_framework import authentication, exceptions

from wallet.services.api_tokens import token_for_secret


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <token>'.", code="invalid_token"
            )
        token = token_for_secret(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This API token is unknown, expired or revoked.", code="invalid_token"
            )
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="wallet"'


class SessionWithCsrfAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced on unsafe methods), with a coded refusal."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refusal:
            raise exceptions.PermissionDenied(str(refusal.detail), code="csrf_failed")

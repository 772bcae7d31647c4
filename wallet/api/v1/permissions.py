"""Token scopes: `read` may only read; `money` may also act (send, withdraw, add accounts).
The browser session may do everything its user may."""

from rest_framework import permissions

from wallet.models import ApiToken


class TokenScopeAllows(permissions.BasePermission):
    message = "This API token has the read scope only; this request needs the money scope."
    code = "insufficient_scope"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if not isinstance(token, ApiToken) or request.method in permissions.SAFE_METHODS:
            return True
        return token.can_move_money

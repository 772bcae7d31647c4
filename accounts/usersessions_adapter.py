"""allauth.usersessions, tightened: "sign out everywhere else" also revokes every API token, so
a token made by someone holding a stolen session dies with that session (issue 20)."""

from allauth.core import context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from wallet.services.api_tokens import revoke_all_tokens


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        users = {session.user for session in sessions}
        request = context.request
        if request is not None and request.user.is_authenticated:
            users.add(request.user)  # the one asking, even when no other session was listed
        for user in users:
            revoke_all_tokens(user=user)

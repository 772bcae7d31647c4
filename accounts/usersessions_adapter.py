"""allauth.usersessions, tightened: "sign out everywhere else" also revokes every API token, so
a token made by someone holding a stolen session dies with that session (issue 20)."""

from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from wallet.services.api_tokens import revoke_all_tokens


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        for user in {session.user for session in sessions}:
            revoke_all_tokens(user=user)

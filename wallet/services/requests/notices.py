"""Telling a customer someone asked them for money: a notification (the bell, the list) and
its e-mail, sent by the worker after the request commits, once (notify)."""

from accounts.identity import full_name
from wallet.models import MoneyRequest, NotificationKind
from wallet.services.notifications.events import naira
from wallet.services.notifications.service import notify


def request_received(request: MoneyRequest) -> None:
    """Call inside the transaction that creates the request."""
    requester = request.requester.user
    who = full_name(requester) + (f" (@{requester.handle})" if requester.handle else "")
    note = f": “{request.note}”" if request.note else ""
    notify(
        user=request.payer.user,
        kind=NotificationKind.REQUEST,
        event_key=f"request:{request.pk}",
        title=f"{full_name(requester)} asked you for {naira(request.amount)}",
        body=f"{who} asked you for {naira(request.amount)}{note}. Pay it with your PIN or "
        f"decline it before {request.expires_at:%-d %b %Y}. If you do not know this person, "
        "decline it and block them.",
        link="/wallet/requests/",
    )

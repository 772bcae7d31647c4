"""Which wallet a public payment link names. Anything that cannot take a payment - no such
handle, a deactivated user, a locked wallet, a page switched off, an unknown or closed request
token - answers None, so the page reads the same for all of them."""

from django.db import transaction as db
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.identity import HANDLE_PATTERN, clean_handle
from wallet.models import MoneyRequest, MoneyRequestStatus, PayLinkSetting, Wallet


def page_enabled(wallet) -> bool:
    setting = PayLinkSetting.objects.filter(wallet=wallet).first()
    return setting is None or setting.enabled


def wallet_for_handle(handle: str) -> Wallet | None:
    handle = clean_handle(handle or "")
    if not HANDLE_PATTERN.fullmatch(handle):
        return None
    # One query whatever the answer: a missing page and a switched-off one take the same path.
    return (
        Wallet.objects.select_related("user")
        .alias(handle_lower=Lower("user__handle"))
        .filter(handle_lower=handle.lower(), user__is_active=True, is_locked=False)
        .filter(Q(pay_link_setting__isnull=True) | Q(pay_link_setting__enabled=True))
        .exclude(user__handle="")
        .first()
    )


def open_request_for_token(token: str) -> MoneyRequest | None:
    """The open, unexpired request a per-request link names, else None."""
    token = (token or "").strip()
    if not token or len(token) > 32 or not token.isascii():
        return None
    request = (
        MoneyRequest.objects.select_related("requester__user")
        .filter(
            token=token,
            status=MoneyRequestStatus.OPEN,
            expires_at__gt=timezone.now(),
            requester__is_locked=False,
            requester__user__is_active=True,
        )
        .first()
    )
    if request is None or not page_enabled(request.requester):
        return None
    return request


def set_page_enabled(wallet, *, enabled: bool) -> None:
    """The customer turns their public page on or off. Moves no money."""
    with db.atomic():
        PayLinkSetting.objects.update_or_create(wallet=wallet, defaults={"enabled": enabled})

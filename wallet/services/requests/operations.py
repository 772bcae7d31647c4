"""Create, pay, decline, cancel and block money requests. Paying is a wallet-to-wallet transfer
made in the same transaction that locks the request row and closes it: two sessions paying at
once find it paid one after the other, and the money moves once."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction as db
from django.utils import timezone

from wallet.exceptions import LimitExceeded, WalletError
from wallet.models import MoneyRequest, MoneyRequestStatus, RequestBlock, Transaction
from wallet.services.ledger.limits import check_amount
from wallet.services.requests import notices

OPEN = MoneyRequestStatus.OPEN
NOTE_MAX = 140


class RequestClosed(WalletError):
    default_message = "This request can no longer be paid."


def is_expired(request: MoneyRequest, now=None) -> bool:
    return request.status == OPEN and request.expires_at <= (now or timezone.now())


def shown_status(request: MoneyRequest) -> str:
    return "Expired" if is_expired(request) else request.get_status_display()


def create_request(*, requester, payer, amount, note: str = "") -> MoneyRequest:
    """Ask `payer` (a wallet, or None for a request paid only through its link) for `amount`.
    Raises InvalidAmount, WalletError (to yourself, blocked, bad note), LimitExceeded (the daily
    number of requests). Moves no money; e-mails the payer after the commit."""
    amount = check_amount(amount)
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX or not note.isprintable():
        raise WalletError(f"A note is at most {NOTE_MAX} characters of text.")
    if payer is not None and payer.pk == requester.pk:
        raise WalletError("You cannot request money from yourself.")
    if payer is not None and RequestBlock.objects.filter(blocker=payer, blocked=requester).exists():
        raise WalletError("This customer does not accept requests from you.")
    with db.atomic():
        type(requester).objects.select_for_update().get(pk=requester.pk)  # counted one by one
        _check_daily_limit(requester)
        request = MoneyRequest.objects.create(
            requester=requester,
            payer=payer,
            amount=amount,
            note=note,
            expires_at=timezone.now() + timedelta(days=settings.WALLET_MONEY_REQUEST_DAYS),
        )
        if payer is not None:
            notices.request_received(request)  # in-app now, e-mailed after the commit
    return request


def _check_daily_limit(requester) -> None:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    made = MoneyRequest.objects.filter(requester=requester, created_at__gte=start).count()
    if made >= settings.WALLET_MONEY_REQUESTS_PER_DAY:
        raise LimitExceeded(
            f"You can send at most {settings.WALLET_MONEY_REQUESTS_PER_DAY} requests a day. "
            "Try again tomorrow."
        )


def pay_request(transfer, *, request_id: int, payer) -> Transaction:
    """Pay an open request addressed to `payer` with a wallet transfer (`transfer` is
    WalletService.transfer); returns the payer's debit row. Raises RequestClosed (paid,
    declined, cancelled, expired), WalletError (not yours) and whatever the transfer raises
    (InsufficientFunds, LimitExceeded, WalletLocked...): then nothing moved."""
    with db.atomic():
        request = _locked(request_id)
        if request.payer_id != payer.pk:
            raise WalletError("This request is not addressed to you.")
        _check_open(request)
        requester = type(payer).objects.select_related("user").get(pk=request.requester_id)
        sent = transfer(
            source_wallet=payer,
            destination_wallet=requester,
            amount=request.amount,
            description=request.note or "Money request",
            reference=f"req-{request.pk}",
            metadata={
                "money_request": request.pk,
                "requester_handle": requester.user.handle,
                "payer_handle": payer.user.handle,
            },
        )
        received = Transaction.objects.get(reference=f"{sent.reference}-in")
        _close(request, MoneyRequestStatus.PAID, paid_transaction=received)
    return sent


def decline_request(*, request_id: int, payer) -> MoneyRequest:
    with db.atomic():
        request = _locked(request_id)
        if request.payer_id != payer.pk:
            raise WalletError("This request is not addressed to you.")
        _check_open(request)
        return _close(request, MoneyRequestStatus.DECLINED)


def cancel_request(*, request_id: int, requester) -> MoneyRequest:
    with db.atomic():
        request = _locked(request_id)
        if request.requester_id != requester.pk:
            raise WalletError("Only who asked can cancel a request.")
        _check_open(request)
        return _close(request, MoneyRequestStatus.CANCELLED)


def block_requester(*, blocker, blocked) -> None:
    """No more requests from `blocked`; their open requests to `blocker` are declined."""
    if blocker.pk == blocked.pk:
        return
    with db.atomic():
        RequestBlock.objects.get_or_create(blocker=blocker, blocked=blocked)
        MoneyRequest.objects.filter(payer=blocker, requester=blocked, status=OPEN).update(
            status=MoneyRequestStatus.DECLINED, closed_at=timezone.now()
        )


def _locked(request_id: int) -> MoneyRequest:
    request = MoneyRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise WalletError("There is no such request.")
    return request


def _check_open(request: MoneyRequest) -> None:
    if request.status == MoneyRequestStatus.PAID:
        raise RequestClosed("This request has already been paid.")
    if request.status != OPEN:
        raise RequestClosed(f"This request was {request.get_status_display().lower()}.")
    if is_expired(request):
        raise RequestClosed("This request has expired.")


def _close(request: MoneyRequest, status: str, paid_transaction=None) -> MoneyRequest:
    request.status, request.closed_at = status, timezone.now()
    request.paid_transaction = paid_transaction
    request.save(update_fields=["status", "closed_at", "paid_transaction"])
    return request

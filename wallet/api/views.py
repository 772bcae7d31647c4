"""The usage guide's JSON endpoints ("Using the API in JavaScript"), on the user's wallet.

Session authentication with CSRF (the guide sends X-CSRFToken); every answer is JSON; errors
are {"status": "failed", "error": code, "reason": message} with a status code that says why.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import JsonResponse

from wallet.amounts import parse_amount_text
from wallet.api.decorators import api_view, idempotent, reference_for_key
from wallet.api.responses import ApiError
from wallet.exceptions import WalletError
from wallet.models import Wallet
from wallet.ratelimit import allow
from wallet.services.ledger.limits import check_amount
from wallet.services.outflows.guard import confirm_outflow
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService


def _required(body: dict, name: str):
    value = body.get(name)
    if value is None or value == "":
        raise ApiError(400, "invalid_request", f"'{name}' is required.")
    return value


def _amount(body: dict) -> Decimal:
    value = _required(body, "amount")
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ApiError(422, "invalid_amount", "'amount' must be a number or a numeric string.")
    try:
        # A JSON number is held to the same rule as its text: no exponent, sign or -0.
        return check_amount(parse_amount_text(str(value)))
    except WalletError as error:
        raise ApiError.from_wallet_error(error)


def _text(body: dict, name: str, max_length: int) -> str:
    value = body.get(name) or ""
    if not isinstance(value, str):
        raise ApiError(422, "invalid_request", f"'{name}' must be a string.")
    if len(value) > max_length:
        raise ApiError(422, "invalid_request", f"'{name}' must be at most {max_length} characters.")
    return value.strip()


def _call(operation, **kwargs):
    """Run a service call, turning a WalletError into the matching JSON error."""
    try:
        return operation(**kwargs)
    except WalletError as error:
        raise ApiError.from_wallet_error(error)


def _transaction_json(transaction, **extra) -> dict:
    return {
        "status": transaction.status,
        "transaction_id": transaction.pk,
        "reference": transaction.reference,
        "amount": str(transaction.amount),
        "fee": str(transaction.fee),
        "currency": transaction.currency,
        "description": transaction.description,
        "created_at": transaction.created_at.isoformat(),
        **extra,
    }


@api_view
@idempotent
def deposit(request, body):
    """Start a card deposit: Paystack's authorization_url to send the user to."""
    amount = _amount(body)
    email = _text(body, "email", 254) or request.user.email
    try:
        validate_email(email)
    except ValidationError:
        raise ApiError(422, "invalid_email", "'email' is not a valid e-mail address.")
    callback_url = _text(body, "callback_url", 2000) or None
    service = WalletService()
    wallet = service.get_wallet(request.user)
    data = _call(
        service.initialize_card_charge,
        wallet=wallet,
        amount=amount,
        email=email,
        callback_url=callback_url,
        reference=reference_for_key(request),
    )
    answer = {
        "status": "pending",
        "authorization_url": data["authorization_url"],
        "access_code": data.get("access_code", ""),
        "reference": data["reference"],
        "amount": str(amount),
        "currency": wallet.currency,
    }
    return JsonResponse(answer, status=201)


@api_view
def verify(request, body):
    """Ask Paystack about one of this wallet's charges and settle it locally (credit once)."""
    reference = _text(body, "reference", 100)
    if not reference:
        raise ApiError(400, "invalid_request", "'reference' is required.")
    wallet = WalletService().get_wallet(request.user)
    if not wallet.transactions.filter(reference=reference).exists():
        raise ApiError(404, "not_found", "No transaction with that reference in your wallet.")
    data = _call(
        TransactionService().verify_paystack_transaction, reference=reference, wallet=wallet
    )
    local = wallet.transactions.get(reference=reference)
    answer = {
        "status": data.get("status", ""),
        "reference": reference,
        "gateway_response": data.get("gateway_response", ""),
        "paid_at": data.get("paid_at") or data.get("paidAt"),
        "channel": data.get("channel", ""),
        "transaction": _transaction_json(local),
    }
    return JsonResponse(answer)


def _destination(body: dict) -> Wallet:
    raw = _required(body, "destination_wallet_id")
    if isinstance(raw, bool) or not (str(raw).isascii() and str(raw).isdigit()):
        raise ApiError(422, "invalid_request", "'destination_wallet_id' must be a wallet id.")
    destination = Wallet.objects.filter(pk=int(raw)).first()
    if destination is None:
        raise ApiError(404, "wallet_not_found", "Recipient wallet not found.")
    return destination


@api_view
@idempotent
def transfer(request, body):
    """Move money from the user's wallet to another wallet, at once and for free.

    Takes the user's transaction PIN as `pin` (WALLET_PIN_REQUIRED): missing or wrong, 403
    pin_required / pin_invalid in the guide's failure shape, checked after the rest of the body
    so a malformed request costs no PIN try."""
    amount = _amount(body)
    description = _text(body, "description", 255)
    service = WalletService()
    source = service.get_wallet(request.user)
    destination = _destination(body)
    if destination.pk == source.pk:
        raise ApiError(422, "same_wallet", "You cannot send money to your own wallet.")
    if not allow("transfer", str(request.user.pk)):
        raise ApiError(429, "rate_limited", "Too many transfers in a short time; wait a minute.")
    _call(confirm_outflow, user=request.user, pin=body.get("pin"))
    transaction = _call(
        service.transfer,
        source_wallet=source,
        destination_wallet=destination,
        amount=amount,
        description=description or f"Transfer to wallet {destination.pk}",
        reference=reference_for_key(request),
    )
    body = _transaction_json(transaction, destination_wallet_id=destination.pk)
    return JsonResponse(body, status=201)

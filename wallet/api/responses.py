"""JSON answers of the API: one shape for every error, a status code that says what happened."""

from django.http import JsonResponse

from wallet import exceptions

# Which HTTP status a wallet error becomes. Order matters: subclasses before their parents.
ERROR_STATUS = [
    (exceptions.PinRequired, 403, "pin_required"),
    (exceptions.PinInvalid, 403, "pin_invalid"),
    (exceptions.ReauthenticationRequired, 403, "reauthentication_required"),
    (exceptions.InsufficientFunds, 402, "insufficient_funds"),
    (exceptions.OutflowsFrozen, 423, "outflows_frozen"),
    (exceptions.WalletLocked, 423, "wallet_locked"),
    (exceptions.InvalidAmount, 422, "invalid_amount"),
    (exceptions.LimitExceeded, 422, "limit_exceeded"),
    (exceptions.CurrencyMismatch, 422, "currency_mismatch"),
    (exceptions.RecipientDeactivated, 422, "recipient_deactivated"),
    (exceptions.DuplicateReference, 409, "duplicate_reference"),
    (exceptions.PaystackUnavailable, 503, "gateway_unavailable"),
    (exceptions.PaystackAPIError, 502, "gateway_error"),
    (exceptions.WalletError, 422, "wallet_error"),
]


class ApiError(Exception):
    """Raised inside an API view to answer with a JSON error right away."""

    def __init__(self, status: int, code: str, reason: str):
        super().__init__(reason)
        self.status, self.code, self.reason = status, code, reason

    @classmethod
    def from_wallet_error(cls, error: exceptions.WalletError) -> "ApiError":
        for error_class, status, code in ERROR_STATUS:
            if isinstance(error, error_class):
                return cls(status, code, error.message)
        return cls(422, "wallet_error", str(error))  # pragma: no cover - WalletError is last

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.reason)


def error_response(status: int, code: str, reason: str) -> JsonResponse:
    """{"status": "failed", "error": code, "reason": message}: the guide's failure shape."""
    body = {"status": "failed", "error": code, "reason": reason}
    return JsonResponse(body, status=status)

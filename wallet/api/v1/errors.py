"""One error shape for every answer that is not a success, the guide's
{"status": "failed", "error": code, "reason": text}, and a 4xx for every refusal."""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from wallet import exceptions as wallet_errors
from wallet.api.responses import ERROR_STATUS, ApiError

# v1 keeps the guide's codes; an unreachable or refusing gateway is still a 4xx here
# (424 Failed Dependency): the request was fine, something it depends on was not.
GATEWAY_STATUS = 424
DRF_ERRORS = {
    exceptions.ParseError: (400, "invalid_json"),
    exceptions.NotAuthenticated: (401, "not_authenticated"),
    exceptions.AuthenticationFailed: (401, "invalid_token"),
    exceptions.PermissionDenied: (403, "permission_denied"),
    exceptions.NotFound: (404, "not_found"),
    exceptions.MethodNotAllowed: (405, "method_not_allowed"),
    exceptions.NotAcceptable: (406, "not_acceptable"),
    exceptions.UnsupportedMediaType: (415, "unsupported_media_type"),
    exceptions.Throttled: (429, "rate_limited"),
}


def failure(status: int, code: str, reason: str, headers=None) -> Response:
    body = {"status": "failed", "error": code, "reason": reason}
    return Response(body, status=status, headers=headers)


def api_exception_handler(exc, context):
    """REST framework's EXCEPTION_HANDLER; None (a 500) only for a genuine bug."""
    if isinstance(exc, ApiError):
        return failure(exc.status, exc.code, exc.reason)
    if isinstance(exc, wallet_errors.WalletError):
        return failure(*wallet_error_answer(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        return _validation_failure(exc)
    if isinstance(exc, exceptions.APIException):
        return _api_failure(exc)
    return None


def wallet_error_answer(error: wallet_errors.WalletError) -> tuple[int, str, str]:
    if isinstance(error, wallet_errors.PaystackAPIError):
        code = "gateway_unavailable" if error.inconclusive else "gateway_error"
        return GATEWAY_STATUS, code, error.message
    for error_class, status, code in ERROR_STATUS:
        if error_class is not wallet_errors.WalletError and isinstance(error, error_class):
            return status, code, error.message
    # Any other refusal is named after its class (bank_account_unavailable, invalid_schedule).
    return 422, _snake(type(error).__name__), error.message


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _api_failure(exc: exceptions.APIException) -> Response:
    status, code = next(
        (answer for kind, answer in DRF_ERRORS.items() if isinstance(exc, kind)),
        (exc.status_code, "invalid_request"),
    )
    detail_code = exc.get_codes()
    if isinstance(detail_code, str) and detail_code not in {"error", "permission_denied"}:
        code = detail_code if status in (401, 403) else code
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return failure(status, code, str(exc.detail), headers)


def _validation_failure(exc: exceptions.ValidationError) -> Response:
    messages = list(_flatten(exc.detail))
    codes = {code for _, code in messages}
    reason = " ".join(f"{field}: {text}" if field else text for (field, text), _ in messages)
    if "invalid_amount" in codes:
        return failure(422, "invalid_amount", reason)
    return failure(400, "invalid_request", reason or "The request is not valid.")


def _flatten(detail, field=""):
    """(field, message) and code of every error in a nested ValidationError detail."""
    if isinstance(detail, dict):
        for name, inner in detail.items():
            label = name if name != "non_field_errors" else ""
            yield from _flatten(inner, f"{field}.{label}".strip(".") if label else field)
    elif isinstance(detail, list):
        for inner in detail:
            yield from _flatten(inner, field)
    else:
        yield (field, str(detail)), getattr(detail, "code", "invalid")

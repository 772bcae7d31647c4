"""The OpenAPI schema's shared parts: the token scheme, and the error answers every
operation may give (one shape, ErrorSerializer), added to each operation by a hook."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_ANSWERS = {
    "400": "The request is malformed (bad JSON, a missing or invalid field).",
    "401": "Not logged in, or the API token is unknown, expired or revoked.",
    "403": "CSRF check failed (session), or the token's scope does not allow this.",
    "404": "No such object in your wallet.",
    "405": "Method not allowed.",
    "409": "A request with this Idempotency-Key is still running, or a reference clash.",
    "415": "Send JSON (Content-Type: application/json).",
    "422": "Refused: an invalid amount, a limit, a rule of the wallet. Nothing moved.",
    "423": "The wallet is locked.",
    "424": "Paystack refused or could not be reached; safe to retry with the same key.",
    "429": "Too many requests; see Retry-After.",
}
PAYMENT_REQUIRED = {"402": "Insufficient funds. Nothing moved."}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "wallet.api.v1.authentication.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from your profile page (wlt_...).",
        }


class SessionWithCsrfScheme(SessionScheme):
    target_class = "wallet.api.v1.authentication.SessionWithCsrfAuthentication"
    priority = 1


def add_error_answers(result, generator, request, public):
    """POSTPROCESSING_HOOK: document the error shape under every 4xx an operation can give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["failed"]},
            "error": {"type": "string"},
            "reason": {"type": "string"},
        },
        "required": ["status", "error", "reason"],
    }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            answers = {**ERROR_ANSWERS, **(PAYMENT_REQUIRED if method == "post" else {})}
            for status, description in answers.items():
                operation["responses"].setdefault(status, _error(description))
    return result


def _error(description):
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {"description": description, "content": content}

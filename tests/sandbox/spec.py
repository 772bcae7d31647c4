"""Checks a sandbox answer against Paystack's official OpenAPI description (openapi/), with
OpenAPI 3.0 semantics (`nullable`, `format`), less a short list of documented exceptions.

The spec gives every operation a content-less `default` response, so by itself it never rejects
a status code. Here a success must have a status the operation declares (or one in
SAME_SCHEMA_AS), and an error status it does not declare must still be the spec's `Error` body.
"""

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_FILE = Path(__file__).parent / "openapi" / "paystack.yaml"
BASE = "urn:paystack-openapi"
ERROR = "#/components/schemas/Error"


@dataclass(frozen=True)
class Exception_:
    """Where the spec is wrong or stricter than Paystack: what we accept instead, and why."""

    where: str
    accepted: str
    evidence: str


# Where the spec is wrong, or stricter than Paystack (docs/sandbox.md repeats this list).
EXCEPTIONS = [
    Exception_(
        "`Error.code`",
        "any string",
        "Its enum lists the `type` values. The spec's own initialize 400 model puts that enum on "
        "`type`, and its example's code is `duplicate_reference`; Paystack's Errors page lists "
        "codes such as `invalid_amount` and `transaction_not_found` (PAYSTACK_API.md §1).",
    ),
    Exception_(
        "GET /transaction/verify/{reference}, unknown reference",
        "400 with an `Error` body",
        "Integrators observe 400 `Transaction reference not found` (kehers/paystack#17 and #36, "
        "PAYSTACK_API.md §2.2) where the spec lists 404 `Entity not found`.",
    ),
    Exception_(
        "Error statuses an operation does not declare (400, 404, 422, 429)",
        "an `Error` body",
        "The spec gives every operation a content-less `default` answer and declares 400 on "
        "initialize only; Paystack's documented errors (PAYSTACK_API.md §2-§6, 429 in §9) all "
        "have the `Error` body.",
    ),
    Exception_(
        "POST /transaction/charge_authorization, 2FA",
        "the paused shape: `data: {authorization_url, reference, access_code, paused: true}`",
        "Paystack's recurring-charges two-factor sample (doc-code-snippets, PAYSTACK_API.md "
        "§2.3); the spec does not model it.",
    ),
    Exception_(
        "POST /transferrecipient for an account already added",
        "200 with the 201 body",
        '"A duplicate account number will lead to the retrieval of the existing record" '
        "(Paystack's Transfer Recipients reference); the spec lists only 201 (created).",
    ),
    Exception_(
        "`first_name`, `last_name`, `phone`, `international_format_phone` of a customer",
        "null when not given",
        "The spec's own VerifyResponse and CustomerListResponseArray mark them nullable on the "
        "same customer object, and Paystack's verify sample has them null.",
    ),
    Exception_(
        "`metadata` (transactions, customers)",
        "any JSON value",
        'Paystack\'s verify sample has `"metadata": ""` for a transaction without it; the '
        'spec\'s VerifyResponse allows any type; it may be "", 0, null, a string or an object '
        "(PAYSTACK_API.md §2.2, §10).",
    ),
    Exception_(
        "`paidAt` of a transaction not paid (yet)",
        "null",
        "Its twin `paid_at` is nullable in the same list schema; the schema was drawn from a "
        "paid sample.",
    ),
    Exception_(
        "A transfer recipient's `email`",
        "null when not given",
        "POST /transferrecipient takes no email (only PUT sets one, PAYSTACK_API.md §5), so a "
        "new recipient has none.",
    ),
    Exception_(
        "`fully_deducted` of GET /refund/{id} and GET /refund",
        "a boolean",
        "Paystack's refund samples and the spec's own create answer (RefundCreateResponse) give "
        "it as true/false (PAYSTACK_API.md §3); the fetch and list schemas say integer.",
    ),
    Exception_(
        "`evidence` of PUT /dispute/{id}/resolve",
        "null when the business accepted without sending evidence",
        "The same field is nullable in every other dispute schema of the spec (list, fetch, "
        "update, by transaction), and DisputeResolve marks `evidence` optional (fraud claims).",
    ),
]

# (method, path template, status) -> the declared status whose schema the answer must meet.
SAME_SCHEMA_AS = {("POST", "/transferrecipient", 200): "201"}
NULL_WHEN_NOT_GIVEN = {"first_name", "last_name", "phone", "international_format_phone", "paidAt"}
PAUSED = {
    "type": "object",
    "required": ["status", "message", "data"],
    "properties": {
        "status": {"type": "boolean"},
        "message": {"type": "string"},
        "data": {
            "type": "object",
            "required": ["authorization_url", "reference", "access_code", "paused"],
            "properties": {
                "authorization_url": {"type": "string"},
                "reference": {"type": "string"},
                "access_code": {"type": "string"},
                "paused": {"type": "boolean", "enum": [True]},
            },
        },
    },
}


def patch(spec):
    """The spec with EXCEPTIONS applied (the vendored file itself stays as published)."""
    schemas = spec["components"]["schemas"]
    schemas["Error"]["properties"]["code"].pop("enum")
    for name, schema in schemas.items():
        for path, prop in properties(schema):
            recipient = "Recipient" in name or "recipient" in path
            if path[-1] in NULL_WHEN_NOT_GIVEN or (path[-1] == "email" and recipient):
                prop["nullable"] = True
            if path[-1] == "metadata":
                prop.clear()
            if path[-1] == "fully_deducted":
                prop["type"] = "boolean"
    schemas["DisputeResolveResponse"]["properties"]["data"]["properties"]["evidence"][
        "nullable"
    ] = True
    schemas["ChargeAuthorizationPaused"] = PAUSED
    answer = spec["paths"]["/transaction/charge_authorization"]["post"]["responses"]["200"]
    content = answer["content"]["application/json"]
    content["schema"] = {
        "anyOf": [content["schema"], {"$ref": "#/components/schemas/ChargeAuthorizationPaused"}]
    }
    return spec


def properties(schema, path=()):
    """Every (path of names, property schema) under `schema`, however deep."""
    for key, prop in (schema.get("properties") or {}).items():
        yield (*path, key), prop
        yield from properties(prop, (*path, key))
    if isinstance(schema.get("items"), dict):
        yield from properties(schema["items"], path)


@cache
def spec():
    return patch(copy.deepcopy(yaml.safe_load(SPEC_FILE.read_text())))


@cache
def registry():
    return Registry().with_resource(BASE, Resource(contents=spec(), specification=DRAFT4))


def resolve(node):
    while "$ref" in node:
        target = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operation(method, template):
    return spec()["paths"][template][method.lower()]


def pointer(*parts):
    return "#/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def response_schema_ref(method, template, status):
    """A JSON pointer to the schema the spec gives this answer, or raises AssertionError."""
    responses = operation(method, template)["responses"]
    code = SAME_SCHEMA_AS.get((method.upper(), template, status), str(status))
    declared = responses.get(code)
    if declared is None:
        if status >= 400:
            return ERROR
        raise AssertionError(f"{method} {template}: the spec declares no {status} answer")
    if "$ref" in declared:
        where = (*declared["$ref"].removeprefix("#/").split("/"), "content")
    else:
        where = ("paths", template, method.lower(), "responses", code, "content")
    assert resolve(declared).get("content", {}).get("application/json"), (
        f"{method} {template} {status}: the spec gives no JSON body"
    )
    return pointer(*where, "application/json", "schema")


def problems(method, template, status, body):
    """Every way `body` breaks the spec's schema for this answer (empty when it conforms)."""
    schema = {"$ref": BASE + response_schema_ref(method, template, status)}
    validator = OAS30ReadValidator(schema, registry=registry(), format_checker=oas30_format_checker)
    found = []
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(body)"
        found.append(f"{where}: {error.message[:160]}")
    return found

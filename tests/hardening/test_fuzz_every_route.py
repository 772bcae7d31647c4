"""Hostile input on every URL pattern, anonymous and logged in (issue 13, "a fuzz test over
every input"). Every route in the URLconf, with hypothesis-made values: unicode and full-width
digits, NUL and control characters, right-to-left marks, emoji, very long strings, nested or
wrongly typed JSON, negative zero, exponents, huge integers, duplicated parameters.

Three things hold for every request: never a 5xx; a 4xx says why (a message, never an empty
body); and no money moves (balances, transactions and ledger rows unchanged).

Bounded for `make test`: FUZZ_EXAMPLES examples per route and persona (default 2; the back
office's routes one each, as a stranger and as a superuser). A long run, e.g. before a release
(docs/operations.md):
    FUZZ_EXAMPLES=200 bash .ci/with-postgres.sh .venv/bin/pytest tests/hardening -q -k fuzz
"""

import json
import os
import re
from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wallet.models import LedgerEntry, Transaction, Wallet

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))

# --- the routes -----------------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def all_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")

# --- hostile values -------------------------------------------------------------------------

SEEDS = [
    "10,50",
    "1,0000",
    "1e3",
    ".5e1",
    "1_000",
    "+5",
    "-0",
    "-0.00",
    "NaN",
    "Infinity",
    "٣",
    "３",
    "²",
    "١٢٣",
    "߃",
    "𝟓",
    "1\x000",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\u200f100",
    "\u202e01",
    "\ufeff5",
    "💸",
    "🇳🇬",
    "0x10",
    "1" * 400,
    "9" * 5000,
    "💸" * 300,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\r\n\r\n",
    "a@b",
    "@",
    " ",
    "",
    "true",
    "null",
    "[]",
    "{}",
    "-1",
    "0",
    "18446744073709551616",
    # Days the code cannot add a day to (issue 20).
    "9999-12-31",
    "31/12/9999",
    "0001-01-01",
    "01/01/0001",
]
# Lone UTF-16 surrogates (issue 20): sent in JSON as escapes (\ud800), in forms as the bytes
# they would have in UTF-8 (invalid there); a str holding one cannot be encoded by the client.
SURROGATES = ["\ud800", "x\udfff", "\udbff\udbff", "\udc00\ud800"]
SURROGATE_BYTES = ["%ED%A0%80", "x%ED%BF%BF", "%ED%AF%BF%ED%AF%BF"]
HOSTILE_CHARS = "0123456789,.-+e_ \x00\x01\x1f\x7f\x85\u200b\u200e\u200f\u202e\u2028٣３²💸"
characters = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot be sent
hostile_text = st.one_of(
    st.sampled_from(SEEDS),
    st.text(alphabet=HOSTILE_CHARS, min_size=1, max_size=24),
    st.text(alphabet=characters, max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)
json_scalars = st.one_of(
    hostile_text,
    st.sampled_from(SURROGATES),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([-0.0, 1e308, 5e-324, 1e3, 0.1]),
    st.booleans(),
    st.none(),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6,
)
# The names the site's forms and endpoints read, so hostile values reach real code.
FIELDS = [
    "amount",
    "recipient",
    "description",
    "reference",
    "trxref",
    "step",
    "to",
    "bank_account",
    "bank_code",
    "account_number",
    "otp",
    "reason",
    "schedule_type",
    "time_of_day",
    "day_of_week",
    "day_of_month",
    "threshold_amount",
    "amount_mode",
    "fixed_amount",
    "minimum_balance",
    "maximum_amount",
    "q",
    "page",
    "status",
    "type",
    "start",
    "end",
    "month",
    "format",
    "cancelled",
    "email",
    "callback_url",
    "destination_wallet_id",
    "login",
    "password",
    "password1",
    "password2",
    "oldpassword",
    "code",
    "first_name",
    "last_name",
    "next",
    "action_add",
    "action_remove",
    "remember",
    "username",
]
field_names = st.one_of(st.sampled_from(FIELDS), hostile_text)
form_values = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))
form_data = st.dictionaries(field_names, form_values, min_size=1, max_size=6)


@st.composite
def hostile_request(draw, route):
    path = "/" + GROUP.sub(
        lambda _m: _segment(draw),
        CONVERTER.sub(lambda m: _converter_value(draw, m.group(1)), route),
    ).lstrip("^").rstrip("$")
    method = draw(st.sampled_from(["GET", "POST", "POST", "PUT"]))
    headers = {}
    if draw(st.booleans()):
        headers["HTTP_HX_REQUEST"] = "true"
    if draw(st.integers(0, 4)) == 0:
        headers["HTTP_IDEMPOTENCY_KEY"] = draw(hostile_text)
    if "/api/" in route or "webhook" in route:
        body = draw(
            st.one_of(
                st.dictionaries(
                    st.one_of(st.sampled_from(FIELDS), hostile_text), json_values, max_size=6
                ).map(json.dumps),
                json_values.map(json.dumps),
                st.binary(max_size=64),
            )
        )
        return method, path, {"body": body, "content_type": "application/json"}, headers
    if method == "POST" and draw(st.integers(0, 3)) == 0:
        field = draw(st.sampled_from(FIELDS))
        raw = f"{field}={draw(st.sampled_from(SURROGATE_BYTES))}&amount=5"
        return (
            method,
            path,
            {"body": raw, "content_type": "application/x-www-form-urlencoded"},
            headers,
        )
    return method, path, {"data": draw(form_data)}, headers


def _converter_value(draw, converter):
    if converter == "int":
        return str(draw(st.one_of(st.integers(0, 5), st.just(2**63), st.just(10**30))))
    return _segment(draw)


def _segment(draw):
    return quote(draw(hostile_text).replace("/", "") or "x", safe="")


def send(client, method, path, payload, headers):
    if "body" in payload:
        return client.generic(method, path, payload["body"], payload["content_type"], **headers)
    if method == "GET":
        return client.get(path, payload["data"], **headers)
    if method == "PUT":
        return client.generic(
            method, path, json.dumps(payload["data"]), "application/json", **headers
        )
    return client.post(path, payload["data"], **headers)


# --- what must hold -------------------------------------------------------------------------


def money() -> tuple:
    balances = tuple(Wallet.objects.order_by("pk").values_list("pk", "balance"))
    return balances, Transaction.objects.count(), LedgerEntry.objects.count()


def says_why(response) -> bool:
    """A 4xx carries a message: JSON with a reason, or a page or text that is not empty."""
    if getattr(response, "streaming", False):
        return True
    body = response.content.decode("utf-8", "replace").strip()
    if response.get("Content-Type", "").startswith("application/json"):
        answer = json.loads(body)
        return bool(str(answer.get("reason") or answer.get("detail") or "").strip())
    return bool(re.sub(r"<[^>]+>|\s", "", body))


def _as(client, who, funded_wallet, make_user, paystack_sandbox, settings):
    """A client, logged out, in as a customer with money, or in as a superuser. Paystack is the
    session sandbox (not reset per test: hostile input never starts anything there)."""
    settings.PAYSTACK_BASE_URL = paystack_sandbox.base_url
    settings.PAYSTACK_SECRET_KEY = paystack_sandbox.secret_key
    if who == "customer":
        client.force_login(funded_wallet.user)
    elif who == "staff":
        client.force_login(make_user(email="boss@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.fixture(params=["anonymous", "customer"])
def persona(request, client, funded_wallet, other_wallet, make_user, paystack_sandbox, settings):
    return _as(client, request.param, funded_wallet, make_user, paystack_sandbox, settings)


# A customer meets the back office's login page exactly as a stranger does: not run twice.
@pytest.fixture(params=["anonymous", "staff"])
def back_office_persona(
    request, client, funded_wallet, other_wallet, make_user, paystack_sandbox, settings
):
    return _as(client, request.param, funded_wallet, make_user, paystack_sandbox, settings)


def probe_route(client, route, examples):
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_request(route))
    def probe(request):
        before = money()
        response = send(client, *request)
        status = response.status_code
        label = f"{request[0]} {request[1]} -> {status}"
        # /healthz answers 503 when the worker is down: that is its job, not a crash.
        assert status < 500 or (route == "healthz" and status == 503), label
        if 400 <= status < 500:
            assert says_why(response), f"{label} with no message"
        assert money() == before, f"{label} moved money"

    probe()


ROUTES = all_routes()


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.startswith("admin/")])
def test_hostile_input_never_breaks_misleads_or_moves_money(route, persona):
    probe_route(persona, route, EXAMPLES)


def test_hostile_input_on_every_back_office_route(back_office_persona):
    """The back office's 170-odd routes, one example each: a stranger only meets its login
    page; a superuser reaches every list, form and action."""
    for route in (r for r in ROUTES if r.startswith("admin/")):
        probe_route(back_office_persona, route, 1)


def _concrete(route):
    """The route with a plain value (1) in each of its parameters."""
    return "/" + GROUP.sub("1", CONVERTER.sub("1", route)).lstrip("^").rstrip("$")


FAR_DATES = {"start": "9999-12-31", "end": "9999-12-31", "month": "9999-12"}


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.startswith("admin/")])
def test_surrogates_and_far_dates_on_every_route(route, persona):
    """Issue 20, on every route and not left to chance: every field a lone surrogate (JSON
    escapes, and invalid UTF-8 bytes in a form), and days past what the code can add to."""
    path = _concrete(route)
    surrogate_json = json.dumps({name: SURROGATES[0] for name in FIELDS})
    surrogate_form = "&".join(f"{name}={SURROGATE_BYTES[0]}" for name in FIELDS)
    before = money()
    answers = [
        persona.generic("POST", path, surrogate_json, "application/json"),
        persona.generic("POST", path, surrogate_form, "application/x-www-form-urlencoded"),
        persona.get(path, FAR_DATES),
        persona.post(path, FAR_DATES),
    ]
    for response in answers:
        status = response.status_code
        assert status < 500 or (route == "healthz" and status == 503), f"{path} -> {status}"
    # Refused before any view (400), or earlier still: no such path (404), unsigned webhook (401).
    assert 400 <= answers[0].status_code < 500, f"{path} -> {answers[0].status_code}"
    assert money() == before

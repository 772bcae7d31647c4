"""schemathesis against our own schema (/wallet/api/v1/schema/), as a session user and as a
money-token holder, in-process over WSGI with the sandbox as Paystack: no 5xx, no answer
outside the schema, and no money moved by a refused request. A bounded number of examples
per operation keeps it to about a minute."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from tests.api.v1.idempotency_support import footprint
from wallet.services.api_tokens import issue_token

EXAMPLES = 4
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
CSRF = "fuzzcsrftoken0123456789abcdefghi"  # 32 characters: a valid unmasked CSRF secret
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _our_schema():
    """The schema exactly as /wallet/api/v1/schema/ serves it, generated in-process (the
    lazy fixture loader of schemathesis 4.32 does not run under pytest 9)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()
    return loaded


schema = _our_schema()


@pytest.fixture(autouse=True)
def wallet_with_money_and_a_bank_account(sandbox, funded_wallet, other_wallet, bank_account):
    """Something to read, send and withdraw; Paystack is the sandbox."""


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI app, so Django's end-of-request hook would close the
    test's database connection (and its transaction); Django's own test client unhooks it
    the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_throttles(settings):
    # Fuzzing is many requests a minute: throttles would turn most of them into 429s.
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {"money_user": "0", "money_token": "0", "money_ip": "0"}
    settings.REST_FRAMEWORK = rest


@pytest.fixture
def session_cookies(user):
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


@pytest.fixture
def money_secret(user):
    return issue_token(user=user, name="fuzz", scope="money")[1]


def call_and_check(case, **credentials):
    before = footprint()
    response = case.call(**credentials)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        assert footprint() == before, f"{case.method} {case.formatted_path} moved money"


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_keeps_its_schema_for_a_session_user(case, session_cookies):
    call_and_check(case, cookies=session_cookies, headers={"X-CSRFToken": CSRF})


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_the_api_keeps_its_schema_for_a_token_holder(case, money_secret):
    call_and_check(case, headers={"Authorization": f"Bearer {money_secret}"})

"""`seed_demo` prints a working demo API token; seeding again revokes the old one. (The whole
command is run by tests/web/test_seed_demo.py; here only its token step, to keep this fast.)"""

import re
from io import StringIO

import pytest
from django.core.management.base import OutputWrapper
from django.test import Client

from tests.api.v1.conftest import Api
from wallet.management.commands.seed_demo import Command

pytestmark = pytest.mark.django_db


def seeded_token(user):
    out = StringIO()
    command = Command(stdout=out)
    command.stdout = OutputWrapper(out)
    command._demo_api_token(user)
    return re.search(r"^  (wlt_\S+)$", out.getvalue(), re.M).group(1)


def test_the_demo_token_works_and_a_new_seed_replaces_it(user, funded_wallet):
    first = seeded_token(user)
    second = seeded_token(user)

    me = Api(Client(headers={"Authorization": f"Bearer {second}"})).get("me/")
    old = Api(Client(headers={"Authorization": f"Bearer {first}"})).get("me/")

    assert me.status_code == 200 and me.json()["balance"] == "10000.00"
    assert old.status_code == 401


def test_the_demo_curl_example_uses_the_site_url(user, settings):
    settings.SITE_URL = "https://wallet.example.com:8443/"
    out = StringIO()
    command = Command(stdout=out)
    command.stdout = OutputWrapper(out)
    command._demo_api_token(user)
    assert "https://wallet.example.com:8443/wallet/api/v1/me/" in out.getvalue()
    assert ":8000" not in out.getvalue()

import json

import pytest

from tests.web.history_data import post_transfers

URL = "/wallet/api/transactions/verify/"
pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_another_users_reference_is_404_and_paystack_is_not_asked(
    client, other_user, funded_wallet, other_wallet
):
    (sent,) = post_transfers(funded_wallet, other_wallet, 1)
    client.force_login(other_user)

    response = post(client, {"reference": sent.reference})

    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_unknown_or_missing_reference(client_logged_in, wallet):
    assert post(client_logged_in, {"reference": "nope-20261127-000000"}).status_code == 404
    assert post(client_logged_in, {}).status_code == 400

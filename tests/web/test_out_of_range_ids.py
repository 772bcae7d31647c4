import json

import pytest

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def test_ids_and_cursors_beyond_any_integer_are_refused_cleanly(client_logged_in, funded_wallet):
    send = client_logged_in.post(
        "/wallet/send/",
        {"step": "review", "recipient": HUGE, "amount": "5"},
        headers={"HX-Request": "true"},
    )
    api = client_logged_in.post(
        "/wallet/api/wallets/default/transfer/",
        json.dumps({"destination_wallet_id": HUGE, "amount": "5"}),
        content_type="application/json",
    )
    receipt = client_logged_in.get(f"/wallet/transactions/{HUGE}/")
    page = client_logged_in.get(f"/wallet/transactions/?after={HUGE}.{HUGE}")

    assert send.status_code == 422 and "No wallet found" in send.content.decode()
    assert api.status_code == 404
    assert receipt.status_code == 404
    assert page.status_code == 200

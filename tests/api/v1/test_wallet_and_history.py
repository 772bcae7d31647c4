"""The wallet, its balance and held amount, limits, history with filters and cursors, one
transaction and its receipt; another user's transaction is a 404."""

from decimal import Decimal

import pytest

from tests.api.v1.conftest import failed
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db


def test_me_is_the_callers_wallet(api, funded_wallet):
    body = api.get("me/").json()

    assert body == {
        "id": funded_wallet.pk,
        "currency": "NGN",
        "balance": "10000.00",
        "held": "0.00",
        "is_locked": False,
        "created_at": body["created_at"],
    }


def test_balance_and_held_amount(api, funded_wallet):
    assert api.get("me/balance/").json() == {
        "currency": "NGN",
        "balance": "10000.00",
        "held": "0.00",
    }


def test_limits_count_what_was_sent_today(api, funded_wallet, other_wallet, settings):
    settings.WALLET_DAILY_OUTFLOW_LIMIT = Decimal("1000.00")
    WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("300")
    )

    body = api.get("me/limits/").json()

    assert body["daily_outflow_limit"] == "1000.00"
    assert body["sent_today"] == "300.00" and body["remaining_today"] == "700.00"


def _history(wallet, other, count):
    service = WalletService()
    for n in range(count):
        service.transfer(source_wallet=wallet, destination_wallet=other, amount=Decimal(n + 1))


def test_history_pages_by_cursor_without_gaps_or_repeats(api, funded_wallet, other_wallet):
    _history(funded_wallet, other_wallet, 7)  # + the funding deposit = 8 rows
    seen, cursor = [], ""

    while True:
        page = api.get("me/transactions/", {"size": 3, "cursor": cursor}).json()
        seen += [row["id"] for row in page["results"]]
        cursor = page["next_cursor"]
        if not cursor:
            break

    expected = list(
        funded_wallet.transactions.order_by("-created_at", "-id").values_list("id", flat=True)
    )
    assert seen == expected


def test_history_filters_by_type_status_and_search(api, funded_wallet, other_wallet):
    _history(funded_wallet, other_wallet, 2)

    transfers = api.get("me/transactions/", {"type": "transfer"}).json()["results"]
    deposits = api.get("me/transactions/", {"type": "deposit", "status": "success"}).json()
    found = api.get("me/transactions/", {"search": "Test funds"}).json()["results"]

    assert {row["transaction_type"] for row in transfers} == {"transfer"} and len(transfers) == 2
    assert len(deposits["results"]) == 1
    assert [row["description"] for row in found] == ["Test funds"]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "gift"},
        {"status": "lost"},
        {"start": "2026-13-01"},
        {"start": "2026-02-02", "end": "2026-02-01"},
        {"size": 0},
        {"size": 1000},
        {"size": "x"},
    ],
)
def test_bad_history_filters_are_400(api, funded_wallet, params):
    failed(api.get("me/transactions/", params), 400, "invalid_request")


def test_a_malformed_cursor_starts_at_the_first_page(api, funded_wallet):
    page = api.get("me/transactions/", {"cursor": "99999999999999999999999.1"}).json()

    assert len(page["results"]) == 1


def test_transaction_detail_and_receipt(api, funded_wallet, other_wallet, other_user):
    other_user.first_name, other_user.last_name = "Bob", "Bello"
    other_user.save()
    sent = WalletService().transfer(
        source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("25.50")
    )

    detail = api.get(f"me/transactions/{sent.pk}/").json()
    receipt = api.get(f"me/transactions/{sent.pk}/receipt/").json()

    assert detail["reference"] == sent.reference and detail["amount"] == "25.50"
    assert detail["counterparty_wallet_code"] == other_wallet.public_code
    assert receipt["counterparty"] == "Bob B." and receipt["total"] == "25.50"
    assert "bob@example.com" not in str(receipt)


@pytest.mark.parametrize("suffix", ["", "receipt/"])
def test_another_users_transaction_is_404(api, funded_wallet, other_wallet, suffix):
    theirs = WalletService().deposit(wallet=other_wallet, amount=Decimal("5"))

    failed(api.get(f"me/transactions/{theirs.pk}/{suffix}"), 404, "not_found")


@pytest.mark.parametrize("pk", ["0", "99999999999", "9" * 30, "abc", "-1"])
def test_ids_that_name_no_row_are_404(api, funded_wallet, pk):
    failed(api.get(f"me/transactions/{pk}/"), 404, "not_found")


def test_an_unknown_endpoint_answers_in_json(api, wallet):
    failed(api.get("me/nothing-here/"), 404, "not_found")


def test_a_wrong_method_is_405(api, wallet):
    failed(api.post("me/balance/", {}), 405, "method_not_allowed")

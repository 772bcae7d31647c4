"""Settlements (list, create) and settlement schedules (create, list, read, update, pause,
resume); another user's schedule is a 404."""

import pytest

from tests.api.v1.conftest import failed
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.models import Settlement, SettlementSchedule

pytestmark = pytest.mark.django_db


def test_settle_now_and_list(api, funded_wallet, bank_account):
    made = api.post(
        "me/settlements/", {"bank_account_id": bank_account.pk, "amount": "2000", "reason": "Eod"}
    )
    listed = api.get("me/settlements/").json()

    assert made.status_code == 201
    assert made.json()["amount"] == "2000.00" and made.json()["reason"] == "Eod"
    assert [row["id"] for row in listed] == [made.json()["id"]]
    assert balances(funded_wallet) == [10000 - 2000 - 10]
    assert_ledger_consistent()


def test_a_settlement_over_the_balance_moves_nothing(api, funded_wallet, bank_account):
    response = api.post("me/settlements/", {"bank_account_id": bank_account.pk, "amount": "20000"})

    failed(response, 402, "insufficient_funds")
    assert not Settlement.objects.exists() and balances(funded_wallet) == [10000]


def test_schedule_create_read_update_pause_resume(api, funded_wallet, bank_account):
    made = api.post(
        "me/settlement-schedules/",
        {
            "bank_account_id": bank_account.pk,
            "schedule_type": "weekly",
            "day_of_week": "friday",
            "time_of_day": "17:30",
        },
    )
    pk = made.json()["id"]

    read = api.get(f"me/settlement-schedules/{pk}/").json()
    updated = api.patch(f"me/settlement-schedules/{pk}/", {"time_of_day": "08:00"}).json()
    paused = api.post(f"me/settlement-schedules/{pk}/pause/").json()
    resumed = api.post(f"me/settlement-schedules/{pk}/resume/").json()
    listed = api.get("me/settlement-schedules/").json()

    assert made.status_code == 201 and read["day_of_week"] == 4 and read["next_settlement"]
    assert updated["time_of_day"] == "08:00" and updated["schedule_type"] == "weekly"
    assert paused["is_active"] is False and resumed["is_active"] is True
    assert [row["id"] for row in listed] == [pk]


@pytest.mark.parametrize(
    "body",
    [
        {"schedule_type": "weekly"},  # no day
        {"schedule_type": "threshold"},  # no threshold
        {"schedule_type": "daily", "time_of_day": "25:00"},
        {"schedule_type": "monthly", "day_of_month": 40},
        {"schedule_type": "hourly"},
        {"schedule_type": "daily", "amount_mode": "fixed"},  # no fixed amount
    ],
)
def test_inconsistent_schedules_are_refused(api, funded_wallet, bank_account, body):
    response = api.post("me/settlement-schedules/", {"bank_account_id": bank_account.pk, **body})

    assert response.status_code in (400, 422)
    failed(response, response.status_code)
    assert not SettlementSchedule.objects.exists()


def test_another_users_schedule_is_404(api, other_api, funded_wallet, bank_account):
    made = api.post(
        "me/settlement-schedules/", {"bank_account_id": bank_account.pk, "schedule_type": "daily"}
    )
    pk = made.json()["id"]

    failed(other_api.get(f"me/settlement-schedules/{pk}/"), 404)
    failed(other_api.patch(f"me/settlement-schedules/{pk}/", {"time_of_day": "01:00"}), 404)
    failed(other_api.post(f"me/settlement-schedules/{pk}/pause/"), 404)
    failed(other_api.post(f"me/settlement-schedules/{pk}/resume/"), 404)
    failed(
        other_api.post(
            "me/settlement-schedules/",
            {"bank_account_id": bank_account.pk, "schedule_type": "daily"},
        ),
        404,
    )
    assert SettlementSchedule.objects.get(pk=pk).is_active

"""Payout pages without Paystack: access rules, other users' objects 404, schedule forms."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from wallet.models import BankAccount, SettlementSchedule
from wallet.services.payouts import PayoutRequest, reserve_payout
from wallet.services.settlement_service import SettlementService

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_wallet, banks):
    account = BankAccount.objects.create(
        wallet=other_wallet,
        bank=banks[1],
        account_number="0123456789",
        account_name="Bob Bello",
        recipient_code="RCP_theirs",
    )
    from wallet.services.wallet_service import WalletService

    WalletService().deposit(wallet=other_wallet, amount=Decimal("500"), description="Funds")
    tx = reserve_payout(
        PayoutRequest(
            wallet_id=other_wallet.pk,
            bank_account=account,
            amount=Decimal("100"),
            reason="",
            transaction_type="withdrawal",
        )
    )
    schedule = SettlementService().create_settlement_schedule(
        wallet=other_wallet, bank_account=account, schedule_type="daily"
    )
    return account, tx, schedule


def test_payout_pages_need_a_login(client):
    for url in ["/wallet/bank-accounts/", "/wallet/withdraw/", "/wallet/settlements/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_adding_a_bank_account_asks_for_a_recent_reauthentication(client_logged_in):
    response = client_logged_in.get("/wallet/bank-accounts/add/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]


def test_after_confirming_the_password_the_add_form_opens(client_logged_in, banks):
    client = client_logged_in
    confirmed = client.post(
        "/accounts/reauthenticate/?next=/wallet/bank-accounts/add/",
        {"password": "correct-horse-battery"},
    )
    assert confirmed.status_code == 302 and confirmed["Location"] == "/wallet/bank-accounts/add/"
    response = client.get("/wallet/bank-accounts/add/")
    assert response.status_code == 200
    assert (
        b"Zenith Bank" in response.content
        and b'hx-get="/wallet/bank-accounts/lookup/"' in response.content
    )


def test_other_users_bank_accounts_withdrawals_and_schedules_are_404(client_logged_in, theirs):
    account, tx, schedule = theirs
    posts = [
        f"/wallet/bank-accounts/{account.pk}/remove/",
        f"/wallet/bank-accounts/{account.pk}/default/",
        f"/wallet/withdraw/{tx.pk}/otp/",
        f"/wallet/withdraw/{tx.pk}/otp/resend/",
        f"/wallet/settlements/schedules/{schedule.pk}/pause/",
        f"/wallet/settlements/schedules/{schedule.pk}/resume/",
        f"/wallet/settlements/schedules/{schedule.pk}/",
    ]
    for url in posts:
        assert client_logged_in.post(url, {"otp": "123456"}).status_code == 404, url
    for url in [f"/wallet/withdraw/{tx.pk}/", f"/wallet/settlements/schedules/{schedule.pk}/"]:
        assert client_logged_in.get(url).status_code == 404, url
    account.refresh_from_db()
    schedule.refresh_from_db()
    assert account.is_active and schedule.is_active


def test_the_withdraw_form_cannot_pick_another_users_account(
    client_logged_in, stored_bank_account, theirs
):
    account, _, _ = theirs
    response = client_logged_in.post(
        "/wallet/withdraw/", {"bank_account": account.pk, "amount": "100"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert b"Select a valid choice" in response.content


def test_pages_list_accounts_withdrawals_and_schedules_in_a_few_queries(
    client_logged_in, stored_bank_account, django_assert_max_num_queries
):
    service = SettlementService()
    for kind in ["daily", "monthly"]:
        service.create_settlement_schedule(
            wallet=stored_bank_account.wallet,
            bank_account=stored_bank_account,
            schedule_type=kind,
            day_of_month=31,
        )
    for url in ["/wallet/bank-accounts/", "/wallet/withdraw/", "/wallet/settlements/"]:
        with django_assert_max_num_queries(15):
            response = client_logged_in.get(url)
        assert response.status_code == 200, url
    assert b"Alice Adeyemi" in client_logged_in.get("/wallet/bank-accounts/").content
    page = client_logged_in.get("/wallet/settlements/").content.decode()
    assert "Monthly on day 31" in page and "Daily" in page


def test_creating_a_schedule_from_the_form(client_logged_in, stored_bank_account):
    response = client_logged_in.post(
        "/wallet/settlements/schedules/new/",
        {
            "schedule_type": "weekly",
            "bank_account": stored_bank_account.pk,
            "time_of_day": "18:45",
            "day_of_week": "2",
            "amount_mode": "fixed",
            "fixed_amount": "2500",
            "minimum_balance": "1000",
            "maximum_amount": "",
        },
    )
    assert response.status_code == 302
    schedule = SettlementSchedule.objects.get()
    local = timezone.localtime(schedule.next_settlement)
    assert (local.weekday(), local.hour, local.minute) == (2, 18, 45)
    assert (schedule.fixed_amount, schedule.minimum_balance) == (
        Decimal("2500.00"),
        Decimal("1000.00"),
    )


def test_an_inconsistent_schedule_is_re_rendered_with_its_error_and_422(
    client_logged_in, stored_bank_account
):
    response = client_logged_in.post(
        "/wallet/settlements/schedules/new/",
        {
            "schedule_type": "daily",
            "bank_account": stored_bank_account.pk,
            "time_of_day": "09:00",
            "amount_mode": "fixed",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="schedule-form",
    )
    assert response.status_code == 422
    assert b"Give the fixed amount" in response.content
    assert not SettlementSchedule.objects.exists()


def test_changing_the_type_re_renders_the_form_with_its_fields(
    client_logged_in, stored_bank_account
):
    response = client_logged_in.get(
        "/wallet/settlements/schedules/new/?schedule_type=monthly",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="schedule-form",
    )
    assert response.status_code == 200
    assert b"day_of_month" in response.content and b"day_of_week" not in response.content
    assert b"<html" not in response.content


def test_pause_and_resume_from_the_page(client_logged_in, stored_bank_account):
    schedule = SettlementService().create_settlement_schedule(
        wallet=stored_bank_account.wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    client_logged_in.post(f"/wallet/settlements/schedules/{schedule.pk}/pause/")
    schedule.refresh_from_db()
    assert not schedule.is_active
    SettlementSchedule.objects.filter(pk=schedule.pk).update(
        next_settlement=timezone.now() - timedelta(days=2)
    )
    client_logged_in.post(f"/wallet/settlements/schedules/{schedule.pk}/resume/")
    schedule.refresh_from_db()
    assert schedule.is_active and schedule.next_settlement > timezone.now()


def test_a_withdrawal_page_shows_its_status_and_polls_while_open(
    client_logged_in, stored_bank_account
):
    tx = reserve_payout(
        PayoutRequest(
            wallet_id=stored_bank_account.wallet_id,
            bank_account=stored_bank_account,
            amount=Decimal("100"),
            reason="",
            transaction_type="withdrawal",
        )
    )
    page = client_logged_in.get(f"/wallet/withdraw/{tx.pk}/").content.decode()
    assert "Pending" in page and 'hx-trigger="every 3s"' in page
    fragment = client_logged_in.get(
        f"/wallet/withdraw/{tx.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment and 'id="payout-status"' in fragment


def test_the_fee_preview_follows_the_amount(client_logged_in, payout_fee_rules):
    assert (
        b"Fee \xe2\x82\xa625.00"
        in client_logged_in.get("/wallet/withdraw/fee/?amount=6000").content
    )
    assert (
        b"A small fee applies" in client_logged_in.get("/wallet/withdraw/fee/?amount=abc").content
    )

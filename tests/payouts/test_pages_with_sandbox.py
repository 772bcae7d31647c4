"""Payout pages that reach Paystack (the sandbox): name lookup, add, withdraw, OTP, settle now,
rate limits, and the back office's "verify now" / "retry" actions."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from tests.payouts.conftest import FAILS, in_flight
from tests.wallet.money import balances
from wallet.models import BankAccount, Payout, Settlement, TransactionStatus

pytestmark = pytest.mark.django_db
S = TransactionStatus


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reauthenticated(client_logged_in):
    client_logged_in.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    return client_logged_in


def test_the_lookup_shows_the_name_the_bank_holds(client_logged_in, synced_banks):
    response = client_logged_in.get(
        "/wallet/bank-accounts/lookup/", {"account_number": "0001234567", "bank_code": "058"}
    )
    assert response.status_code == 200 and b"Doe Jane Loren" in response.content
    partial = client_logged_in.get(
        "/wallet/bank-accounts/lookup/", {"account_number": "00012", "bank_code": "058"}
    )
    assert b"5 of 10 digits" in partial.content
    unknown = client_logged_in.get(
        "/wallet/bank-accounts/lookup/", {"account_number": "9990000000", "bank_code": "058"}
    )
    assert b"could not verify" in unknown.content


def test_adding_an_account_through_the_page(reauthenticated, wallet, synced_banks):
    response = reauthenticated.post(
        "/wallet/bank-accounts/add/",
        {"bank_code": "057", "account_number": "0000000000"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Redirect"] == "/wallet/bank-accounts/"
    account = BankAccount.objects.get(wallet=wallet)
    assert account.account_name == "Zenith Test Account"
    again = reauthenticated.post(
        "/wallet/bank-accounts/add/",
        {"bank_code": "057", "account_number": "0000000000"},
        HTTP_HX_REQUEST="true",
    )
    assert again.status_code == 422 and b"already in your wallet" in again.content


def test_withdrawing_through_the_page_redirects_to_its_status(
    client_logged_in, funded_wallet, bank_account, sandbox
):
    response = client_logged_in.post(
        "/wallet/withdraw/",
        {"bank_account": bank_account.pk, "amount": "1200", "reason": "Rent", "step": "send"},
        HTTP_HX_REQUEST="true",
    )
    tx = Payout.objects.get().transaction
    assert response["HX-Redirect"] == f"/wallet/withdraw/{tx.pk}/"
    assert "walletChanged" in response["HX-Trigger"]
    assert balances(funded_wallet) == [Decimal("8790.00")]


def test_an_unaffordable_withdrawal_is_re_rendered_with_the_reason(
    client_logged_in, funded_wallet, bank_account
):
    response = client_logged_in.post(
        "/wallet/withdraw/",
        {"bank_account": bank_account.pk, "amount": "9999", "step": "send"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422 and b"Insufficient funds" in response.content
    assert response.content.count(b'value="9999"') == 1  # what the user typed is kept
    assert not Payout.objects.exists()


def test_a_payout_waiting_for_paystacks_otp_asks_the_customer_nothing(
    client_logged_in, funded_wallet, bank_account, sandbox
):
    sandbox.configure(transfer_otp=True)
    client_logged_in.post(
        "/wallet/withdraw/", {"bank_account": bank_account.pk, "amount": "500", "step": "send"}
    )
    tx = Payout.objects.get().transaction
    assert tx.status == S.OTP
    page = client_logged_in.get(f"/wallet/withdraw/{tx.pk}/").content.decode()
    assert "Waiting for approval" in page
    assert "OTP" not in page and "one-time" not in page
    assert client_logged_in.post(f"/wallet/withdraw/{tx.pk}/otp/", {"otp": "1"}).status_code == 404


def test_withdrawals_are_rate_limited_and_the_refused_one_moves_nothing(
    client_logged_in, funded_wallet, bank_account, settings
):
    settings.WALLET_WITHDRAWAL_RATE_LIMIT = "2/m"
    for _ in range(2):
        client_logged_in.post(
            "/wallet/withdraw/", {"bank_account": bank_account.pk, "amount": "100", "step": "send"}
        )
    refused = client_logged_in.post(
        "/wallet/withdraw/", {"bank_account": bank_account.pk, "amount": "100", "step": "send"}
    )
    assert refused.status_code == 429 and b"Too many withdrawals" in refused.content
    assert Payout.objects.count() == 2
    assert balances(funded_wallet) == [Decimal("9780.00")]


def test_settle_now_from_the_settlements_page(client_logged_in, funded_wallet, bank_account):
    form = {"bank_account": bank_account.pk, "amount": "3000", "step": "send"}
    response = client_logged_in.post("/wallet/settlements/settle/", form)
    settlement = Settlement.objects.get()
    assert response["Location"] == f"/wallet/withdraw/{settlement.transaction_id}/"
    page = client_logged_in.get("/wallet/settlements/").content.decode()
    assert settlement.reference in page


def test_the_back_office_verifies_and_retries(
    staff_client_for, funded_wallet, add_account, sandbox
):
    from wallet.services.settlement_service import SettlementService

    finance = staff_client_for("Finance")
    account = add_account(funded_wallet, account_number=FAILS)
    settlement = SettlementService().create_settlement(
        wallet=funded_wallet, bank_account=account, amount="1000"
    )
    sandbox.settle()
    payout = Payout.objects.get()
    finance.post(f"/admin/do/verify_payout/{payout.pk}/", {"reason": "Customer asked"})
    settlement.transaction.refresh_from_db()
    assert settlement.transaction.status == S.FAILED
    assert balances(funded_wallet) == [Decimal("10000.00")]
    finance.post(f"/admin/do/retry_payout/{payout.pk}/", {"reason": "Bank was down"})
    retry = Settlement.objects.get(retry_of=settlement)
    assert retry.status == S.PROCESSING and in_flight() == Decimal("1000.00")
    for model in [
        "payout",
        "settlement",
        "settlementschedule",
        "settlementrun",
        "bankaccount",
    ]:
        assert finance.get(f"/admin/wallet/{model}/").status_code == 200, model
    assert finance.get(f"/admin/wallet/payout/{payout.pk}/change/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_paid_settlement_is_mailed_by_the_worker(
    sandbox, funded_wallet, bank_account, q_sync, mailoutbox
):
    from wallet.services.settlement_service import SettlementService

    mailoutbox.clear()  # the "bank account added" security notice
    service = SettlementService()
    settlement = service.create_settlement(
        wallet=funded_wallet, bank_account=bank_account, amount="2500"
    )
    sandbox.settle()
    service.verify_settlement(settlement)
    (message,) = mailoutbox
    assert message.subject == "[Paystack Wallet] Auto-withdraw of ₦2,500.00 paid to Zenith Bank"
    assert settlement.reference in message.body


def test_the_add_page_fetches_the_bank_list_when_there_is_none_yet(reauthenticated, sandbox):
    from wallet.models import Bank

    assert not Bank.objects.exists()
    response = reauthenticated.get("/wallet/bank-accounts/add/")
    assert response.status_code == 200 and b"Zenith Bank" in response.content
    assert Bank.objects.filter(active=True).count() > 100


def test_editing_a_schedule_through_its_page(client_logged_in, stored_bank_account):
    from django.utils import timezone

    from wallet.services.settlement_service import SettlementService

    schedule = SettlementService().create_settlement_schedule(
        wallet=stored_bank_account.wallet, bank_account=stored_bank_account, schedule_type="daily"
    )
    form = client_logged_in.get(f"/wallet/settlements/schedules/{schedule.pk}/")
    assert b'value="09:00"' in form.content
    client_logged_in.post(
        f"/wallet/settlements/schedules/{schedule.pk}/",
        {
            "schedule_type": "monthly",
            "bank_account": stored_bank_account.pk,
            "time_of_day": "07:00",
            "day_of_month": "31",
            "amount_mode": "all",
            "minimum_balance": "500",
        },
    )
    schedule.refresh_from_db()
    local = timezone.localtime(schedule.next_settlement)
    assert (schedule.schedule_type, schedule.day_of_month, local.hour) == ("monthly", 31, 7)
    assert schedule.minimum_balance == Decimal("500.00")

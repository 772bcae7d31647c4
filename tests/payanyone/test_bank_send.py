"""Send to any bank account through the Paystack sandbox: success, failure, reversal and an OTP
pause, each with the money checked; the first-send cap, tier limits and bad input moving
nothing; beneficiaries saved only after a send arrives."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.payouts.conftest import FAILS, REVERSES, fee_revenue, in_flight, sent_to_paystack
from tests.payouts.test_withdrawals import reconcile_until
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import (
    BankAccountUnavailable,
    InsufficientFunds,
    InvalidAmount,
    LimitExceeded,
    UnknownBank,
)
from wallet.models import Beneficiary, Payout, Transaction, TransactionStatus, TransactionType
from wallet.services.payouts import reconcile_open_payouts
from wallet.services.payouts.bank_send import listed_beneficiaries
from wallet.templatetags.wallet_web import transaction_title

pytestmark = pytest.mark.django_db
S = TransactionStatus
ANYONE = "0123456789"  # any other 10 digits: a generated name, transfers succeed


def settle(sandbox, service, tx):
    sandbox.settle()
    reconcile_open_payouts(service.paystack, older_than=timedelta(0))
    tx.refresh_from_db()
    return tx


def send(service, wallet, amount, number=ANYONE, code="058", **kwargs):
    return service.send_to_bank(
        wallet=wallet, amount=amount, bank_code=code, account_number=number, **kwargs
    )


def test_a_send_to_a_new_account_holds_the_money_completes_and_saves_the_account(
    sandbox, payouts_service, funded_wallet, synced_banks
):
    tx, data = send(payouts_service, funded_wallet, "2500", reason="")
    assert tx.transaction_type == TransactionType.BANK_SEND and tx.status == S.PROCESSING
    assert data["transfer_code"].startswith("TRF_") and data["amount"] == 250000
    assert balances(funded_wallet) == [Decimal("7490.00")]  # 2,500 + 10 fee held
    assert in_flight() == Decimal("2500.00")
    beneficiary = Beneficiary.objects.get(wallet=funded_wallet)
    assert tx.payout.beneficiary == beneficiary and tx.payout.bank_account is None
    assert not listed_beneficiaries(funded_wallet).exists()  # not before it arrives
    tx = settle(sandbox, payouts_service, tx)
    assert tx.status == S.SUCCESS
    assert (in_flight(), sent_to_paystack(), fee_revenue()) == (
        0,
        Decimal("2500.00"),
        Decimal("10.00"),
    )
    assert list(listed_beneficiaries(funded_wallet)) == [beneficiary]
    name = beneficiary.account_name
    assert transaction_title(tx) == f"To Guaranty Trust Bank ••••6789 ({name})"
    assert balances(funded_wallet) == [Decimal("7490.00")]
    assert_ledger_consistent()


def test_a_second_send_reuses_the_saved_recipient(
    sandbox, payouts_service, funded_wallet, synced_banks
):
    first, _ = send(payouts_service, funded_wallet, "100")
    settle(sandbox, payouts_service, first)
    beneficiary = Beneficiary.objects.get()
    second, _ = payouts_service.send_to_bank(
        wallet=funded_wallet, amount="200", beneficiary=beneficiary
    )
    assert second.payout.recipient_code == first.payout.recipient_code
    assert Beneficiary.objects.count() == 1


def test_a_failed_send_returns_amount_and_fee_once_and_saves_nothing(
    sandbox, payouts_service, funded_wallet, synced_banks
):
    tx, _ = send(payouts_service, funded_wallet, "3000", number=FAILS)
    assert balances(funded_wallet) == [Decimal("6990.00")]
    tx = settle(sandbox, payouts_service, tx)
    assert tx.status == S.FAILED
    payouts_service.reconcile_payout(tx.payout)  # asked again: nothing moves twice
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), fee_revenue(), sent_to_paystack()) == (0, 0, 0)
    assert not listed_beneficiaries(funded_wallet).exists()
    assert_ledger_consistent()


def test_a_send_reversed_after_success_returns_the_money_once(
    sandbox, payouts_service, funded_wallet, synced_banks
):
    sandbox.configure(settle_delay=2.0)
    tx, _ = send(payouts_service, funded_wallet, "4000", number=REVERSES)
    assert reconcile_until(payouts_service, tx, S.SUCCESS).status == S.SUCCESS
    assert balances(funded_wallet) == [Decimal("5990.00")]
    assert reconcile_until(payouts_service, tx, S.REVERSED).status == S.REVERSED
    payouts_service.reconcile_payout(tx.payout)
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert (in_flight(), sent_to_paystack(), fee_revenue()) == (0, 0, 0)
    assert_ledger_consistent()


def test_an_otp_pause_holds_the_money_until_finance_releases_it(
    sandbox, payouts_service, funded_wallet, synced_banks
):
    sandbox.configure(transfer_otp=True)
    tx, data = send(payouts_service, funded_wallet, "1000")
    assert tx.status == S.OTP and data["status"] == "otp"
    assert balances(funded_wallet) == [Decimal("8990.00")] and in_flight() == Decimal("1000")
    tx, _ = payouts_service.finalize_transfer(transaction=tx, otp="123456")
    assert tx.status == S.PROCESSING
    assert settle(sandbox, payouts_service, tx).status == S.SUCCESS
    assert balances(funded_wallet) == [Decimal("8990.00")]
    assert_ledger_consistent()


def test_the_first_send_to_a_new_account_is_capped_until_one_arrives(
    sandbox, payouts_service, funded_wallet, synced_banks, settings
):
    settings.WALLET_BANK_SEND_FIRST_CAP = Decimal("1000.00")
    with pytest.raises(LimitExceeded, match="first payment to a new account"):
        send(payouts_service, funded_wallet, "1500")
    assert balances(funded_wallet) == [Decimal("10000.00")]
    first, _ = send(payouts_service, funded_wallet, "600")
    with pytest.raises(LimitExceeded):  # 600 on its way + 500 would pass the cap
        send(payouts_service, funded_wallet, "500")
    settle(sandbox, payouts_service, first)
    second, _ = send(payouts_service, funded_wallet, "1500")
    assert second.status == S.PROCESSING
    assert_ledger_consistent()


@pytest.mark.parametrize(
    "number", ["12345", "01234567890", "012345678a", "０１２３４５６７８９", ""]
)
def test_an_account_number_that_is_not_ten_digits_moves_nothing(
    sandbox, payouts_service, funded_wallet, synced_banks, number
):
    with pytest.raises(BankAccountUnavailable, match="10 digits"):
        send(payouts_service, funded_wallet, "100", number=number)
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert not Beneficiary.objects.exists() and not Payout.objects.exists()


def test_an_unknown_bank_code_and_an_unresolvable_account_move_nothing(
    sandbox, payouts_service, funded_wallet, synced_banks
):
    with pytest.raises(UnknownBank):
        send(payouts_service, funded_wallet, "100", code="000999")
    with pytest.raises(BankAccountUnavailable):
        send(payouts_service, funded_wallet, "100", number="9990000000")
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert not Beneficiary.objects.exists() and not Payout.objects.exists()


def test_tier_limits_bad_amounts_and_the_balance_hold_for_bank_sends(
    sandbox, payouts_service, funded_wallet, synced_banks, tier_limits
):
    with pytest.raises(InsufficientFunds):
        send(payouts_service, funded_wallet, "9995")
    with pytest.raises(InvalidAmount):
        send(payouts_service, funded_wallet, "10.001")
    tier_limits(1, daily_limit=Decimal("500.00"))
    with pytest.raises(LimitExceeded, match="daily limit"):
        send(payouts_service, funded_wallet, "600")
    tier_limits(1, daily_limit=None, allows_withdrawal=False)
    with pytest.raises(LimitExceeded, match="bank transfers"):
        send(payouts_service, funded_wallet, "100")
    assert balances(funded_wallet) == [Decimal("10000.00")]
    assert not Transaction.objects.filter(transaction_type=TransactionType.BANK_SEND).exists()


def test_safety_mode_caps_bank_sends_like_withdrawals(
    sandbox, payouts_service, funded_wallet, synced_banks, settings
):
    from django.utils import timezone

    settings.WALLET_SAFETY_MODE_LIMIT = Decimal("1000.00")
    funded_wallet.safety_until = timezone.now() + timedelta(hours=1)
    funded_wallet.save(update_fields=["safety_until"])
    with pytest.raises(LimitExceeded, match="new device"):
        send(payouts_service, funded_wallet, "1000")  # 1,000 + 10 fee
    assert balances(funded_wallet) == [Decimal("10000.00")]


def test_another_wallets_beneficiary_cannot_be_paid(
    sandbox, payouts_service, funded_wallet, other_wallet, synced_banks
):
    from wallet.services.payouts.bank_send import beneficiary_for_account

    beneficiary = beneficiary_for_account(
        payouts_service.paystack, wallet=other_wallet, bank_code="058", account_number=ANYONE
    )
    with pytest.raises(BankAccountUnavailable):
        payouts_service.send_to_bank(wallet=funded_wallet, amount="10", beneficiary=beneficiary)
    assert balances(funded_wallet) == [Decimal("10000.00")]

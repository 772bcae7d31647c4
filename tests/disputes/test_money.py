"""A dispute holds its amount in the wallet the disputed deposit funded, or records exposure
where the wallet no longer holds it; resolved either way, the money moves once and the books
sum to zero. Every expectation is computed here, by hand, from the scenario's numbers."""

from decimal import Decimal

import pytest

from tests.disputes.conftest import exposure_total, held_total, losses_total, system_balance
from wallet.models import Dispute, SystemAccount, Transaction, TransactionType
from wallet.services.ledger.check import check_ledger
from wallet.services.wallet_service import WalletService

D = Decimal
DEPOSIT = D("1000.00")

# (name, spent before the dispute, won?) -> the wallet's balance while open, the exposure
# while open, and after resolution: the balance, Paystack clearing's move, exposure, losses.
SCENARIOS = {
    # spent, won: held, exposure open, balance after, paystack move, losses after
    "still there, won": (D("0"), True, D("1000"), D("0"), D("1000"), D("0"), D("0")),
    "still there, lost": (D("0"), False, D("1000"), D("0"), D("0"), D("1000"), D("0")),
    "spent, won": (D("1000"), True, D("0"), D("1000"), D("0"), D("0"), D("0")),
    "spent, lost": (D("1000"), False, D("0"), D("1000"), D("0"), D("1000"), D("1000")),
    "partly spent, won": (D("600"), True, D("400"), D("600"), D("400"), D("0"), D("0")),
    "partly spent, lost": (D("600"), False, D("400"), D("600"), D("0"), D("1000"), D("600")),
}


def dashboard_figures():
    """The back-office dashboard's dispute figures, summed afresh."""
    from wallet.services.backoffice.dashboard import dashboard, forget_ledger_totals

    forget_ledger_totals()
    figures = dashboard()
    return (
        figures["disputes"]["open"],
        figures["disputes"]["held"],
        figures["books"].dispute_exposure,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_dispute_holds_what_the_wallet_has_and_ends_once(name, wallet, card_deposit, disputes):
    spent, won, held, exposure, balance_after, paystack_move, losses = SCENARIOS[name]
    deposit = card_deposit(amount=str(DEPOSIT))
    if spent:
        WalletService().withdraw(wallet=wallet, amount=spent, description="Bought something")
    paystack_before = system_balance(SystemAccount.PAYSTACK)

    opened = disputes.open(deposit)
    disputes.deliver("charge.dispute.create", deposit.reference)
    wallet.refresh_from_db()
    assert wallet.balance == DEPOSIT - spent - held
    assert (held_total(), exposure_total()) == (DEPOSIT, exposure)
    dispute = Dispute.objects.get(paystack_id=opened["id"])
    assert (dispute.held, dispute.not_covered, dispute.status) == (held, exposure, "open")
    assert dashboard_figures() == (1, held, exposure)
    hold_rows = Transaction.objects.filter(wallet=wallet, transaction_type=TransactionType.DISPUTE)
    assert [(t.description, t.amount) for t in hold_rows] == (
        [("Held while a card payment is disputed", held)] if held else []
    )

    disputes.resolve(opened, won=won)
    disputes.deliver("charge.dispute.resolve", deposit.reference)
    wallet.refresh_from_db()
    dispute.refresh_from_db()
    assert dispute.status == ("won" if won else "lost")
    assert wallet.balance == balance_after
    assert system_balance(SystemAccount.PAYSTACK) - paystack_before == paystack_move
    assert (held_total(), exposure_total(), losses_total()) == (D("0"), D("0"), losses)
    assert dashboard_figures() == (0, D("0"), D("0"))
    released = hold_rows.filter(description="Released").values_list("amount", flat=True)
    assert list(released) == ([held] if won and held else [])
    assert check_ledger().ok, check_ledger().text()


@pytest.mark.django_db(transaction=True)
def test_with_the_recover_policy_a_lost_shortfall_is_taken_from_money_that_comes_in_later(
    settings, wallet, card_deposit, disputes
):
    settings.DISPUTE_EXPOSURE_POLICY = "recover"
    deposit = card_deposit(amount="1000.00")
    WalletService().withdraw(wallet=wallet, amount=D("700.00"), description="Spent")
    opened = disputes.open(deposit)
    disputes.deliver("charge.dispute.create", deposit.reference)
    disputes.resolve(opened, won=False)
    disputes.deliver("charge.dispute.resolve", deposit.reference)
    assert (exposure_total(), losses_total()) == (D("700.00"), D("0"))

    WalletService().deposit(wallet=wallet, amount=D("500.00"), description="Gift")
    from wallet.services.disputes.money import recover_all

    assert recover_all() == D("500.00")
    wallet.refresh_from_db()
    assert (wallet.balance, exposure_total()) == (D("0.00"), D("200.00"))
    WalletService().deposit(wallet=wallet, amount=D("300.00"), description="Gift")
    assert recover_all() == D("200.00")
    wallet.refresh_from_db()
    dispute = Dispute.objects.get(paystack_id=opened["id"])
    assert (wallet.balance, exposure_total(), dispute.outstanding) == (D("100.00"), 0, 0)
    repaid = Transaction.objects.filter(wallet=wallet, description__startswith="Repaid")
    assert sorted(repaid.values_list("amount", flat=True)) == [D("200.00"), D("500.00")]
    assert recover_all() == 0 and check_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_a_partial_loss_takes_only_the_refund_amount_and_releases_the_rest(
    wallet, card_deposit, disputes
):
    deposit = card_deposit(amount="1000.00")
    opened = disputes.open(deposit)
    disputes.deliver("charge.dispute.create", deposit.reference)
    disputes.resolve(opened, won=False, refund_amount=30_000)  # NGN 300.00
    disputes.deliver("charge.dispute.resolve", deposit.reference)
    wallet.refresh_from_db()
    assert wallet.balance == D("700.00")
    assert (held_total(), exposure_total()) == (0, 0)
    assert Dispute.objects.get(paystack_id=opened["id"]).lost_amount == D("300.00")
    assert check_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_with_the_recover_policy_a_card_deposit_repays_the_shortfall_as_it_is_credited(
    settings, wallet, card_deposit, disputes
):
    settings.DISPUTE_EXPOSURE_POLICY = "recover"
    deposit = card_deposit(amount="1000.00")
    WalletService().withdraw(wallet=wallet, amount=D("1000.00"), description="Spent")
    opened = disputes.open(deposit)
    disputes.deliver("charge.dispute.create", deposit.reference)
    disputes.resolve(opened, won=False)
    disputes.deliver("charge.dispute.resolve", deposit.reference)
    assert exposure_total() == D("1000.00")
    card_deposit(amount="400.00")  # the next top-up pays part of it back at once
    wallet.refresh_from_db()
    assert (wallet.balance, exposure_total()) == (D("0.00"), D("600.00"))
    assert check_ledger().ok

"""The services against a simple in-memory model of balances (hypothesis state machine)."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.factories import make_user
from wallet.exceptions import InsufficientFunds, InvalidAmount, WalletLocked
from wallet.models import Wallet
from wallet.services.ledger.check import check_ledger
from wallet.services.transaction_service import TransactionService
from wallet.services.wallet_service import WalletService

_run = itertools.count()
amounts = st.decimals(
    min_value=Decimal("-5"),
    max_value=Decimal("3000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
wallet_index = st.integers(min_value=0, max_value=2)


class WalletModel(RuleBasedStateMachine):
    """Three wallets; every rule is applied to the real services and to a dict of balances."""

    @initialize()
    def open_wallets(self):
        run = next(_run)
        self.service = WalletService()
        self.wallets = [
            self.service.get_wallet(make_user(email=f"sm{run}-{i}@example.com")) for i in range(3)
        ]
        self.model = {w.pk: Decimal("0.00") for w in self.wallets}
        self.locked = set()
        self.transfers = []

    def _refused(self, amount, *payers):
        if amount < 1:
            return InvalidAmount
        if any(w.pk in self.locked for w in payers):
            return WalletLocked
        return None

    @rule(index=wallet_index, amount=amounts)
    def deposit(self, index, amount):
        wallet = self.wallets[index]
        expected_error = self._refused(amount, wallet)
        try:
            self.service.deposit(wallet=wallet, amount=amount)
        except (InvalidAmount, WalletLocked) as error:
            assert type(error) is expected_error
        else:
            assert expected_error is None
            self.model[wallet.pk] += amount

    @rule(source=wallet_index, destination=wallet_index, amount=amounts)
    def transfer(self, source, destination, amount):
        if source == destination:
            return
        payer, payee = self.wallets[source], self.wallets[destination]
        expected_error = self._refused(amount, payer, payee)
        if expected_error is None and self.model[payer.pk] < amount:
            expected_error = InsufficientFunds
        try:
            sent = self.service.transfer(
                source_wallet=payer, destination_wallet=payee, amount=amount
            )
        except (InvalidAmount, WalletLocked, InsufficientFunds) as error:
            assert type(error) is expected_error
        else:
            assert expected_error is None
            self.model[payer.pk] -= amount
            self.model[payee.pk] += amount
            self.transfers.append(sent)

    @precondition(lambda self: self.transfers)
    @rule()
    def reverse_last_transfer(self):
        sent = self.transfers.pop()
        payer, payee = sent.wallet_id, sent.counterparty_wallet_id
        try:
            TransactionService().reverse_transaction(sent)
        except InsufficientFunds:
            assert self.model[payee] < sent.amount
        else:
            self.model[payer] += sent.amount
            self.model[payee] -= sent.amount

    @rule(index=wallet_index)
    def toggle_lock(self, index):
        wallet = self.wallets[index]
        if wallet.pk in self.locked:
            wallet.unlock()
            self.locked.discard(wallet.pk)
        else:
            wallet.lock()
            self.locked.add(wallet.pk)

    @invariant()
    def balances_match_the_model(self):
        actual = dict(Wallet.objects.filter(pk__in=self.model).values_list("pk", "balance"))
        assert actual == self.model

    def teardown(self):
        report = check_ledger()
        assert report.ok, report.text()


@pytest.mark.django_db
def test_services_behave_like_the_model():
    WalletModel.TestCase.settings = settings(
        max_examples=40,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    WalletModel.TestCase().runTest()

"""The wallet_transfer() call is a prepared statement where the connection can keep one, and
sent whole behind PgBouncer in transaction mode (prepare_threshold None), with the
same rows and the same refusals either way (issue 25)."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import InsufficientFunds, WalletLocked
from wallet.models import Wallet
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db
service = WalletService()


@pytest.fixture(autouse=True)
def _postgresql_function(settings):
    if connection.vendor != "postgresql":
        pytest.skip("wallet_transfer() is PostgreSQL's")
    settings.WALLET_TRANSFER_IN_DATABASE = True


@pytest.fixture(params=["prepared", "behind PgBouncer"])
def sending(request, monkeypatch):
    connection.ensure_connection()
    if request.param == "behind PgBouncer":  # what DATABASE_PGBOUNCER=1 makes of a connection
        monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    return request.param


def prepared_transfer_calls():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%wallet_transfer(%"],
        )
        return cursor.fetchone()[0]


def test_transfers_and_refusals_are_the_same_either_way(sending, funded_wallet, other_wallet):
    prepared_before = prepared_transfer_calls()  # the connection outlives one test
    for amount in ("100.00", "250.50"):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal(amount)
        )
    with pytest.raises(InsufficientFunds):
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("9999")
        )
    Wallet.objects.filter(pk=other_wallet.pk).update(is_locked=True)
    with pytest.raises(WalletLocked):  # inside the caller's transaction: the savepoint's path
        with transaction.atomic():
            service.transfer(
                source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("1")
            )

    assert balances(funded_wallet, other_wallet) == [Decimal("9649.50"), Decimal("350.50")]
    assert_ledger_consistent()
    if sending == "prepared":  # once per connection, however many transfers
        assert prepared_transfer_calls() == 1
    else:
        assert prepared_transfer_calls() == prepared_before


def test_the_call_is_logged_as_sent_either_way(sending, funded_wallet, other_wallet):
    """Query counts and logs (tests, bench/api.py, debug pages) see the call, prepared or not."""
    with CaptureQueriesContext(connection) as captured:
        service.transfer(
            source_wallet=funded_wallet, destination_wallet=other_wallet, amount=Decimal("5")
        )
    calls = [q["sql"] for q in captured.captured_queries if "wallet_transfer(" in (q["sql"] or "")]
    assert len(calls) == 1 and f"wallet_transfer({funded_wallet.pk}, " in calls[0]

"""The replica router: lag-tolerant reads go to the replica, everything else stays on the primary.

The "replica" alias here is Django's test mirror of the test database (tests/conftest.py): a
second connection, so every query can be attributed to the alias that ran it. The cluster smoke
(tests/deploy/test_cluster_smoke.py) proves the same against a real streaming replica.
"""

from decimal import Decimal

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from wallet.models import KycTier, LedgerEntry, Transaction, TransactionPin, Wallet
from wallet.services.wallet_service import WalletService
from walletsite.replica import PIN_COOKIE, ReplicaRouter, replica_lag

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def routing_on(settings):
    settings.DATABASE_REPLICA_ROUTING = True
    settings.WALLET_PIN_REQUIRED = False
    replica_lag().forget()
    yield
    replica_lag().forget()


def tables(queries) -> set[str]:
    """The wallet tables each captured query reads from (its FROM clause)."""
    found = set()
    for query in queries:
        sql = query["sql"]
        if " FROM " in sql:
            found.add(sql.split(" FROM ", 1)[1].split()[0].strip('"'))
    return found


class Capture:
    def __init__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])

    def __enter__(self):
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def capture(client, path, **kwargs):
    with Capture() as seen:
        response = client.get(path, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.status_code
    return response, tables(seen.primary.captured_queries), tables(seen.replica.captured_queries)


def test_history_reads_transactions_from_the_replica_and_the_wallet_from_the_primary(
    client_logged_in, funded_wallet
):
    _, primary, replica = capture(client_logged_in, "/wallet/transactions/")

    assert "wallet_transaction" in replica
    assert "wallet_wallet" in primary and "wallet_wallet" not in replica
    assert "django_session" in primary and "django_session" not in replica


def test_csv_export_streams_from_the_replica(client_logged_in, funded_wallet):
    response, primary, replica = capture(client_logged_in, "/wallet/transactions/export.csv")

    assert "wallet_transaction" in replica and "wallet_transaction" not in primary


def test_dashboard_balance_and_limits_never_touch_the_replica(client_logged_in, funded_wallet):
    _, primary, replica = capture(client_logged_in, "/wallet/")

    assert "wallet_wallet" in primary
    assert replica == set()


def test_back_office_list_reads_from_the_replica(staff_client_for, funded_wallet):
    client = staff_client_for(superuser=True)

    _, primary, replica = capture(client, "/admin/wallet/transaction/")

    assert "wallet_transaction" in replica
    assert "django_session" in primary and "auth_user" not in replica


def test_read_your_write_a_send_pins_the_browser_to_the_primary(
    client_logged_in, funded_wallet, other_wallet
):
    sent = client_logged_in.post(
        "/wallet/send/",
        {"step": "send", "recipient": other_wallet.user.email, "amount": "25", "reference": ""},
    )
    assert sent.status_code == 302 and client_logged_in.cookies[PIN_COOKIE]["max-age"] == 10

    response, primary, replica = capture(client_logged_in, "/wallet/transactions/")

    assert replica == set() and "wallet_transaction" in primary
    assert "₦25.00" in response.content.decode()
    assert Wallet.objects.get(pk=funded_wallet.pk).balance == Decimal("9975.00")


def test_once_the_pin_lapses_history_goes_back_to_the_replica(client_logged_in, funded_wallet):
    client_logged_in.cookies[PIN_COOKIE] = "1"
    _, _, pinned = capture(client_logged_in, "/wallet/transactions/")
    del client_logged_in.cookies[PIN_COOKIE]
    _, _, lapsed = capture(client_logged_in, "/wallet/transactions/")

    assert pinned == set() and "wallet_transaction" in lapsed


def test_a_replica_lagging_past_the_limit_is_not_read(client_logged_in, funded_wallet, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0  # any lag at all is too much

    _, primary, replica = capture(client_logged_in, "/wallet/transactions/")

    assert "wallet_transaction" in primary and "wallet_transaction" not in replica


def test_an_unreachable_replica_sends_reads_to_the_primary(client_logged_in, funded_wallet):
    replica = connections["replica"]
    replica.close()
    port = replica.settings_dict["PORT"]
    replica.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        with CaptureQueriesContext(connections["default"]) as seen:
            response = client_logged_in.get("/wallet/transactions/")
    finally:
        replica.close()
        replica.settings_dict["PORT"] = port

    assert response.status_code == 200
    assert "wallet_transaction" in tables(seen.captured_queries)


def test_routing_off_without_a_replica_url(client_logged_in, funded_wallet, settings):
    settings.DATABASE_REPLICA_ROUTING = False

    _, primary, replica = capture(client_logged_in, "/wallet/transactions/")

    assert replica == set() and "wallet_transaction" in primary


def test_money_models_and_open_transactions_stay_on_the_primary(funded_wallet):
    from walletsite import replica as module

    router = ReplicaRouter()
    token = module._replica_allowed.set(True)
    try:
        assert router.db_for_read(Transaction) == "replica"
        assert router.db_for_read(LedgerEntry) == "replica"
        for model in (Wallet, KycTier, TransactionPin):
            assert router.db_for_read(model) == "default"
        # A wallet reached from a replica row is still read from the primary.
        row = Transaction.objects.filter(wallet=funded_wallet).first()
        assert row._state.db == "replica"
        assert router.db_for_read(Wallet, instance=row) == "default"
        assert row.wallet._state.db == "default"
        with transaction.atomic():
            assert router.db_for_read(Transaction) == "default"
        assert router.db_for_write(Transaction) == "default"
        assert router.allow_migrate("replica", "wallet") is False
    finally:
        module._replica_allowed.reset(token)


def test_reads_after_a_write_in_the_same_request_stay_on_the_primary(rf, funded_wallet, user):
    from walletsite.replica import ReplicaReadsMiddleware

    seen = {}

    def view(request):
        seen["before"] = Transaction.objects.filter(wallet=funded_wallet).db
        WalletService().deposit(wallet=funded_wallet, amount=Decimal("5.00"), description="x")
        seen["after"] = Transaction.objects.filter(wallet=funded_wallet).db
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = rf.get("/wallet/transactions/")
    request.user = user

    def through_view(request):
        from django.urls import resolve

        request.resolver_match = resolve("/wallet/transactions/")
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaReadsMiddleware(through_view)
    middleware(request)

    assert seen == {"before": "replica", "after": "default"}

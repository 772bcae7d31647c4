"""The transfer notifications' outbox (TransferNotice): a transfer writes its notice with the
money, in the same statement on PostgreSQL; the webhook worker (or the schedule) tells both
sides and removes it, once, even with two workers at once; a refused or replayed transfer adds
nothing; a notice that cannot be told does not hold up the others. A worker's batch (transfers
told, deposits credited) queues its e-mails as one task."""

import threading
from decimal import Decimal

import pytest
from django.db import transaction as db

from wallet.exceptions import InsufficientFunds
from wallet.models import Notification, NotificationKind, TransferNotice
from wallet.services.funding import webhook_claims
from wallet.services.notifications import service, transfer_notices
from wallet.services.wallet_service import WalletService

pytestmark = pytest.mark.django_db(transaction=True)


def _send(source, destination, amount="100", reference=None):
    return WalletService().transfer(
        source_wallet=source,
        destination_wallet=destination,
        amount=Decimal(amount),
        reference=reference,
    )


@pytest.mark.parametrize("in_database", [True, False], ids=["sql-function", "orm"])
def test_a_transfer_writes_one_notice_and_nothing_is_told_until_the_worker_drains_it(
    funded_wallet, other_wallet, settings, in_database
):
    settings.WALLET_TRANSFER_IN_DATABASE = in_database
    sent = _send(funded_wallet, other_wallet, reference="trf-outbox-1")
    _send(funded_wallet, other_wallet, reference="trf-outbox-1")  # a replay adds nothing

    assert list(TransferNotice.objects.values_list("transaction_id", flat=True)) == [sent.pk]
    assert not Notification.objects.exists()  # no worker has run yet

    assert transfer_notices.tell_waiting_transfers() == 1
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == [NotificationKind.MONEY_IN, NotificationKind.MONEY_OUT]
    assert not TransferNotice.objects.exists()
    assert transfer_notices.tell_waiting_transfers() == 0
    assert Notification.objects.count() == 2


@pytest.mark.parametrize("in_database", [True, False], ids=["sql-function", "orm"])
def test_a_refused_transfer_leaves_no_notice(funded_wallet, other_wallet, settings, in_database):
    settings.WALLET_TRANSFER_IN_DATABASE = in_database
    with pytest.raises(InsufficientFunds):
        _send(funded_wallet, other_wallet, amount="999999")

    assert not TransferNotice.objects.exists()


def test_in_synchronous_mode_the_transfer_is_told_after_its_commit(
    funded_wallet, other_wallet, q_sync
):
    _send(funded_wallet, other_wallet)

    assert Notification.objects.count() == 2
    assert not TransferNotice.objects.exists()


def test_two_workers_draining_at_once_tell_each_transfer_once(funded_wallet, other_wallet):
    for _ in range(30):
        _send(funded_wallet, other_wallet, amount="1")
    start = threading.Barrier(2)
    told, errors = [], []

    def worker():
        from django.db import connection

        try:
            start.wait(timeout=10)
            total = 0
            while done := transfer_notices.tell_waiting_transfers(limit=5):
                total += done
            told.append(total)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(told) == 30
    assert Notification.objects.filter(kind=NotificationKind.MONEY_OUT).count() == 30
    assert Notification.objects.filter(kind=NotificationKind.MONEY_IN).count() == 30
    assert not TransferNotice.objects.exists()


def test_a_notice_that_cannot_be_told_is_retried_then_left_and_the_others_are_told(
    funded_wallet, other_wallet, monkeypatch
):
    bad = _send(funded_wallet, other_wallet)
    good = _send(funded_wallet, other_wallet)
    real = transfer_notices.tell_transfer

    def tell(transaction_id):
        if transaction_id == bad.pk:
            raise RuntimeError("the template is broken")
        real(transaction_id)

    monkeypatch.setattr(transfer_notices, "tell_transfer", tell)
    assert transfer_notices.tell_waiting_transfers() == 1
    assert Notification.objects.filter(event_key__endswith=good.reference).count() == 2
    assert not Notification.objects.filter(event_key__endswith=bad.reference).exists()
    for _ in range(transfer_notices.GIVE_UP_AFTER - 1):
        transfer_notices.tell_waiting_transfers()

    left = TransferNotice.objects.get()
    assert (left.transaction_id, left.attempts) == (bad.pk, transfer_notices.GIVE_UP_AFTER)
    assert transfer_notices.tell_waiting_transfers() == 0  # no longer claimed


class OnePass(threading.Event):
    """A stop signal that ends the worker the first time it finds nothing to do."""

    def wait(self, timeout=None):
        self.set()
        return True


def test_the_webhook_worker_tells_waiting_transfers_between_its_events(
    funded_wallet, other_wallet
):
    _send(funded_wallet, other_wallet)

    webhook_claims.run(OnePass(), poll=0)

    assert Notification.objects.count() == 2
    assert not TransferNotice.objects.exists()


@pytest.fixture
def queued(monkeypatch):
    """The tasks queued by notifications, as (function, arguments), instead of queued."""
    calls = []
    monkeypatch.setattr(service, "enqueue", lambda func, *args: calls.append((func, args)))
    return calls


def test_a_batch_of_transfers_is_e_mailed_by_one_task(funded_wallet, other_wallet, queued):
    sent = [_send(funded_wallet, other_wallet) for _ in range(3)]

    assert transfer_notices.tell_waiting_transfers() == 3

    assert len(queued) == 1
    func, (keys,) = queued[0]
    assert func == service.EMAIL_TASK
    assert sorted(key for _, key in keys) == sorted(
        f"{kind}:{tx.reference}" for tx in sent for kind in ("money_in", "money_out")
    )


def test_gathering_inside_a_transaction_gathers_nothing_and_loses_nothing(user, queued):
    with db.atomic():
        with service.emails_gathered():
            service.notify(user=user, kind="security", event_key="k1", title="One")
        assert queued == []  # not before the commit
    assert [func for func, _ in queued] == [service.EMAIL_TASK]


def test_gathered_e_mails_are_sent_once_each(user, other_user, mailoutbox, q_sync):
    with service.emails_gathered():
        for who in (user, other_user, user):  # the third is the first event told again
            service.notify(user=who, kind="security", event_key="k1", title="Signed in")
        assert mailoutbox == []  # the batch's one task leaves when the block ends

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [user.email, other_user.email]
    )

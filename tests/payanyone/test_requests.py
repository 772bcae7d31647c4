"""Money requests: asked by handle/phone/e-mail, paid once with the PIN (even from two sessions
at once, on PostgreSQL with real threads), declined, cancelled, expired (nothing moves), the
daily limit, blocking, and a request to yourself refused; its link paid by a stranger."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.funding.conftest import SUCCESS_CARD
from tests.wallet.money import assert_ledger_consistent, balances
from wallet.exceptions import LimitExceeded, WalletError
from wallet.models import MoneyRequest, MoneyRequestStatus
from wallet.services.requests.operations import (
    RequestClosed,
    block_requester,
    cancel_request,
    create_request,
    decline_request,
    pay_request,
)
from wallet.services.wallet_service import WalletService
from wallet.templatetags.wallet_web import transaction_title

S = MoneyRequestStatus


@pytest.fixture
def bola(make_user):
    user = make_user(email="bola@example.com", handle="bola", first_name="Bola", last_name="Ade")
    return WalletService().get_wallet(user)


@pytest.fixture
def ada(make_user):
    user = make_user(email="ada@example.com", handle="ada", first_name="Ada", last_name="Okafor")
    wallet = WalletService().get_wallet(user)
    WalletService().deposit(wallet=wallet, amount=Decimal("5000"))
    return wallet


def pay(request, payer):
    return pay_request(WalletService().transfer, request_id=request.pk, payer=payer)


@pytest.mark.django_db
def test_a_request_is_paid_once_and_history_names_it(
    bola, ada, mailoutbox, q_sync, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = create_request(requester=bola, payer=ada, amount="1500", note="Suya")
    assert len(mailoutbox) == 1 and "Bola Ade asked you for ₦1,500.00" in mailoutbox[0].subject
    sent = pay(request, ada)
    request.refresh_from_db()
    assert request.status == S.PAID and request.paid_transaction.wallet == bola
    assert balances(ada, bola) == [Decimal("3500.00"), Decimal("1500.00")]
    assert transaction_title(sent) == "Requested by @bola"
    assert transaction_title(request.paid_transaction) == "Request paid by @ada"
    with pytest.raises(RequestClosed, match="already been paid"):
        pay(request, ada)
    assert balances(ada, bola) == [Decimal("3500.00"), Decimal("1500.00")]
    assert_ledger_consistent()


@pytest.mark.django_db
def test_declined_cancelled_and_expired_requests_move_nothing(bola, ada):
    declined = create_request(requester=bola, payer=ada, amount="100")
    decline_request(request_id=declined.pk, payer=ada)
    cancelled = create_request(requester=bola, payer=ada, amount="100")
    cancel_request(request_id=cancelled.pk, requester=bola)
    expired = create_request(requester=bola, payer=ada, amount="100")
    MoneyRequest.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    for request, words in ((declined, "declined"), (cancelled, "cancelled"), (expired, "expired")):
        with pytest.raises(RequestClosed, match=words):
            pay(request, ada)
    with pytest.raises(WalletError):
        cancel_request(request_id=declined.pk, requester=bola)
    assert balances(ada, bola) == [Decimal("5000.00"), Decimal("0.00")]


@pytest.mark.django_db
def test_only_the_payer_pays_or_declines_and_only_the_requester_cancels(bola, ada, other_wallet):
    request = create_request(requester=bola, payer=ada, amount="100")
    with pytest.raises(WalletError):
        pay(request, other_wallet)
    with pytest.raises(WalletError):
        decline_request(request_id=request.pk, payer=bola)
    with pytest.raises(WalletError):
        cancel_request(request_id=request.pk, requester=ada)
    assert MoneyRequest.objects.get(pk=request.pk).status == S.OPEN


@pytest.mark.django_db
def test_to_yourself_the_daily_limit_blocking_and_bad_amounts_are_refused(
    bola, ada, settings, monkeypatch
):
    # The day's count is of the Lagos calendar day: pinned to midday, never across midnight.
    noon = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    with pytest.raises(WalletError, match="yourself"):
        create_request(requester=bola, payer=bola, amount="100")
    for amount in ("-1", "0", "abc", "1e9999", "1.001"):
        with pytest.raises(WalletError):
            create_request(requester=bola, payer=ada, amount=amount)
    settings.WALLET_MONEY_REQUESTS_PER_DAY = 2
    open_one = create_request(requester=bola, payer=ada, amount="100")
    create_request(requester=bola, payer=ada, amount="100")
    with pytest.raises(LimitExceeded, match="2 requests a day"):
        create_request(requester=bola, payer=ada, amount="100")
    settings.WALLET_MONEY_REQUESTS_PER_DAY = 20
    block_requester(blocker=ada, blocked=bola)
    assert MoneyRequest.objects.get(pk=open_one.pk).status == S.DECLINED
    with pytest.raises(WalletError, match="does not accept"):
        create_request(requester=bola, payer=ada, amount="100")


@pytest.mark.django_db
def test_the_pages_ask_pay_with_the_pin_and_hide_others_requests(bola, ada, other_user, settings):
    settings.WALLET_PIN_REQUIRED = False
    asker, payer, stranger = Client(), Client(), Client()
    asker.force_login(bola.user)
    payer.force_login(ada.user)
    stranger.force_login(other_user)
    made = asker.post("/wallet/requests/", {"who": "@ada", "amount": "700", "note": "Fuel"})
    assert made.status_code == 302
    request = MoneyRequest.objects.get()
    assert "Requested by @bola" in payer.get("/wallet/requests/").content.decode()
    assert stranger.get(f"/wallet/requests/{request.pk}/pay/").status_code == 404
    assert stranger.post(f"/wallet/requests/{request.pk}/cancel/").status_code == 404
    assert asker.post("/wallet/requests/", {"who": "@bola", "amount": "5"}).status_code == 422
    assert asker.post("/wallet/requests/", {"who": "@nobody1", "amount": "5"}).status_code == 422
    assert payer.post(f"/wallet/requests/{request.pk}/pay/").status_code == 302
    assert balances(ada, bola) == [Decimal("4300.00"), Decimal("700.00")]
    again = payer.post(f"/wallet/requests/{request.pk}/pay/")
    assert again.status_code == 422 and "already been paid" in again.content.decode()
    assert balances(ada, bola) == [Decimal("4300.00"), Decimal("700.00")]


@pytest.mark.django_db
def test_a_requests_link_is_paid_by_a_stranger_once_and_closes_it(client, sandbox, bola, q_sync):
    request = create_request(requester=bola, payer=None, amount="1200", note="Cake")
    page = client.get(f"/pay/r/{request.token}/")
    assert page.status_code == 200 and "₦1,200" in page.content.decode()
    form = {"amount": "99999", "payer_name": "Chidi Obi", "payer_email": "c@example.org"}
    started = client.post(f"/pay/r/{request.token}/", form)  # the amount is the request's
    sandbox.complete_checkout(started["Location"], card=SUCCESS_CARD)
    reference = request.link_payments.get().transaction.reference
    client.get(f"/pay/done/?reference={reference}")
    client.get(f"/pay/done/?reference={reference}")
    request.refresh_from_db()
    assert request.status == S.PAID and balances(bola) == [Decimal("1200.00")]
    assert client.get(f"/pay/r/{request.token}/").status_code == 404  # paid: closed
    assert_ledger_consistent()


@pytest.mark.django_db(transaction=True)
def test_a_request_paid_from_two_sessions_at_once_moves_money_once(bola, ada):
    request = create_request(requester=bola, payer=ada, amount="1000")
    barrier, outcomes = threading.Barrier(2), []

    def session():
        try:
            barrier.wait(timeout=10)
            pay(request, ada)
            outcomes.append("paid")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=session) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["RequestClosed", "paid"]
    assert balances(ada, bola) == [Decimal("4000.00"), Decimal("1000.00")]
    assert_ledger_consistent()


@pytest.mark.django_db
def test_v1_asks_lists_pays_once_and_refuses_others(bola, ada, other_user, settings):
    import json

    settings.WALLET_PIN_REQUIRED = False
    asker, payer, stranger = Client(), Client(), Client()
    asker.force_login(bola.user)
    payer.force_login(ada.user)
    stranger.force_login(other_user)

    def post(client, path, body=None, key=None):
        headers = {"Idempotency-Key": key} if key else {}
        return client.post(
            f"/wallet/api/v1/{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=headers,
        )

    made = post(asker, "me/requests/", {"payer": "@ada", "amount": "300", "note": "Bread"})
    assert made.status_code == 201 and made.json()["status"] == "open"
    rid = made.json()["id"]
    assert post(asker, "me/requests/", {"payer": "@bola", "amount": "1"}).status_code == 422
    assert post(stranger, f"me/requests/{rid}/pay/").status_code == 404
    listed = payer.get("/wallet/api/v1/me/requests/").json()
    assert [row["id"] for row in listed] == [rid] and "ada@" not in json.dumps(listed)
    first = post(payer, f"me/requests/{rid}/pay/", key="pay-bread")
    replay = post(payer, f"me/requests/{rid}/pay/", key="pay-bread")
    again = post(payer, f"me/requests/{rid}/pay/")
    assert first.status_code == 200 and first.json()["status"] == "paid"
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    assert again.status_code == 422
    assert balances(ada, bola) == [Decimal("4700.00"), Decimal("300.00")]
    assert post(asker, f"me/requests/{rid}/cancel/").status_code == 422

"""Issue 24's routes under the hardening rules: the fuzz over every route walks them (it reads
the URLconf), and every id in them names only the caller's own objects: another customer's
saved account, bank send or request is a 404 on every face, and moves nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tests.hardening.test_fuzz_every_route import all_routes
from tests.wallet.money import balances
from wallet.models import Bank, Beneficiary, MoneyRequest, MoneyRequestStatus
from wallet.services.requests.operations import create_request

NEW_ROUTES = (
    "pay/@<str:handle>/",
    "pay/r/<str:token>/",
    "pay/done/",
    "wallet/send/bank/",
    "wallet/send/bank/lookup/",
    "wallet/send/bank/<int:pk>/",
    "wallet/send/bank/accounts/<int:pk>/rename/",
    "wallet/send/bank/accounts/<int:pk>/remove/",
    "wallet/requests/",
    "wallet/requests/<int:pk>/pay/",
    "wallet/requests/<int:pk>/decline/",
    "wallet/requests/<int:pk>/cancel/",
    "wallet/requests/<int:pk>/qr.png",
    "wallet/pay-link/",
    "wallet/pay-link/qr.png",
    "wallet/pay-link/switch/",
    "wallet/api/v1/me/bank-sends/",
    "wallet/api/v1/me/bank-sends/<id:pk>/",
    "wallet/api/v1/me/beneficiaries/",
    "wallet/api/v1/me/beneficiaries/<id:pk>/",
    "wallet/api/v1/me/requests/",
    "wallet/api/v1/me/requests/<id:pk>/pay/",
    "wallet/api/v1/me/requests/<id:pk>/decline/",
    "wallet/api/v1/me/requests/<id:pk>/cancel/",
)


def test_the_fuzz_over_every_route_walks_the_new_routes():
    routes = all_routes()
    assert [route for route in NEW_ROUTES if route not in routes] == []


@pytest.mark.django_db
def test_another_customers_objects_are_404_everywhere_and_move_nothing(
    funded_wallet, other_wallet, other_user
):
    bank = Bank.objects.create(name="Guaranty Trust Bank", code="058")
    saved = Beneficiary.objects.create(
        wallet=funded_wallet,
        bank=bank,
        account_number="0123456789",
        account_name="ADA OKAFOR",
        recipient_code="RCP_test",
        saved_at=timezone.now(),
    )
    asked = create_request(requester=funded_wallet, payer=None, amount="100")
    stranger = Client()
    stranger.force_login(other_user)
    pk, rid = saved.pk, asked.pk
    posts = [
        f"/wallet/send/bank/accounts/{pk}/rename/",
        f"/wallet/send/bank/accounts/{pk}/remove/",
        f"/wallet/requests/{rid}/pay/",
        f"/wallet/requests/{rid}/decline/",
        f"/wallet/requests/{rid}/cancel/",
        f"/wallet/api/v1/me/requests/{rid}/pay/",
        f"/wallet/api/v1/me/requests/{rid}/cancel/",
    ]
    gets = [
        f"/wallet/requests/{rid}/qr.png",
        f"/wallet/api/v1/me/beneficiaries/{pk}/",
    ]
    for url in posts:
        assert stranger.post(url, {"nickname": "x", "pin": "1357"}).status_code == 404, url
    for url in gets:
        assert stranger.get(url).status_code == 404, url
    assert stranger.delete(f"/wallet/api/v1/me/beneficiaries/{pk}/").status_code == 404
    saved.refresh_from_db()
    assert saved.nickname == "" and saved.removed_at is None
    assert MoneyRequest.objects.get(pk=rid).status == MoneyRequestStatus.OPEN
    assert balances(funded_wallet, other_wallet) == [Decimal("10000.00"), Decimal("0.00")]

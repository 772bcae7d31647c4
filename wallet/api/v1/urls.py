"""/wallet/api/v1/: `me` is the caller's own wallet; ids are looked up inside it."""

from django.urls import path, re_path, register_converter
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound

from wallet.api.v1 import schema  # noqa: F401  (registers the token scheme)
from wallet.api.v1.views import bank_sends, funding, payouts, pin, requests, sending, settlements
from wallet.api.v1.views import wallet as me


class IdConverter:
    """A database id: at most 18 digits, so a huge number is a clean 404, never an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
def unknown(request, rest):
    raise NotFound("There is no such API endpoint.")


urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="api_v1_schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="wallet:api_v1_schema", authentication_classes=[], permission_classes=[]
        ),
        name="api_v1_docs",
    ),
    path("me/", me.MeView.as_view(), name="api_v1_me"),
    path("me/balance/", me.BalanceView.as_view(), name="api_v1_balance"),
    path("me/limits/", me.LimitsView.as_view(), name="api_v1_limits"),
    path("me/pin/", pin.PinView.as_view(), name="api_v1_pin"),
    path("me/pin/change/", pin.PinChangeView.as_view(), name="api_v1_pin_change"),
    path("me/transactions/", me.TransactionListView.as_view(), name="api_v1_transactions"),
    path("me/transactions/<id:pk>/", me.TransactionDetailView.as_view()),
    path("me/transactions/<id:pk>/receipt/", me.ReceiptView.as_view()),
    path("me/recipients/lookup/", sending.RecipientLookupView.as_view()),
    path("me/transfers/", sending.TransferView.as_view(), name="api_v1_transfers"),
    path("me/deposits/", funding.DepositView.as_view(), name="api_v1_deposits"),
    path("me/deposits/verify/", funding.DepositVerifyView.as_view()),
    path("me/cards/", funding.CardListView.as_view()),
    path("me/cards/<id:pk>/", funding.CardView.as_view()),
    path("me/cards/<id:pk>/charge/", funding.CardChargeView.as_view()),
    path("me/cards/<id:pk>/default/", funding.CardDefaultView.as_view()),
    path("me/dedicated-account/", funding.DedicatedAccountView.as_view()),
    path("banks/", payouts.BankListView.as_view()),
    path("banks/resolve/", payouts.ResolveAccountView.as_view()),
    path("me/bank-accounts/", payouts.BankAccountListView.as_view()),
    path("me/bank-accounts/<id:pk>/", payouts.BankAccountView.as_view()),
    path("me/bank-accounts/<id:pk>/default/", payouts.BankAccountDefaultView.as_view()),
    path("me/withdrawals/", payouts.WithdrawalListView.as_view()),
    path("me/withdrawals/<id:pk>/", payouts.WithdrawalView.as_view()),
    path("me/bank-sends/", bank_sends.BankSendListView.as_view(), name="api_v1_bank_sends"),
    path("me/bank-sends/<id:pk>/", bank_sends.BankSendView.as_view()),
    path("me/beneficiaries/", bank_sends.BeneficiaryListView.as_view()),
    path("me/beneficiaries/<id:pk>/", bank_sends.BeneficiaryView.as_view()),
    path("me/requests/", requests.RequestListView.as_view(), name="api_v1_requests"),
    path("me/requests/<id:pk>/pay/", requests.RequestPayView.as_view()),
    path("me/requests/<id:pk>/decline/", requests.RequestDeclineView.as_view()),
    path("me/requests/<id:pk>/cancel/", requests.RequestCancelView.as_view()),
    path("me/settlements/", settlements.SettlementListView.as_view()),
    path("me/settlement-schedules/", settlements.ScheduleListView.as_view()),
    path("me/settlement-schedules/<id:pk>/", settlements.ScheduleView.as_view()),
    path("me/settlement-schedules/<id:pk>/pause/", settlements.SchedulePauseView.as_view()),
    path("me/settlement-schedules/<id:pk>/resume/", settlements.ScheduleResumeView.as_view()),
    re_path(r"^(?P<rest>.*)$", unknown),
]

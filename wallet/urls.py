from django.urls import path

from wallet.api import views as api_views
from wallet.views import (
    cards,
    dashboard,
    dedicated_account,
    deposit,
    history,
    send,
    statements,
    webhook,
)

app_name = "wallet"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Web app (issue 7): send money, history, receipts, exports.
    path("send/", send.send_money, name="send"),
    path("send/recipient/", send.recipient_lookup, name="recipient_lookup"),
    path("transactions/", history.history, name="history"),
    path("transactions/<int:pk>/", history.transaction_detail, name="transaction_detail"),
    path("transactions/export.csv", history.export_csv, name="export_csv"),
    path("statement/", statements.statement, name="statement"),
    # JSON API of the usage guide ("Using the API in JavaScript").
    path("api/wallets/default/deposit/", api_views.deposit, name="api_deposit"),
    path("api/wallets/default/transfer/", api_views.transfer, name="api_transfer"),
    path("api/transactions/verify/", api_views.verify, name="api_verify"),
    # funding
    path("deposit/", deposit.deposit, name="deposit"),
    path("deposit/callback/", deposit.deposit_callback, name="deposit_callback"),
    path("deposit/<str:reference>/status/", deposit.deposit_status, name="deposit_status"),
    path("deposit/balance/", deposit.balance, name="deposit_balance"),
    path("cards/", cards.card_list, name="cards"),
    path("cards/<int:pk>/charge/", cards.card_charge, name="card_charge"),
    path("cards/<int:pk>/remove/", cards.card_remove, name="card_remove"),
    path("cards/<int:pk>/default/", cards.card_make_default, name="card_default"),
    path("dedicated-account/", dedicated_account.dedicated_account, name="dedicated_account"),
    path("webhook/", webhook.paystack_webhook, name="paystack_webhook"),
]

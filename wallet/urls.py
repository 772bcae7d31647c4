from django.urls import include, path

from wallet.api import views as api_views
from wallet.views import (
    bank_accounts,
    bank_send,
    cards,
    dashboard,
    dedicated_account,
    deposit,
    history,
    limits,
    notifications,
    pay_link,
    receipts,
    requests,
    security,
    send,
    settlements,
    statements,
    support,
    webhook,
    withdraw,
)

app_name = "wallet"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    # Web app (issue 7): send money, history, receipts, exports.
    path("send/", send.send_money, name="send"),
    path("send/recipient/", send.recipient_lookup, name="recipient_lookup"),
    # Pay anyone (issue 24): send to any bank account, saved accounts.
    path("send/bank/", bank_send.bank_send, name="bank_send"),
    path("send/bank/lookup/", bank_send.bank_send_lookup, name="bank_send_lookup"),
    path("send/bank/<int:pk>/", bank_send.bank_send_detail, name="bank_send_detail"),
    path(
        "send/bank/accounts/<int:pk>/rename/",
        bank_send.beneficiary_rename,
        name="beneficiary_rename",
    ),
    path(
        "send/bank/accounts/<int:pk>/remove/",
        bank_send.beneficiary_remove,
        name="beneficiary_remove",
    ),
    path("pay-link/", pay_link.my_pay_link, name="pay_link"),
    path("pay-link/qr.png", pay_link.my_pay_link_qr, name="pay_link_qr"),
    path("pay-link/switch/", pay_link.my_pay_link_toggle, name="pay_link_toggle"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/<int:pk>/pay/", requests.request_pay, name="request_pay"),
    path("requests/<int:pk>/decline/", requests.request_decline, name="request_decline"),
    path("requests/<int:pk>/cancel/", requests.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/qr.png", requests.request_qr, name="request_qr"),
    path("transactions/", history.history, name="history"),
    path("transactions/<int:pk>/", history.transaction_detail, name="transaction_detail"),
    path("transactions/<int:pk>/receipt.png", receipts.receipt_image, name="receipt_image"),
    path("transactions/<int:pk>/receipt.pdf", receipts.receipt_document, name="receipt_pdf"),
    path("transactions/export.csv", history.export_csv, name="export_csv"),
    path("transactions/<int:pk>/report/", support.report_problem, name="report_problem"),
    path("support/<int:pk>/", support.support_case, name="support_case"),
    path("statement/", statements.statement, name="statement"),
    # JSON API of the usage guide ("Using the API in JavaScript").
    path("api/wallets/default/deposit/", api_views.deposit, name="api_deposit"),
    path("api/wallets/default/transfer/", api_views.transfer, name="api_transfer"),
    path("api/transactions/verify/", api_views.verify, name="api_verify"),
    # The versioned JSON API (issue 16, docs/api.md).
    path("api/v1/", include("wallet.api.v1.urls")),
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
    # Payouts (issue 6)
    path("bank-accounts/", bank_accounts.bank_account_list, name="bank_accounts"),
    path("bank-accounts/add/", bank_accounts.bank_account_add, name="bank_account_add"),
    path("bank-accounts/lookup/", bank_accounts.bank_account_lookup, name="bank_account_lookup"),
    path(
        "bank-accounts/<int:pk>/remove/",
        bank_accounts.bank_account_remove,
        name="bank_account_remove",
    ),
    path(
        "bank-accounts/<int:pk>/default/",
        bank_accounts.bank_account_make_default,
        name="bank_account_default",
    ),
    path("withdraw/", withdraw.withdraw, name="withdraw"),
    path("withdraw/fee/", withdraw.withdrawal_fee, name="withdrawal_fee"),
    path("withdraw/<int:pk>/", withdraw.withdrawal_detail, name="withdrawal_detail"),
    # Safe outflows (issue 12): the transaction PIN and the account limits.
    path("security/pin/", security.pin, name="pin"),
    path("security/pin/reset/", security.pin_reset_request, name="pin_reset_request"),
    path("security/pin/reset/<str:token>/", security.pin_reset, name="pin_reset"),
    path("security/freeze/<str:token>/", security.freeze, name="freeze"),
    path("limits/", limits.limits, name="limits"),
    # Notifications (issue 23): the bell's page, opening one, the e-mail choices.
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/open/",
        notifications.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("settlements/", settlements.settlement_list, name="settlements"),
    path("settlements/settle/", settlements.settle_now, name="settle_now"),
    path("settlements/schedules/new/", settlements.schedule_create, name="schedule_create"),
    path("settlements/schedules/<int:pk>/", settlements.schedule_edit, name="schedule_edit"),
    path(
        "settlements/schedules/<int:pk>/pause/", settlements.schedule_pause, name="schedule_pause"
    ),
    path(
        "settlements/schedules/<int:pk>/resume/",
        settlements.schedule_resume,
        name="schedule_resume",
    ),
]

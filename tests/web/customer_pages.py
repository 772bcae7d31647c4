"""The customer pages a signed-in customer opens from the menus: one list for every check that
walks them (axe in both schemes, tests/browser/test_accessibility.py; no template syntax in the
visible text, tests/daily/test_no_template_syntax.py)."""

CUSTOMER_PAGES = [
    "/wallet/",
    "/wallet/deposit/",
    "/wallet/dedicated-account/",
    "/wallet/cards/",
    "/wallet/send/",
    "/wallet/withdraw/",
    "/wallet/bank-accounts/",
    "/wallet/bank-accounts/add/",
    "/wallet/transactions/",
    "/wallet/transactions/?q=nothing-matches",
    "/wallet/statement/",
    "/wallet/settlements/",
    "/wallet/settlements/schedules/new/",
    "/wallet/limits/",
    "/wallet/security/pin/",
    "/wallet/notifications/",
    "/wallet/notifications/settings/",
    "/accounts/profile/",
    "/accounts/sessions/",
    "/accounts/2fa/",
    "/accounts/email/",
    "/accounts/password/change/",
]

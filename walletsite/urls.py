from allauth.account import views as allauth_views
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.reauthentication import reauthentication_required
from wallet.views import deposit
from walletsite import health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="wallet:dashboard", permanent=False)),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Changing the password asks for a recent re-authentication too (with the TOTP code where
    # the customer has MFA), like every other change of who owns the account.
    path(
        "accounts/password/change/",
        reauthentication_required(allauth_views.password_change),
        name="account_change_password",
    ),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("wallet/", include("wallet.urls")),
    # Public payment pages anyone can pay (issue 24).
    path("pay/", include("wallet.pay_urls")),
    # Where the usage guide's initiateDeposit sends the payer back after Paystack's checkout.
    path("payment/callback/", deposit.deposit_callback, name="payment_callback"),
]

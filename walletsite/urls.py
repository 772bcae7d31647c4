from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from wallet.views import deposit
from walletsite import health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="wallet:dashboard", permanent=False)),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("wallet/", include("wallet.urls")),
    # Public payment pages anyone can pay (issue 24).
    path("pay/", include("wallet.pay_urls")),
    # Where the usage guide's initiateDeposit sends the payer back after Paystack's checkout.
    path("payment/callback/", deposit.deposit_callback, name="payment_callback"),
]

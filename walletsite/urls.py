from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from walletsite import health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="wallet:dashboard", permanent=False)),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("wallet/", include("wallet.urls")),
]

from django.urls import path

from wallet.views import dashboard

app_name = "wallet"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]

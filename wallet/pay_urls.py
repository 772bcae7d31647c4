"""Public payment pages (issue 24): no account needed. Mounted at /pay/ (namespace "pay")."""

from django.urls import path

from wallet.views import pay_link

app_name = "pay"

urlpatterns = [
    path("@<str:handle>/", pay_link.pay_handle, name="handle"),
    path("r/<str:token>/", pay_link.pay_request, name="request"),
    path("done/", pay_link.pay_done, name="done"),
]

"""Security pages of the wallet: the transaction PIN (set, change, reset by e-mailed link).
Every change of the PIN, the first one included, needs a recent re-authentication."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.reauthentication import reauthentication_required
from wallet.client_address import client_address
from wallet.exceptions import WalletError
from wallet.ratelimit import allow
from wallet.services.outflows import account_security
from wallet.services.outflows import pin as pins


def _pin_input(label, autocomplete="off"):
    return forms.CharField(
        label=label,
        max_length=4,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": autocomplete}
        ),
    )


class NewPinForm(forms.Form):
    new_pin = _pin_input("New PIN (4 digits)", "new-password")
    new_pin_confirm = _pin_input("New PIN again", "new-password")

    def clean(self):
        data = super().clean()
        if data.get("new_pin") != data.get("new_pin_confirm"):
            raise forms.ValidationError("The two PINs are not the same; type your new PIN twice.")
        return data


class ChangePinForm(NewPinForm):
    old_pin = _pin_input("Current PIN")
    field_order = ["old_pin", "new_pin", "new_pin_confirm"]


class ResetPinForm(NewPinForm):
    password = forms.CharField(
        label="Your account password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "new_pin", "new_pin_confirm"]


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def pin(request):
    """Set the first PIN, or change it with the current one."""
    has_pin = pins.has_pin(request.user)
    form_class = ChangePinForm if has_pin else NewPinForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _save_pin(request.user, has_pin, form.cleaned_data)
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Your transaction PIN is set."
                if not has_pin
                else "Your transaction PIN was changed.",
            )
            return redirect("wallet:pin")
    status = 422 if form.errors else 200
    return render(
        request, "wallet/security/pin.html", {"form": form, "has_pin": has_pin}, status=status
    )


def _save_pin(user, has_pin, data):
    if has_pin:
        pins.change_pin(user, old_pin=data["old_pin"], new_pin=data["new_pin"])
    else:
        pins.set_first_pin(user, data["new_pin"])


@login_required
@reauthentication_required
@require_POST
def pin_reset_request(request):
    """E-mail a reset link to the signed-in user's address."""
    if not allow("pin_reset", str(request.user.pk)):
        messages.error(request, "Too many reset e-mails; wait a few minutes and try again.")
        return redirect("wallet:pin")

    def build_url(token):
        return request.build_absolute_uri(reverse("wallet:pin_reset", args=[token]))

    pins.send_reset_link(request.user, build_url)
    messages.success(request, f"We sent a reset link to {request.user.email}.")
    return redirect("wallet:pin")


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def pin_reset(request, token):
    """From the e-mailed link: the account password again, then the new PIN."""
    if not pins.token_is_valid(request.user, token):
        context = {"expired": True}
        return render(request, "wallet/security/pin_reset.html", context, status=400)
    form = ResetPinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pins.reset_pin(
                request.user, token=token, password=data["password"], new_pin=data["new_pin"]
            )
        except WalletError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your new transaction PIN is set.")
            return redirect("wallet:pin")
    status = 422 if form.errors else 200
    return render(request, "wallet/security/pin_reset.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def freeze(request, token):
    """The "This wasn't me" link of a security notice: no login. GET explains and shows one
    button (a mail scanner that opens links must not freeze anyone); POST freezes outflows,
    ends every session and revokes every API token."""
    user = account_security.user_for_freeze_token(token)
    if user is None:
        return render(request, "wallet/security/freeze.html", {"invalid": True}, status=400)
    if request.method == "GET":
        return render(request, "wallet/security/freeze.html", {"frozen": False})
    account_security.freeze_account(user=user, ip_address=client_address(request) or None)
    if request.user.is_authenticated:
        logout(request)
    return render(request, "wallet/security/freeze.html", {"frozen": True})

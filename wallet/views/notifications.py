"""The notifications page (what the bell leads to), opening one, and the e-mail choices."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wallet import selectors
from wallet.amounts import AmountField
from wallet.exceptions import WalletError
from wallet.models import ALWAYS_EMAILED, NotificationKind
from wallet.services import notifications as service

SAFE_LINK_PREFIX = "/wallet/"


@login_required
@require_GET
def notification_list(request):
    items = selectors.notifications_for(user=request.user)
    return render(request, "wallet/notifications/list.html", {"notifications": items})


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about (a page of this wallet)."""
    notification = service.mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404("No such notification.")
    if notification.link.startswith(SAFE_LINK_PREFIX):
        return redirect(notification.link)
    return redirect("wallet:notifications")


@login_required
@require_POST
def notification_read_all(request):
    service.mark_all_read(user=request.user)
    return redirect("wallet:notifications")


class NotificationSettingsForm(forms.Form):
    low_balance_below = AmountField(
        label="Tell me when my balance falls below (₦)",
        required=False,
        help_text="Leave empty for no low-balance alert.",
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            always = kind in ALWAYS_EMAILED
            self.fields[f"email_{kind.value}"] = forms.BooleanField(
                label=kind.label,
                required=False,
                disabled=always,
                initial=True if always else (current.emails(kind) if current else True),
                help_text="Always e-mailed: this cannot be turned off." if always else "",
            )
        if current is not None:
            self.fields["low_balance_below"].initial = current.low_balance_below

    def emails_off(self) -> list[str]:
        return [
            kind.value
            for kind in NotificationKind
            if kind not in ALWAYS_EMAILED and not self.cleaned_data.get(f"email_{kind.value}")
        ]

    def email_fields(self):
        return [self[f"email_{kind.value}"] for kind in NotificationKind]


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    current = service.settings_for(request.user)
    form = NotificationSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            service.save_settings(
                user=request.user,
                emails_off=form.emails_off(),
                low_balance_below=form.cleaned_data["low_balance_below"],
            )
        except WalletError as error:
            form.add_error("low_balance_below", error.message)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("wallet:notification_settings")
    status = 422 if form.errors else 200
    return render(request, "wallet/notifications/settings.html", {"form": form}, status=status)

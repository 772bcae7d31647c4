from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.reauthentication import reauthentication_required, require_reauthentication
from wallet.exceptions import WalletError
from wallet.services.api_tokens import issue_token, live_tokens, revoke_token
from wallet.services.outflows.account_security import send_security_notice

from .forms import ApiTokenForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def profile(request):
    """Name editing plus the way into every security setting (password, MFA, sessions).

    With htmx the name form is swapped in place (the success toast rides HX-Trigger);
    without it, a successful save redirects (Post/Redirect/Get).
    """
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST":
        if not form.is_valid():
            return _render_profile(request, form, status=422)
        if form.changes_identity():
            require_reauthentication(request)  # the phone and handle say who the account is
        phone_changed = "phone" in form.changed_data
        form.save()
        if phone_changed:
            send_security_notice(user=request.user, kind="phone_changed")
        messages.success(request, "Your name was saved.")
        if not request.htmx:
            return redirect("accounts:profile")
        form = ProfileForm(instance=request.user)
    return _render_profile(request, form)


def _render_profile(request, form, status=200, **extra):
    if request.htmx and not extra:
        return render(request, "account/profile.html#name-form", {"form": form}, status=status)
    context = {
        "form": form,
        "mfa_enabled": is_mfa_enabled(request.user),
        # Where the account can act right now: its sessions and its live API tokens, side by side.
        "sessions": UserSession.objects.purge_and_list(request.user)[:20],
        "api_tokens": live_tokens(user=request.user).order_by("-created_at")[:50],
        "token_form": extra.pop("token_form", None) or ApiTokenForm(),
        **extra,
    }
    return render(request, "account/profile.html", context, status=status)


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def api_token_create(request):
    """Make a personal API token; its secret is shown on this answer only, never again."""
    if request.method == "GET":
        return redirect("accounts:profile")
    token_form = ApiTokenForm(request.POST)
    if token_form.is_valid():
        try:
            token, secret = issue_token(user=request.user, **token_form.cleaned_data)
        except WalletError as refusal:
            token_form.add_error(None, refusal.message)
        else:
            detail = f"“{token.name}”, which may {token.get_scope_display().lower()}"
            send_security_notice(user=request.user, kind="api_token_created", detail=detail)
            form = ProfileForm(instance=request.user)
            return _render_profile(request, form, status=201, new_token=token, secret=secret)
    form = ProfileForm(instance=request.user)
    return _render_profile(request, form, status=422, token_form=token_form)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    revoke_token(token=token)
    messages.success(request, f"API token “{token.name}” revoked: it no longer works.")
    return redirect("accounts:profile")

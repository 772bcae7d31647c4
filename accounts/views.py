from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Name editing plus the way into every security setting (password, MFA, sessions)."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your name was saved.")
            return redirect("accounts:profile")
        return _render_profile(request, form, status=422)
    return _render_profile(request, form)


def _render_profile(request, form, status=200):
    context = {"form": form, "mfa_enabled": is_mfa_enabled(request.user)}
    return render(request, "account/profile.html", context, status=status)

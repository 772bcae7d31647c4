from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from .forms import ProfileForm


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
        form.save()
        messages.success(request, "Your name was saved.")
        if not request.htmx:
            return redirect("accounts:profile")
        form = ProfileForm(instance=request.user)
    return _render_profile(request, form)


def _render_profile(request, form, status=200):
    if request.htmx:
        return render(request, "account/profile.html#name-form", {"form": form}, status=status)
    context = {"form": form, "mfa_enabled": is_mfa_enabled(request.user)}
    return render(request, "account/profile.html", context, status=status)

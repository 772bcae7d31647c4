"""Forms of allauth's own pages that this site tightens (ACCOUNT_FORMS). Kept apart from
accounts.forms, which allauth imports while its own forms module loads (the sign-up form)."""

from allauth.account.forms import ReauthenticateForm as PasswordReauthenticateForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django import forms


class ReauthenticateForm(PasswordReauthenticateForm):
    """allauth's "confirm it is you" page: the password, and the authenticator code (or a
    recovery code) where the customer has MFA. Both are needed: either alone is not proof."""

    code = forms.CharField(
        label="Authenticator code",
        required=False,
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._authenticators = {
            a.type: a for a in Authenticator.objects.filter(user_id=self.user.pk)
        }
        if Authenticator.Type.TOTP in self._authenticators:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if "password" in self.errors:
            return code  # refused anyway: keep the code unused
        totp = self._authenticators.get(Authenticator.Type.TOTP)
        recovery = self._authenticators.get(Authenticator.Type.RECOVERY_CODES)
        if totp and TOTP(totp).validate_code(code):
            return code
        if recovery and RecoveryCodes(recovery).validate_code(code):
            return code
        raise forms.ValidationError("That code is not right; try the current one.")


class ResetPasswordForm(AllauthResetPasswordForm):
    """A reset link goes only to the primary address, the one on record: an address added
    later (perhaps by someone holding a stolen session) never receives one. The answer is
    the same either way (ACCOUNT_PREVENT_ENUMERATION)."""

    def clean_email(self):
        email = super().clean_email()
        self.users = [u for u in self.users if u.email.lower() == email.lower()]
        return email

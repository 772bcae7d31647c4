from django import forms
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from .identity import clean_handle, next_handle_change, validate_handle_format
from .models import User

PHONE_HELP = "A Nigerian number, e.g. 0803 123 4567 or +234 803 123 4567."
HANDLE_HELP = (
    "People can pay you at @handle. 3 to 20 letters, digits or underscores, starting with a "
    "letter; you can change it once every 30 days."
)


def _phone_field(required=True):
    return PhoneNumberField(
        label="Phone number",
        region="NG",
        required=required,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": "Enter a valid phone number, e.g. 0803 123 4567."},
    )


def _check_phone_free(phone, user=None):
    others = User.objects.filter(phone=phone)
    if user is not None:
        others = others.exclude(pk=user.pk)
    if phone and others.exists():
        raise forms.ValidationError("That phone number belongs to another account.")
    return phone


class SignupForm(forms.Form):
    """allauth's sign-up plus what other customers need to find and recognise you."""

    first_name = forms.CharField(
        label="First name", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    phone = _phone_field()

    def clean_phone(self):
        return _check_phone_free(self.cleaned_data["phone"])

    def signup(self, request, user):
        """Called by allauth once the user row exists (ACCOUNT_SIGNUP_FORM_CLASS)."""
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.phone = self.cleaned_data["phone"]
        user.save(update_fields=["first_name", "last_name", "phone"])


class ProfileForm(forms.ModelForm):
    """The names shown to other users when they receive money from you, and how they find you."""

    # Optional here so a name can be saved alone; the site prompts until both are set.
    phone = _phone_field(required=False)
    handle = forms.CharField(label="Handle", max_length=21, required=False, help_text=HANDLE_HELP)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "handle"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True  # recipients see it on every payment
        self.fields["handle"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        )
        self._handle_before = self.instance.handle

    def clean_phone(self):
        return _check_phone_free(self.cleaned_data["phone"] or "", self.instance)

    def clean_handle(self):
        handle = clean_handle(self.cleaned_data["handle"])
        if handle.lower() == self._handle_before.lower():
            return handle  # unchanged (or only its case): no rule applies
        if not handle:
            raise forms.ValidationError("Choose a handle: people who pay you use it.")
        validate_handle_format(handle)
        if User.objects.filter(handle__iexact=handle).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("That handle is taken. Try another.")
        if self._handle_before and (allowed := next_handle_change(self.instance.handle_changed_at)):
            raise forms.ValidationError(f"You can change your handle again on {allowed:%-d %b %Y}.")
        return handle

    def save(self, commit=True):
        user = super().save(commit=False)
        if user.handle.lower() != self._handle_before.lower():
            user.handle_changed_at = timezone.now()
        if commit:
            user.save()
        return user


class ApiTokenForm(forms.Form):
    """A new personal API token: what it is for, what it may do, how long it lives."""

    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What it is for, e.g. “Accounting export”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=[("read", "Read only"), ("money", "Read and move money (PIN still asked)")],
    )
    days = forms.IntegerField(label="Expires after (days)", min_value=1, max_value=366, initial=90)

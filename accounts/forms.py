from django import forms

from .models import User


class ProfileForm(forms.ModelForm):
    """The names shown to other users when they receive money from you."""

    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True  # recipients see it on every payment


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

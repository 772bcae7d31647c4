from django import forms

from .models import User


class ProfileForm(forms.ModelForm):
    """The names shown to other users when they receive money from you."""

    first_name = forms.CharField(label="First name", max_length=150)

    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

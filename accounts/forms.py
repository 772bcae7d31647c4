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

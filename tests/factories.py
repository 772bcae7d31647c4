"""Plain factory functions (no factory library needed for this little)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def make_user(*, email, password="correct-horse-battery", verified=True, **fields):
    user = get_user_model().objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user

"""Demo data for `make run`: two customers and one staff user with known passwords."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "wallet-demo-2026"
DEMO_USERS = [
    # email, first name, last name, is_staff
    ("ada@example.com", "Ada", "Obi", False),
    ("bola@example.com", "Bola", "Ade", False),
    ("staff@example.com", "Staff", "Member", True),
]


class Command(BaseCommand):
    help = "Create the demo users (idempotent) and print their logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            for email, first_name, last_name, is_staff in DEMO_USERS:
                self._ensure_user(email, first_name, last_name, is_staff)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for email, _first, _last, is_staff in DEMO_USERS:
            self.stdout.write(f"  {email}{'  (staff, /admin/)' if is_staff else ''}")

    def _ensure_user(self, email, first_name, last_name, is_staff):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": is_staff,
                "is_superuser": is_staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

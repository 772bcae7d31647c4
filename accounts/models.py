from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from phonenumber_field.modelfields import PhoneNumberField

from .identity import full_name, validate_handle_format


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("e-mail address", unique=True)
    # Blank for customers who signed up before phones and handles: they are asked to add them.
    phone = PhoneNumberField("phone number", blank=True, default="", region="NG")
    handle = models.CharField(
        "handle", max_length=20, blank=True, validators=[validate_handle_format]
    )
    handle_changed_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        # Recipient lookup compares LOWER(email): without this index it reads every user.
        indexes = [models.Index(Lower("email"), name="user_email_lower")]
        constraints = [
            models.UniqueConstraint(
                Lower("handle"),
                condition=~Q(handle=""),
                name="user_handle_unique_any_case",
                violation_error_message="That handle is taken. Try another.",
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="user_phone_unique",
                violation_error_message="That phone number belongs to another account.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self):
        """The greeting's name: never the e-mail (shoulder-surfing, screenshots)."""
        return full_name(self)

    @property
    def profile_incomplete(self) -> bool:
        """Signed up before names, phones and handles: the site asks them to finish."""
        return not (self.first_name and self.last_name and self.phone and self.handle)

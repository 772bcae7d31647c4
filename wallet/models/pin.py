"""The transaction PIN asked on every outflow, and the browsers a user has signed in from."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class TransactionPin(models.Model):
    """A user's 4-digit PIN, hashed with Django's password hashers (never kept in clear).

    Wrong tries are counted on this row under a row lock, so parallel wrong PINs each count.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="transaction_pin"
    )
    pin_hash = models.CharField(max_length=256)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(pin_hash=""), name="transaction_pin_hashed")
        ]

    def __str__(self):
        return f"Transaction PIN of {self.user}"


class KnownDevice(models.Model):
    """A browser the user has signed in from (its id lives in a signed, long-lived cookie)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices"
    )
    device_id = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=300, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "device_id"], name="one_row_per_user_device")
        ]

    def __str__(self):
        return f"Device {self.device_id[:8]}… of {self.user}"

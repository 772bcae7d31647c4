from django.db import models


class Bank(models.Model):
    """A bank Paystack can pay out to, mirrored from `GET /bank` by `sync_banks`."""

    name = models.CharField(max_length=120)
    code = models.CharField(max_length=20, unique=True)
    slug = models.SlugField(max_length=120, blank=True)
    longcode = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=30, blank=True, default="nuban")
    currency = models.CharField(max_length=3, default="NGN")
    country = models.CharField(max_length=60, default="Nigeria")
    active = models.BooleanField(default=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

from django.db import models
from django.db.models import Q


class Card(models.Model):
    """A reusable card authorization Paystack returned after a successful charge.

    Only what is needed to charge it again and to show it is kept: the authorization code,
    bin, last4, expiry, brand and bank. `signature` identifies the physical card, so paying
    twice with one card keeps one row (the newest authorization wins).
    """

    wallet = models.ForeignKey("wallet.Wallet", on_delete=models.PROTECT, related_name="cards")
    authorization_code = models.CharField(max_length=100)
    signature = models.CharField(max_length=100)
    # charge_authorization must be sent with the e-mail that owns the authorization.
    email = models.EmailField()
    bin = models.CharField(max_length=8, blank=True)
    last4 = models.CharField(max_length=4)
    exp_month = models.CharField(max_length=2, blank=True)
    exp_year = models.CharField(max_length=4, blank=True)
    brand = models.CharField(max_length=30, blank=True)
    bank = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The back office's search by a card's last four digits.
        indexes = [models.Index(fields=["last4"], name="card_last4")]
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["wallet", "signature"], name="card_once_per_wallet"),
            models.UniqueConstraint(
                fields=["wallet"],
                condition=Q(is_default=True, is_active=True),
                name="one_default_card_per_wallet",
            ),
        ]

    def __str__(self):
        return f"{self.brand.title() or 'Card'} •••• {self.last4}"

    @property
    def expiry(self):
        return f"{self.exp_month}/{self.exp_year[-2:]}" if self.exp_month else ""

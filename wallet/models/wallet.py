import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


def default_currency():
    return settings.WALLET_CURRENCY


# Crockford's base32 without I, L, O, U: nothing to misread when a code is read out or typed.
PUBLIC_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PUBLIC_ID_LENGTH = 10  # 32**10, about 10**15 codes: not guessable, not countable


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def normalise_public_id(text: str) -> str:
    """A typed code as stored: upper case, without the spaces and dashes it is shown with."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -")


class Wallet(models.Model):
    """A user's store of money in one currency. `balance` caches the sum of its ledger rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wallets"
    )
    # What a customer shares to be paid; the sequential pk stays internal (it would reveal the
    # customer count and is one mistyped digit from someone else's wallet).
    public_id = models.CharField(max_length=PUBLIC_ID_LENGTH, unique=True, default=new_public_id)
    currency = models.CharField(max_length=3, default=default_currency)
    balance = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    is_locked = models.BooleanField(default=False)
    # The daily outflow counter lives on the row so the limit is checked under the row lock.
    outflow_date = models.DateField(null=True, blank=True)
    outflow_total = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    # KycTier.level; a plain number (not a foreign key) so the SQL transfer reads it in place.
    tier = models.PositiveSmallIntegerField(default=1)
    # Set when a card or bank-transfer credit took the balance past the tier's cap.
    over_tier_since = models.DateTimeField(null=True, blank=True)
    # Safety mode after a sign-in on a new device: outflows capped until `safety_until`.
    safety_until = models.DateTimeField(null=True, blank=True)
    safety_spent = models.DecimalField(max_digits=19, decimal_places=2, default=Decimal("0.00"))
    # Why safety mode is on: a new device, or the cooling-off after a credential change.
    safety_reason = models.CharField(max_length=20, blank=True)
    # The last change of e-mail, password, PIN (reset) or MFA (removed): cooling-off starts here.
    credentials_changed_at = models.DateTimeField(null=True, blank=True)
    # "This wasn't me": no money leaves (transfer, withdrawal, settlement) until support clears it.
    outflows_frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "currency"], name="one_wallet_per_user_currency"
            ),
            models.CheckConstraint(condition=Q(balance__gte=0), name="wallet_balance_not_negative"),
            models.CheckConstraint(
                condition=Q(outflow_total__gte=0), name="wallet_outflow_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.currency} wallet {self.public_code}"

    @property
    def public_code(self) -> str:
        """The public id as shown: "K7Q2-9XMP-4R", easier to read out than ten letters."""
        code = self.public_id
        return f"{code[:4]}-{code[4:8]}-{code[8:]}"

    def lock(self):
        """Stop the wallet from sending or receiving money (staff action, fraud hold...)."""
        Wallet.objects.filter(pk=self.pk).update(is_locked=True)
        self.is_locked = True

    def unlock(self):
        Wallet.objects.filter(pk=self.pk).update(is_locked=False)
        self.is_locked = False

from django.db import models


class DedicatedAccount(models.Model):
    """A bank account number Paystack assigned to one wallet (a dedicated virtual account).

    Money sent to it reaches us as `charge.success` with channel `dedicated_nuban` and the
    Paystack customer below; it is credited to `wallet` once per Paystack reference.
    """

    wallet = models.OneToOneField(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="dedicated_account"
    )
    customer_code = models.CharField(max_length=50, unique=True)
    paystack_id = models.BigIntegerField(null=True, blank=True, unique=True)
    account_number = models.CharField(max_length=20, unique=True)
    account_name = models.CharField(max_length=200)
    bank_name = models.CharField(max_length=100)
    bank_slug = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.bank_name} {self.account_number} ({self.account_name})"

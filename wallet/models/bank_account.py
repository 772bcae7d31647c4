from django.db import models


class BankAccount(models.Model):
    """A wallet's bank account, resolved by Paystack and registered as a transfer recipient.

    `account_name` is always Paystack's resolved name, never what the client typed.
    """

    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="bank_accounts"
    )
    bank = models.ForeignKey("wallet.Bank", on_delete=models.PROTECT, related_name="accounts")
    account_number = models.CharField(max_length=20)
    account_name = models.CharField(max_length=200)
    recipient_code = models.CharField(max_length=64)
    currency = models.CharField(max_length=3, default="NGN")
    is_active = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        # The back office's search by an account number a caller reads out.
        indexes = [models.Index(fields=["account_number"], name="bank_account_number")]
        constraints = [
            models.UniqueConstraint(
                fields=["wallet", "bank", "account_number"], name="bank_account_once_per_wallet"
            ),
            models.UniqueConstraint(
                fields=["wallet"],
                condition=models.Q(is_default=True),
                name="bank_account_one_default_per_wallet",
            ),
            models.CheckConstraint(
                condition=~models.Q(recipient_code=""), name="bank_account_has_recipient_code"
            ),
        ]

    def __str__(self):
        return f"{self.account_name} · {self.bank.name} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return f"••••{self.account_number[-4:]}"

from django.db import models


class Beneficiary(models.Model):
    """Someone else's bank account a customer sends money to (issue 24, "Send to bank").

    Kept apart from `BankAccount` (the customer's *own* accounts) on purpose: a withdrawal or a
    settlement can only ever reach the wallet's own accounts. A row is made when the first send
    to the account starts (Paystack needs the recipient first) and is *saved* - listed on the
    send page - once a send to it succeeds (`saved_at`). `account_name` is Paystack's resolved
    name; `nickname` is the customer's own label for it.
    """

    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="beneficiaries"
    )
    bank = models.ForeignKey("wallet.Bank", on_delete=models.PROTECT, related_name="beneficiaries")
    account_number = models.CharField(max_length=10)
    account_name = models.CharField(max_length=200)
    recipient_code = models.CharField(max_length=64)
    currency = models.CharField(max_length=3, default="NGN")
    nickname = models.CharField(max_length=60, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nickname", "account_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["wallet", "bank", "account_number"], name="beneficiary_once_per_wallet"
            ),
            models.CheckConstraint(
                condition=~models.Q(recipient_code=""), name="beneficiary_has_recipient_code"
            ),
        ]

    def __str__(self):
        return f"{self.account_name} · {self.bank.name} {self.masked_number}"

    @property
    def masked_number(self) -> str:
        return f"••••{self.account_number[-4:]}"

    @property
    def label(self) -> str:
        """How history and receipts name it: "GTBank ••••4567 (ADA OKAFOR)"."""
        return f"{self.bank.name} {self.masked_number} ({self.account_name})"

    @property
    def is_listed(self) -> bool:
        return self.saved_at is not None and self.removed_at is None

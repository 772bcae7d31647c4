from django.db import models


class PayLinkSetting(models.Model):
    """Whether a customer's public payment page (`/pay/@handle`) is on. No row: on."""

    wallet = models.OneToOneField(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="pay_link_setting"
    )
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Payment page of wallet {self.wallet_id}: {'on' if self.enabled else 'off'}"


class LinkPayment(models.Model):
    """A payment by someone with no account, through a customer's payment page: the deposit
    row (credited by the one charge path) plus what the payer typed. `payer_email` is for the
    receipt only and is never shown to the customer (only `payer_name` is)."""

    transaction = models.OneToOneField(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="link_payment"
    )
    wallet = models.ForeignKey(
        "wallet.Wallet", on_delete=models.PROTECT, related_name="link_payments"
    )
    money_request = models.ForeignKey(
        "wallet.MoneyRequest",
        on_delete=models.PROTECT,
        related_name="link_payments",
        null=True,
        blank=True,
    )
    payer_name = models.CharField(max_length=80)
    payer_email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Link payment {self.transaction_id}"

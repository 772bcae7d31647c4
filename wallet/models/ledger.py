from django.db import models
from django.db.models import Q

from wallet.exceptions import WalletError


class SystemAccount(models.TextChoices):
    """The platform's own accounts; their balance is the sum of their rows (never cached)."""

    PAYSTACK = "paystack", "Paystack clearing (what Paystack holds for us)"
    PAYOUTS_IN_FLIGHT = "payouts_in_flight", "Payouts in flight"
    REFUNDS_IN_FLIGHT = "refunds_in_flight", "Refunds in flight"
    FEE_REVENUE = "fee_revenue", "Fee revenue"
    GATEWAY_FEES = "gateway_fees", "Gateway fees"
    PLATFORM = "platform", "Platform"
    # Disputed card deposits (docs/disputes.md): what is held, what the wallets could not
    # cover (a receivable from those customers), and what was written off.
    DISPUTES_HELD = "disputes_held", "Held for disputed card payments"
    DISPUTE_EXPOSURE = "dispute_exposure", "Dispute exposure (not covered by the wallet)"
    DISPUTE_LOSSES = "dispute_losses", "Dispute losses written off"


class AppendOnlyError(WalletError):
    default_message = "Ledger rows are append-only: post a reversing entry instead."


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    # bulk_update goes through update(); keep the message obvious anyway.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError()


class AppendOnlyRows:
    """Mixed in before models.Model: saving a stored row again or deleting one raises (its
    manager is AppendOnlyQuerySet's, for the bulk paths). `append_only_message` names them."""

    append_only_message = None  # AppendOnlyError's own message

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.append_only_message)


class LedgerEntry(AppendOnlyRows, models.Model):
    """One signed row of a journal entry; the rows of one journal sum to zero.

    Exactly one of `wallet` / `system_account` is set. Rows are never updated or deleted.
    """

    journal = models.ForeignKey(
        "wallet.Transaction", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    # No index of its own: ledger_wallet_time (wallet_id, created_at), migration 0003, serves
    # every lookup by wallet, and each index is paid for on every posting.
    wallet = models.ForeignKey(
        "wallet.Wallet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        db_index=False,
    )
    system_account = models.CharField(max_length=20, choices=SystemAccount.choices, blank=True)
    amount = models.DecimalField(max_digits=19, decimal_places=2)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "ledger entries"
        indexes = [
            # Only system rows: wallet rows (most of them) never pay for this index. It carries
            # the amount so the back-office dashboard sums each system account from the index
            # alone (an index-only scan), never from the table (docs/PERFORMANCE.md).
            models.Index(
                fields=["system_account", "currency"],
                name="ledger_system_amounts",
                condition=~Q(system_account=""),
                include=["amount"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(wallet__isnull=False) & Q(system_account=""))
                | (Q(wallet__isnull=True) & ~Q(system_account="")),
                name="ledger_row_one_account",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_row_not_zero"),
        ]

    def __str__(self):
        account = f"wallet #{self.wallet_id}" if self.wallet_id else self.system_account
        from wallet.templatetags.wallet_web import money

        sign = "+" if self.amount >= 0 else ""
        return f"{account} {sign}{money(self.amount, self.currency)}"


class LedgerCheckpoint(models.Model):
    """What each system account's rows summed to, up to and including ledger row `up_to`.

    The ledger is append-only (a trigger refuses UPDATE and DELETE), so this sum never goes
    stale: the back office adds only the rows after `up_to` instead of summing a million rows
    (wallet/services/ledger/checkpoints.py). `check_ledger` re-adds the latest one in full.
    """

    currency = models.CharField(max_length=3)
    up_to = models.BigIntegerField()
    totals = models.JSONField()  # system account code -> exact decimal text
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["currency", "up_to"], name="one_checkpoint_per_row")
        ]

    def __str__(self):
        return f"Ledger sums up to row {self.up_to} ({self.currency})"


class LedgerCheck(models.Model):
    """The stored result of one `check_ledger` run, for the back office."""

    ran_at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    report = models.TextField()

    class Meta:
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self):
        from wallet.dates import lagos_time

        return f"Ledger check {lagos_time(self.ran_at)} {'OK' if self.ok else 'DIFFERENCES'}"

"""Verifies RELIABILITY.md invariants 1-4 and 7 by summing the ledger (the only place that does)."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, Sum

from wallet.models import LedgerCheck, LedgerCheckpoint, LedgerEntry, Transaction, Wallet
from wallet.services.ledger import checkpoints


@dataclass
class LedgerReport:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def text(self):
        lines = [f"Ledger check: {'OK' if self.ok else f'{len(self.problems)} DIFFERENCE(S)'}"]
        lines += [f"  {fact}" for fact in self.facts]
        lines += [f"  PROBLEM: {problem}" for problem in self.problems]
        return "\n".join(lines)


def check_ledger() -> LedgerReport:
    report = LedgerReport()
    _journals_balance(report)
    _accounts_sum_to_zero(report)
    _cached_balances_match(report)
    _no_negative_wallets(report)
    _rows_append_only(report)
    _currencies_match(report)
    _checkpoints_hold(report)
    _disputes_held(report)
    return report


def run_and_store() -> LedgerCheck:
    report = check_ledger()
    return LedgerCheck.objects.create(ok=report.ok, report=report.text())


def _journals_balance(report):
    """Invariant 1: every journal entry sums to zero per currency."""
    unbalanced = (
        LedgerEntry.objects.values("journal_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    )
    for row in unbalanced[:50]:
        report.problems.append(
            f"journal {row['journal_id']} sums to {row['total']} {row['currency']}"
        )
    report.facts.append(f"{LedgerEntry.objects.values('journal_id').distinct().count()} journals")


def _accounts_sum_to_zero(report):
    """Invariant 2a: all accounts together sum to zero in each currency."""
    for row in LedgerEntry.objects.values("currency").annotate(total=Sum("amount")):
        if row["total"] != 0:
            report.problems.append(f"all accounts sum to {row['total']} {row['currency']}")
    by_account = (
        LedgerEntry.objects.exclude(system_account="")
        .values("system_account", "currency")
        .annotate(total=Sum("amount"))
        .order_by("system_account")
    )
    for row in by_account:
        report.facts.append(f"{row['system_account']}: {row['total']} {row['currency']}")


def _cached_balances_match(report):
    """Invariant 2b: each wallet's cached balance equals the sum of its rows."""
    mismatched = (
        Wallet.objects.annotate(ledger=Sum("ledger_entries__amount", default=0))
        .exclude(balance=F("ledger"))
        .values("pk", "balance", "ledger")
    )
    for row in mismatched[:50]:
        report.problems.append(
            f"wallet {row['pk']} caches {row['balance']} but its rows sum to {row['ledger']}"
        )
    report.facts.append(f"{Wallet.objects.count()} wallets checked")


def _no_negative_wallets(report):
    """Invariant 3."""
    for pk, balance in Wallet.objects.filter(balance__lt=0).values_list("pk", "balance")[:50]:
        report.problems.append(f"wallet {pk} is negative: {balance}")


def _rows_append_only(report):
    """Invariant 4: the database itself refuses UPDATE and DELETE of ledger rows."""
    if connection.vendor != "postgresql":
        report.facts.append("append-only trigger check skipped (not PostgreSQL)")
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'ledger_entry_append_only' "
            "AND tgenabled <> 'D'"
        )
        (count,) = cursor.fetchone()
    if count != 1:
        report.problems.append("the append-only trigger on ledger rows is missing or disabled")


def _currencies_match(report):
    """Invariant 7: a row's currency is its wallet's and its journal's."""
    wrong_wallet = LedgerEntry.objects.filter(wallet__isnull=False).exclude(
        currency=F("wallet__currency")
    )
    wrong_journal = LedgerEntry.objects.exclude(currency=F("journal__currency"))
    for label, queryset in (("wallet", wrong_wallet), ("journal", wrong_journal)):
        count = queryset.count()
        if count:
            report.problems.append(f"{count} ledger rows differ in currency from their {label}")
    successful_without_rows = (
        Transaction.objects.filter(status="success", related_transaction__isnull=True)
        .annotate(rows=Count("ledger_entries"))
        .filter(rows=0)
        .exclude(Q(transaction_type="transfer") & Q(direction="credit"))
        .count()
    )
    if successful_without_rows:
        report.facts.append(f"{successful_without_rows} successful transactions without rows")


def _checkpoints_hold(report):
    """The latest checkpoint of each currency still equals its rows summed from scratch (the
    back office's balances are built on it)."""
    for currency in LedgerCheckpoint.objects.values_list("currency", flat=True).distinct():
        report.problems.extend(checkpoints.differences(currency))


def _disputes_held(report):
    """Each open dispute's whole amount is in `disputes_held`; `dispute_exposure` is what open
    disputes' wallets did not cover plus what lost ones still owe (docs/disputes.md)."""
    from wallet.services.disputes.figures import expected_dispute_accounts

    expected = expected_dispute_accounts()
    actual = dict(
        LedgerEntry.objects.filter(system_account__in=list(expected))
        .values_list("system_account")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for account, amount in expected.items():
        if actual.get(account, 0) != amount:
            report.problems.append(
                f"{account} is {actual.get(account, 0)}, its disputes say {amount}"
            )

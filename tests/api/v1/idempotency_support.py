"""What a money request can leave behind, to prove that a request moved nothing (or once)."""

from wallet.models import BankAccount, DedicatedAccount, LedgerEntry, Transaction, Wallet


def footprint():
    """Everything a money POST can leave behind."""
    return (
        Transaction.objects.count(),
        LedgerEntry.objects.count(),
        BankAccount.objects.filter(is_active=True).count(),
        DedicatedAccount.objects.count(),
        sorted(Wallet.objects.values_list("pk", "balance")),
    )


def added(before, after) -> tuple:
    """(transactions, bank accounts, dedicated accounts) added between two footprints."""
    return tuple(after[i] - before[i] for i in (0, 2, 3))

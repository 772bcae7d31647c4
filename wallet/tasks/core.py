from wallet.services.ledger.check import run_and_store


def check_ledger():
    """Daily: verify the ledger invariants and store the report for the back office."""
    return run_and_store().ok

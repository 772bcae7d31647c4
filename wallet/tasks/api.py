"""Task functions for the JSON API (issue 7)."""

from wallet.services.idempotency_keys import forget_old_keys


def prune_idempotency_keys():
    """Forget Idempotency-Keys older than a day (their answers are no longer replayed)."""
    return forget_old_keys()

"""Wallet models, one module per aggregate; re-exported here so `wallet.models.X` works."""

"""Funding the wallet by card and dedicated bank account (the funding issue fills this in)."""


class FundingOperations:
    """Card charges, saved cards and dedicated virtual accounts, mixed into WalletService."""

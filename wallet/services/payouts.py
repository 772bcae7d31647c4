"""Bank accounts and withdrawals to them (the payouts issue fills this in)."""


class PayoutOperations:
    """Bank account verification, withdrawals and OTP finalisation, mixed into WalletService."""

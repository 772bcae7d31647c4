"""A local Paystack simulator: a standalone HTTP process that speaks Paystack's API.

It imports nothing from the wallet; the site cannot tell it from Paystack's test mode except
by its base URL. See docs/sandbox.md for the test cards, accounts and the control API.
"""

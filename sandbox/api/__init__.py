"""Paystack's HTTP API, one module per family of endpoints."""

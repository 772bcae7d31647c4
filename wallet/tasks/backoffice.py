"""The back office's jobs: Paystack's balance for the dashboard, and the alert digest."""

from wallet.services.backoffice import alerts, dashboard


def refresh_paystack_balance():
    """Every minute: the dashboard shows this answer with its age, never waiting on Paystack."""
    balance = dashboard.refresh_paystack_balance()
    return None if balance is None else str(balance)


def send_alert_digest():
    """Every five minutes: e-mail OPS_ALERT_EMAILS when an alert newly crosses its threshold."""
    return alerts.send_digest_if_changed()

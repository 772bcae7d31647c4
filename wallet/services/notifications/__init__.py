"""Notifications (issue 23): `notify(user=..., kind=..., event_key=..., title=..., body=...)`
tells a customer about one event, in the app (the bell) and by e-mail after commit, once.
`events` words the money events; `emails.send_customer_email` is every customer e-mail's door.
"""

from wallet.services.notifications.service import (
    Notice,
    deliver_email,
    deliver_emails,
    mark_all_read,
    mark_read,
    notify,
    save_settings,
    settings_for,
    settings_of,
    tell,
)

__all__ = [
    "Notice",
    "deliver_email",
    "deliver_emails",
    "mark_all_read",
    "mark_read",
    "notify",
    "save_settings",
    "settings_for",
    "settings_of",
    "tell",
]

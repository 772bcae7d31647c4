"""Notifications (issue 23): `notify(user=..., kind=..., event_key=..., title=..., body=...)`
tells a customer about one event, in the app (the bell) and by e-mail after commit, once.
`events` words the money events; `emails.send_customer_email` is every customer e-mail's door.
"""

from wallet.services.notifications.service import (
    deliver_email,
    mark_all_read,
    mark_read,
    notify,
    save_settings,
    settings_for,
)

__all__ = ["deliver_email", "mark_all_read", "mark_read", "notify", "save_settings", "settings_for"]

"""Toasts for htmx responses.

Two ways to show a toast after an action:

* Full page or htmx, the usual way: ``messages.success(request, "Money sent")``. A full page
  renders it in base.html; for an htmx request ``HtmxMessagesMiddleware`` moves it into the
  response's ``HX-Trigger`` header, so the toast appears without a page load.
* Explicitly on an htmx response: ``add_toast(response, "Copied", level="info")``.

Both end up as the ``messages`` client event ``[{"message": ..., "level": ...}]`` that
static/js/app.js turns into toasts in the ``aria-live`` area.
"""

import json

TOAST_EVENT = "messages"
LEVELS = {"debug", "info", "success", "warning", "error"}


def add_toast(response, message, *, level="success"):
    """Adds one toast to an htmx response (keeps any other HX-Trigger events). Returns it."""
    return add_toasts(response, [{"message": str(message), "level": level}])


def add_toasts(response, toasts):
    events = _trigger_events(response)
    events[TOAST_EVENT] = list(events.get(TOAST_EVENT) or [])
    for toast in toasts:
        level = toast.get("level") if toast.get("level") in LEVELS else "info"
        toast = {"message": str(toast["message"]), "level": level}
        events[TOAST_EVENT].append(toast)
    response["HX-Trigger"] = json.dumps(events)
    return response


def _trigger_events(response):
    header = response.headers.get("HX-Trigger", "")
    if not header:
        return {}
    if header.lstrip().startswith("{"):
        return json.loads(header)
    # "eventA, eventB": plain event names without details.
    return {name.strip(): None for name in header.split(",") if name.strip()}

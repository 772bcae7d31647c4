"""The PIN check the web pages and the JSON API make before every outflow.

It guards the boundary, not the service layer: the guide's Python snippets call the services
directly and need no PIN. WALLET_PIN_REQUIRED=0 turns the check off.
"""

from django.conf import settings

from wallet.services.outflows.pin import verify_pin


def pin_required() -> bool:
    return settings.WALLET_PIN_REQUIRED


def confirm_outflow(user, pin) -> None:
    """Raise PinRequired / PinNotSet / PinInvalid / PinLocked unless the PIN is right."""
    if pin_required():
        verify_pin(user, pin)

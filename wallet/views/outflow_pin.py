"""The PIN on every review screen: the pages' side of wallet.services.outflows.guard.

A user without a PIN chooses one on the review screen of their first outflow (twice, to catch a
slip); after that the PIN is asked. The PIN is never put back into a page.
"""

from wallet.exceptions import WalletError
from wallet.services.outflows.guard import confirm_outflow, pin_required
from wallet.services.outflows.pin import has_pin, set_first_pin


def pin_context(user) -> dict:
    """What the review template needs to draw the PIN fields."""
    return {"pin_required": pin_required(), "pin_is_set": has_pin(user)}


def confirm_with_pin(request) -> str | None:
    """Check (or, the first time, set) the PIN from the posted review screen; the reason it
    failed, or None to go ahead. Wrong tries are counted by the service."""
    if not pin_required():
        return None
    try:
        if not has_pin(request.user):
            return _set_first(request)
        confirm_outflow(request.user, request.POST.get("pin", ""))
    except WalletError as error:
        return error.message
    return None


def _set_first(request) -> str | None:
    new, again = request.POST.get("new_pin", ""), request.POST.get("new_pin_confirm", "")
    if new != again:
        return "The two PINs are not the same; type your new PIN twice."
    set_first_pin(request.user, new)
    return None

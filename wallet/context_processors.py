"""Template context for every page: only what the header needs, computed only if rendered."""


def notification_bell(request):
    """`unread_notifications`: a callable, so the count query runs only when a page draws the
    bell (signed-in pages), once per request (selectors memoise it on the user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from wallet.selectors import unread_count

        return unread_count(user=user)

    return {"unread_notifications": count}

"""Helpers for the web app's Chromium tests."""


def settled(page):
    """Wait until htmx has swapped, settled and bound the new content (a key pressed earlier
    would submit the form natively: correct, but not what a test of the htmx flow means)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )

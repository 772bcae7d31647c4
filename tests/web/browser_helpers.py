"""Helpers for the web app's Chromium tests."""

from tests.fixtures.browser import assert_no_template_syntax


def settled(page):
    """Wait until htmx has swapped, settled and bound the new content (a key pressed earlier
    would submit the form natively: correct, but not what a test of the htmx flow means)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    assert_no_template_syntax(page)  # every state an htmx swap leads to (issue 23)

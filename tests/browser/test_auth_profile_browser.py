"""base.html's htmx plumbing in Chromium: a 422 form swaps in place, a toast follows a save."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in


@pytest.mark.browser
def test_profile_name_form_shows_errors_in_place_then_saves_with_a_toast(page, live_server, user):
    log_in(page, live_server, user.email)

    page.goto(live_server.url + "/accounts/profile/")
    page.evaluate("window.sameDocument = true")  # lost if the browser loads a new page
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#profile-form .errorlist")).to_have_text("This field is required.")
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))

    page.get_by_label("First name").fill("Adaeze")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#toasts")).to_contain_text("Your name was saved.")
    expect(page.locator("#profile-form .errorlist")).to_have_count(0)
    assert page.evaluate("window.sameDocument") is True
    user.refresh_from_db()
    assert user.first_name == "Adaeze"

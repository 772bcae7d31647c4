"""The account journey in real Chromium: sign up, confirm e-mail, log in, log out."""

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "kobo-safe-Passw0rd!"


def confirmation_link(mailoutbox, live_server):
    body = mailoutbox[-1].body
    path = re.search(r"/accounts/confirm-email/[^/\s]+/", body).group(0)
    return live_server.url + path


def log_out(page):
    page.get_by_label(re.compile("Account menu")).click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


@pytest.mark.browser
def test_new_customer_signs_up_confirms_email_logs_in_and_out(page, live_server, mailoutbox):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill("chioma@example.com")
    page.get_by_label("First name").fill("Chioma")
    page.get_by_label("Last name").fill("Nwosu")
    page.get_by_label("Phone number").fill("+234 805 555 0142")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    page.goto(confirmation_link(mailoutbox, live_server))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/wallet/$"))
    log_out(page)

    page.get_by_label("Email").fill("chioma@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/wallet/$"))
    expect(page.get_by_role("navigation", name="Main", exact=True)).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text("Successfully signed in")
    log_out(page)
    page.goto(live_server.url + "/wallet/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/wallet/$"))


@pytest.mark.browser
def test_wrong_password_shows_an_error_and_does_not_log_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_contain_text("password you specified are not correct")
    page.goto(live_server.url + "/wallet/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

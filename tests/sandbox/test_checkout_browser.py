"""The hosted checkout page in real Chromium: the labels and buttons browser journeys use."""

import pytest


@pytest.mark.browser
def test_pin_and_otp_card_pays_through_the_page_and_redirects(sandbox, page):
    data = sandbox.api(
        "POST",
        "/transaction/initialize",
        json={
            "email": "browser@example.com",
            "amount": 750_000,
            "callback_url": f"{sandbox.base_url}/",
        },
    ).json()["data"]
    page.goto(data["authorization_url"])
    page.get_by_role("row", name="5060666666666666666").get_by_role("button", name="Use").click()
    page.get_by_role("button", name="Pay NGN 7,500.00").click()
    page.get_by_label("Card PIN").fill("1234")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("OTP").fill("123456")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**/?trxref={data['reference']}&reference={data['reference']}")
    verified = sandbox.api("GET", f"/transaction/verify/{data['reference']}").json()["data"]
    assert verified["status"] == "success"

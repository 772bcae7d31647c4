import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wallet.models import Wallet

PASSWORD = "kobo-safe-Passw0rd!"


def sign_up(client, email="ngozi@example.com", phone="0803 555 0101", **extra):
    form = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Ngozi",
        "last_name": "Eze",
        "phone": phone,
        **extra,
    }
    return client.post("/accounts/signup/", form)


@pytest.mark.django_db
def test_sign_up_keeps_the_names_and_the_phone_in_234_form(client):
    sign_up(client)
    user = get_user_model().objects.get(email="ngozi@example.com")
    assert (user.first_name, user.last_name, str(user.phone)) == ("Ngozi", "Eze", "+2348035550101")


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["", "12345", "0803 555 01", "not a phone"])
def test_sign_up_refuses_a_missing_or_invalid_phone(client, phone):
    response = sign_up(client, phone=phone)
    assert response.status_code == 200  # the form again, with the reason
    assert not get_user_model().objects.filter(email="ngozi@example.com").exists()
    assert "phone" in response.content.decode().lower()


@pytest.mark.django_db
def test_sign_up_answers_the_same_whether_or_not_the_phone_is_taken(client, user, mailoutbox):
    """Issue 20: sign-up must not tell anyone which numbers are registered."""
    fresh = sign_up(client, email="first@example.com", phone="0803 555 0199")
    user.phone = "+2348035550101"
    user.save(update_fields=["phone"])
    mailoutbox.clear()

    taken = sign_up(Client(), email="ngozi@example.com", phone="0803 555 0101")

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    newcomer = get_user_model().objects.get(email="ngozi@example.com")
    assert newcomer.phone == ""  # the number stays its owner's
    assert [m.to for m in mailoutbox if "your phone number" in m.subject] == [[user.email]]


@pytest.mark.django_db
def test_sign_up_answers_the_same_whether_or_not_the_email_is_taken(client, user):
    fresh = sign_up(client, email="first@example.com", phone="0803 555 0199")
    taken = sign_up(Client(), email=user.email, phone="0803 555 0198")

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])


@pytest.mark.django_db
def test_sign_up_opens_a_wallet_and_sends_a_branded_confirmation(client, mailoutbox):
    response = sign_up(client)
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(email="ngozi@example.com")
    assert Wallet.objects.filter(user=user).count() == 1
    assert "_auth_user_id" not in client.session

    (mail,) = mailoutbox
    assert mail.subject == "[Paystack Wallet] Please Confirm Your Email Address"
    assert mail.body.startswith("Hello from Paystack Wallet!")
    assert "/accounts/confirm-email/" in mail.body


@pytest.mark.django_db
def test_confirming_the_email_logs_the_new_user_in(client, mailoutbox):
    sign_up(client)
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mailoutbox[0].body).group(0)
    response = client.post(link)
    assert response["Location"] == "/wallet/"
    assert client.get("/wallet/").status_code == 200


@pytest.mark.django_db
def test_sign_up_with_a_taken_email_or_mismatched_passwords_creates_nothing(client, user):
    response = client.post(
        "/accounts/signup/",
        {"email": user.email, "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert 'class="field field-invalid"' in response.content.decode()
    assert get_user_model().objects.count() == 1

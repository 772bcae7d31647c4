import json

import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db
def test_profile_requires_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_profile_links_to_every_security_setting(client_logged_in):
    html = client_logged_in.get("/accounts/profile/").content.decode()
    for path in (
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/accounts/email/",
    ):
        assert f'href="{path}"' in html


@pytest.mark.django_db
def test_saving_the_name_updates_the_user_and_says_so(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/profile/", {"first_name": "Adaeze", "last_name": "Okafor"}, follow=True
    )
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Adaeze", "Okafor")
    assert "Your name was saved." in response.content.decode()


@pytest.mark.django_db
def test_too_long_name_is_rejected_with_422_and_nothing_changes(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/profile/", {"first_name": "A" * 151, "last_name": ""}
    )
    assert response.status_code == 422
    assert 'class="field field-invalid"' in response.content.decode()
    assert get_user_model().objects.get(pk=user.pk).first_name == "Alice"


@pytest.mark.django_db
def test_profile_shows_whether_two_factor_is_on(client, mfa_user):
    client.force_login(mfa_user)
    html = client.get("/accounts/profile/").content.decode()
    assert '<span class="badge badge-success">On</span>' in html


@pytest.mark.django_db
def test_htmx_save_swaps_the_form_and_sends_a_toast(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/profile/",
        {"first_name": "Adaeze", "last_name": "Okafor"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post" action="/accounts/profile/"')
    assert 'value="Adaeze"' in html
    assert json.loads(response["HX-Trigger"]) == {
        "messages": [{"message": "Your name was saved.", "level": "success"}]
    }
    user.refresh_from_db()
    assert user.first_name == "Adaeze"


@pytest.mark.django_db
def test_htmx_save_without_a_first_name_returns_the_form_with_422(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/profile/", {"first_name": "", "last_name": "X"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert "HX-Trigger" not in response
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alice", "Adeyemi")


@pytest.mark.django_db
def test_a_customer_from_before_handles_is_asked_to_complete_the_profile_until_done(
    client_logged_in, user
):
    before = client_logged_in.get("/wallet/").content.decode()
    client_logged_in.post("/accounts/reauthenticate/", {"password": "correct-horse-battery"})
    profile = {"first_name": "Alice", "last_name": "Adeyemi", "phone": "0803 555 0111"}
    saved = client_logged_in.post("/accounts/profile/", {**profile, "handle": "@Alice"})
    after = client_logged_in.get("/wallet/").content.decode()

    user.refresh_from_db()
    assert 'data-testid="profile-prompt"' in before and "Complete your profile" in before
    assert saved.status_code == 302
    assert (str(user.phone), user.handle) == ("+2348035550111", "Alice")
    assert 'data-testid="profile-prompt"' not in after
    assert 'data-testid="handle">@Alice<' in after

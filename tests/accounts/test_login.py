import pytest

from tests.accounts.conftest import PASSWORD, log_in_through_form


@pytest.mark.django_db
def test_correct_password_logs_in_and_lands_on_the_dashboard(client, user):
    response = log_in_through_form(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/wallet/"
    assert client.get("/accounts/profile/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_does_not_log_in(client, user):
    response = log_in_through_form(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert "password you specified are not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failed_logins_block_even_the_right_password(client, user):
    for _ in range(5):
        log_in_through_form(client, user.email, "guessing-wrong")
    response = log_in_through_form(client, user.email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unverified_email_cannot_log_in_until_confirmed(client, make_user):
    user = make_user(email="fresh@example.com", verified=False)
    response = log_in_through_form(client, user.email)
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_ends_the_session(client_logged_in):
    response = client_logged_in.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client_logged_in.get("/wallet/").status_code == 302

"""Friendly error pages in the site's layout (what users see with DEBUG off)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults


@pytest.mark.django_db
def test_unknown_page_shows_the_friendly_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "find that page" in html
    assert 'data-layout="site"' in html


@pytest.mark.django_db
def test_forbidden_action_shows_the_friendly_403_with_its_reason():
    request = RequestFactory().get("/wallet/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied("Staff only."))
    assert response.status_code == 403
    assert "Staff only." in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    response = defaults.server_error(RequestFactory().get("/wallet/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "/static/css/app.css" in html


@pytest.mark.django_db
def test_expired_form_shows_the_friendly_csrf_page(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert "This page expired" in response.content.decode()

"""Security headers on the pages, and templates that keep the CSP (no inline script)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def csp_directives(response) -> dict:
    header = response.headers["Content-Security-Policy"]
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", ["/accounts/profile/", "/wallet/", "/wallet/send/"])
def test_a_page_carries_the_security_headers(client_logged_in, wallet, path):
    response = client_logged_in.get(path)
    assert response.status_code == 200
    policy = csp_directives(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_session_cookie_is_http_only_and_same_site(client, user):
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_json_api_answers_carry_the_policy_too(client_logged_in, wallet):
    response = client_logged_in.post(
        "/wallet/api/transactions/verify/", {}, content_type="application/json"
    )
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_no_template_has_inline_script_or_handlers_or_styles(template):
    text = (TEMPLATES / template).read_text()
    assert not INLINE_SCRIPT.search(text), "move the script to static/js/"
    assert not INLINE_HANDLER.search(text), "use a data- attribute handled in static/js/app.js"
    assert "style=" not in text and "<style" not in text, "use a class in static/css/"
    assert "javascript:" not in text.lower()

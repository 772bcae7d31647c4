"""Toasts: Django messages reach htmx requests through the HX-Trigger header."""

import json

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from walletsite.middleware import HtmxMessagesMiddleware
from walletsite.toasts import add_toast


def run_through_middleware(view, *, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().post("/wallet/send/", headers=headers)
    handler = HtmxMessagesMiddleware(view)
    for middleware in (MessageMiddleware, HtmxMiddleware, SessionMiddleware):
        handler = middleware(handler)
    response = handler(request)
    response.request_session = request.session
    return response


def sends_money(request):
    messages.success(request, "₦5,000.00 sent to Bola")
    return HttpResponse("<div>fragment</div>")


def sends_money_and_redirects(request):
    messages.success(request, "₦5,000.00 sent to Bola")
    return HttpResponseRedirect("/wallet/")


@pytest.mark.django_db
def test_message_on_htmx_fragment_becomes_a_toast_event():
    response = run_through_middleware(sends_money, htmx=True)
    events = json.loads(response["HX-Trigger"])
    assert events == {"messages": [{"message": "₦5,000.00 sent to Bola", "level": "success"}]}


@pytest.mark.django_db
def test_message_on_full_page_request_is_left_for_the_template():
    response = run_through_middleware(sends_money, htmx=False)
    assert "HX-Trigger" not in response


@pytest.mark.django_db
def test_message_before_a_redirect_waits_for_the_next_page():
    response = run_through_middleware(sends_money_and_redirects, htmx=True)
    assert "HX-Trigger" not in response
    assert "5,000.00 sent to Bola" in response.request_session["_messages"]


def test_add_toast_keeps_existing_trigger_events():
    response = HttpResponse()
    response["HX-Trigger"] = "walletChanged"
    add_toast(response, "Bank account added")
    add_toast(response, "Check your e-mail", level="info")
    assert json.loads(response["HX-Trigger"]) == {
        "walletChanged": None,
        "messages": [
            {"message": "Bank account added", "level": "success"},
            {"message": "Check your e-mail", "level": "info"},
        ],
    }


def test_add_toast_with_unknown_level_falls_back_to_info():
    response = add_toast(HttpResponse(), "Hello", level="shout")
    assert json.loads(response["HX-Trigger"])["messages"][0]["level"] == "info"

"""The e-mail telling a customer someone asked them for money (sent after the commit)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from accounts.identity import full_name
from wallet.models import MoneyRequest


def request_received(request_id: int) -> bool:
    request = MoneyRequest.objects.select_related("requester__user", "payer__user").get(
        pk=request_id
    )
    if request.payer is None or not request.payer.user.email:
        return False
    context = {
        "request": request,
        "requester": full_name(request.requester.user),
        "handle": request.requester.user.handle,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("email/money_request_subject.txt", context).strip()
    body = render_to_string("email/money_request.txt", context)
    send_mail(subject, body, None, [request.payer.user.email])
    return True

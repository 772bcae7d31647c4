"""django-q2 task functions for money requests: load by id, call one service."""

from wallet.services.requests.notices import request_received


def notify_request(request_id: int) -> bool:
    return request_received(request_id)

"""Requests, responses, errors in Paystack's envelope, and a tiny router."""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs


class ApiError(Exception):
    """A Paystack error body: {"status": false, "message", "meta"?, "type"?, "code"?}."""

    def __init__(self, http_status, message, *, type=None, code=None, next_step=None):
        super().__init__(message)
        self.http_status = http_status
        self.message = message
        self.type = type
        self.code = code
        self.next_step = next_step

    def body(self):
        body = {"status": False, "message": self.message}
        if self.next_step:
            body["meta"] = {"nextStep": self.next_step}
        if self.type:
            body["type"] = self.type
        if self.code:
            body["code"] = self.code
        return body


def validation_error(message, code, next_step=None, http_status=400):
    return ApiError(http_status, message, type="validation_error", code=code, next_step=next_step)


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    base_url: str

    @property
    def data(self):
        """The body as a dict, from JSON or a urlencoded form; {} when empty."""
        if not self.body:
            return {}
        content_type = self.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" in content_type:
            return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}
        try:
            parsed = json.loads(self.body)
        except ValueError:
            raise ApiError(400, "Invalid JSON body", type="validation_error", code="invalid_params")
        if not isinstance(parsed, dict):
            raise ApiError(400, "Invalid JSON body", type="validation_error", code="invalid_params")
        return parsed


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


def json_response(payload, status=200, headers=None):
    body = json.dumps(payload).encode()
    return Response(status=status, body=body, headers=dict(headers or {}))


def envelope(message, data=None, meta=None, status=200):
    payload = {"status": True, "message": message}
    if data is not None:
        payload["data"] = data
    if meta is not None:
        payload["meta"] = meta
    return json_response(payload, status=status)


def html_response(text, status=200):
    return Response(status=status, body=text.encode(), content_type="text/html; charset=utf-8")


def redirect(location, status=303):
    return Response(status=status, content_type="text/plain", headers={"Location": location})


@dataclass
class Route:
    method: str
    pattern: re.Pattern
    handler: object
    endpoint: str
    kind: str  # "api" (Bearer auth, faults), "control" or "page"


class Router:
    def __init__(self):
        self.routes = []

    def add(self, method, template, kind="api"):
        regex = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", template.rstrip("/") or "/")
        endpoint = template.split("<")[0].rstrip("/") or "/"

        def register(handler):
            route = Route(method, re.compile(f"^{regex}/?$"), handler, endpoint, kind)
            self.routes.append(route)
            return handler

        return register

    def match(self, method, path):
        """(route, params); (None, None) if no path matches; (None, {}) on a wrong method."""
        allowed = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found:
                if route.method == method:
                    return route, found.groupdict()
                allowed = True
        return None, ({} if allowed else None)


router = Router()

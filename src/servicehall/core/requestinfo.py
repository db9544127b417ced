"""The request an action came from (request id, client address), kept in a context variable so the audit
writer can record it without every service taking the request (CASE-9)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    ip: str = ""


_current: ContextVar[RequestInfo | None] = ContextVar("servicehall_request", default=None)
_NONE = RequestInfo()
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current() -> RequestInfo:
    """The request being served; empty values for commands and background jobs."""
    return _current.get() or _NONE


def client_ip(request: HttpRequest) -> str:
    """The client address as the server saw it; a trusted proxy's header is resolved before this."""
    return (request.META.get("REMOTE_ADDR") or "")[:64]


class RequestInfoMiddleware:
    """Names each request (an incoming X-Request-ID from the proxy if well-formed, else a fresh one) and
    echoes the id in the response, so an audit row can be matched to the web server's access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = _current.set(RequestInfo(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response

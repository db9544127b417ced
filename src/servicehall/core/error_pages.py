"""Citizens always get the project's own 404 and 500 pages, also on a demo install running with DEBUG on:
Django's debug pages list every URL pattern and the settings, which nobody outside the team should read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.debug import SafeExceptionReporterFilter

from servicehall.core.masking import is_sensitive

# Django's technical pages say so in their body; the project's pages never contain this text.
_TECHNICAL_MARK = b"DEBUG = True"


class ProjectErrorPages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in (404, 500)
            and settings.DEBUG
            and not getattr(settings, "SERVICEHALL_TECHNICAL_ERRORS", False)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and _TECHNICAL_MARK in response.content
        ):
            template = "404.html" if response.status_code == 404 else "500.html"
            context: dict[str, Any] | None = {} if response.status_code == 500 else None
            body = loader.render_to_string(template, context, request=request if context is None else None)
            return HttpResponse(body, status=response.status_code, content_type="text/html; charset=utf-8")
        return response


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the technical 500 page, mailed reports) hide every POST field named like an ID
    number, phone, password or token, on every view — not only those marked @sensitive_post_parameters —
    so an applicant's ID number typed at registration never reaches a log or a mailbox (INT-2)."""

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        cleansed = params.copy()
        for key in cleansed:
            if is_sensitive(key):
                cleansed[key] = self.cleansed_substitute
        return cleansed

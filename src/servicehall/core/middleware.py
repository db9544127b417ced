"""Request guard (请求检查): refuse what Django would otherwise turn into a 500 or read into memory.

- a body longer than the limit (SERVICEHALL_MAX_REQUEST_BYTES for multipart uploads,
  DATA_UPLOAD_MAX_MEMORY_SIZE for form and JSON bodies) → 413 before a byte is read;
- `multipart/form-data` without a valid boundary → 400 (Django raises MultiPartParserError → 500);
- parse errors Django raises while a view reads the body → 400 / 413.
Answers are JSON `{detail, code}` under /api/, a short Chinese page elsewhere. See docs/security.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.http import parse_header_parameters

# Django's own test of a boundary (MultiPartParser.boundary_re).
_BOUNDARY = re.compile(r"[ -~]{0,200}[!-~]")
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def input_error_response(request: HttpRequest, status: int, message: str, code: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=status)
    page = (
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>请求无法处理</title></head>'
        f"<body><h1>请求无法处理</h1><p>{escape(message)}</p></body></html>"
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def too_large_message(limit: int) -> str:
    mb = limit / (1024 * 1024)
    return f"提交的内容过大，上限为 {mb:.1f} MB。请压缩或拆分文件后重试。".replace(".0 MB", " MB")


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self.check(request)
        return refused if refused is not None else self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
        except ValueError:
            return input_error_response(request, 400, "请求头 Content-Length 无效。", "bad_request")
        content_type = request.META.get("CONTENT_TYPE", "")
        multipart = content_type.lower().startswith("multipart/")
        limit = (
            getattr(settings, "SERVICEHALL_MAX_REQUEST_BYTES", 12 * 1024 * 1024)
            if multipart
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            return input_error_response(request, 413, too_large_message(limit), "too_large")
        if multipart and request.method in _BODY_METHODS:
            _, params = parse_header_parameters(content_type)
            boundary = params.get("boundary", "")
            if not boundary or not _BOUNDARY.fullmatch(boundary):
                return input_error_response(
                    request, 400, "表单格式不正确：multipart 请求缺少有效的 boundary。", "bad_request"
                )
        return None

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, RequestDataTooBig):
            return input_error_response(
                request, 413, too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), "too_large"
            )
        if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            return input_error_response(request, 400, "表单字段或文件过多。", "bad_request")
        if isinstance(exc, MultiPartParserError):
            return input_error_response(request, 400, "表单内容无法解析，请重新提交。", "bad_request")
        if isinstance(exc, ObjectDoesNotExist):  # a service's `.get(pk=...)` on an unknown id
            return input_error_response(request, 404, "对象不存在或无权查看。", "not_found")
        if isinstance(exc, OverflowError):  # date arithmetic on a user's year 9999
            return input_error_response(request, 400, "日期或数值超出可处理的范围。", "bad_input")
        return None

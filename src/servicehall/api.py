"""The JSON API under /api/ (OpenAPI docs at /api/docs): one router per domain, one error shape."""

from __future__ import annotations

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from servicehall.attendance.api import router as attendance_router
from servicehall.cases.api import router as cases_router
from servicehall.catalog.api import router as catalog_router
from servicehall.consultation.api import router as consultation_router
from servicehall.core.errors import DomainError
from servicehall.core.middleware import too_large_message
from servicehall.evaluation.api import router as evaluation_router
from servicehall.language.api import router as language_router
from servicehall.leave.api import router as leave_router
from servicehall.org.api import router as org_router
from servicehall.queue.api import router as queue_router
from servicehall.queue.visit_api import router as visits_router
from servicehall.supervision.api import router as supervision_router
from servicehall.workdays.api import router as workdays_router

api = NinjaAPI(
    title="servicehall API",
    version="1",
    description="政务服务中心运行平台接口。Errors carry `detail`, `code`, `rule_id` and `facts`.",
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {
        "detail": str(exc),
        "code": exc.code,
        "rule_id": getattr(exc, "rule_id", None),
        "facts": {k: v for k, v in exc.facts.items() if isinstance(v, str | int | float | bool | None)},
    }
    return api.create_response(request, body, status=exc.status)


def _error(request, status: int, detail: str, code: str):
    return api.create_response(
        request, {"detail": detail, "code": code, "rule_id": None, "facts": {}}, status=status
    )


@api.exception_handler(ObjectDoesNotExist)
def not_found(request, exc: ObjectDoesNotExist):
    # A service's `.get(pk=...)` on an unknown id: the same answer as any absent object.
    return _error(request, 404, "对象不存在或无权查看", "not_found")


@api.exception_handler(OverflowError)
def overflow(request, exc: OverflowError):
    # Date or number arithmetic past what Python can hold (a year 9999 + 1 day): bad input, not a crash.
    return _error(request, 400, "日期或数值超出可处理的范围", "bad_input")


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc: RequestDataTooBig):
    from django.conf import settings

    return _error(request, 413, too_large_message(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), "too_large")


@api.exception_handler(MultiPartParserError)
def bad_multipart(request, exc: Exception):
    return _error(request, 400, "表单内容无法解析，请重新提交。", "bad_request")


@api.exception_handler(TooManyFieldsSent)
def too_many_fields(request, exc: Exception):
    return _error(request, 400, "表单字段或文件过多。", "bad_request")


api.add_exception_handler(TooManyFilesSent, too_many_fields)  # type: ignore[arg-type]  # Optional narrowing left to the domain's owner


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "payload")),
            "error": e.get("msg"),
        }
        for e in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['error']}" for e in errors)
    return api.create_response(
        request, {"detail": detail, "code": "bad_input", "errors": errors, "rule_id": None}, status=422
    )


# One router per domain at /api/<domain>/; a domain with an API adds its line here (a missing module
# fails at start-up rather than quietly dropping the endpoints).
ROUTERS = [
    ("org", org_router),
    ("catalog", catalog_router),
    ("workdays", workdays_router),
    ("cases", cases_router),
    ("cases", consultation_router),  # /api/cases/inquiries...: the paths predate the split
    ("queue", queue_router),
    ("queue", visits_router),  # /api/queue/visits...: 帮办代办 and 上门服务 are appointment kinds
    ("attendance", attendance_router),
    ("leave", leave_router),
    ("evaluation", evaluation_router),
    ("supervision", supervision_router),
    ("language", language_router),
]
for _prefix, _router in ROUTERS:
    api.add_router(f"/{_prefix}/", _router)

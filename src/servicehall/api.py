"""The JSON API under /api/ (OpenAPI docs at /api/docs): one router per domain, one error shape."""

from __future__ import annotations

import importlib
import importlib.util

from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from servicehall.core.errors import DomainError

DOMAINS = (
    "policy", "org", "catalog", "workdays", "cases", "supervision",
    "queue", "attendance", "leave", "evaluation", "language", "reports",
    "inspections",
)  # fmt: skip

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


def _mount_domain_routers() -> None:
    for name in DOMAINS:
        module_name = f"servicehall.{name}.api"
        if importlib.util.find_spec(module_name) is None:
            continue
        router = getattr(importlib.import_module(module_name), "router", None)
        if router is not None:
            api.add_router(f"/{name}/", router)


_mount_domain_routers()

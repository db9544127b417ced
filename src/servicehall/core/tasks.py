"""Background tasks (任务队列): Celery when a broker is configured, in-process otherwise.

A domain marks a function with `@task("domain.name")` and calls `fn.delay(...)` (often from
`transaction.on_commit`). With SERVICEHALL_CELERY_BROKER_URL set, the call is queued and a worker
(`servicehall worker`, app module `servicehall.ops.worker`) runs it; without it Celery's eager mode runs it at
once in the calling process, so a single machine needs no broker and no worker. Arguments must be JSON
values (ids, ISO dates), never model instances.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from celery import Celery
from django.conf import settings

F = TypeVar("F", bound=Callable[..., Any])

app = Celery("servicehall")


def configure() -> Celery:
    """Read the broker from settings (called by the worker module and on first task use)."""
    broker = getattr(settings, "SERVICEHALL_CELERY_BROKER_URL", "")
    app.conf.update(
        broker_url=broker or "memory://",
        task_always_eager=not broker,
        task_eager_propagates=True,
        task_serializer="json",
        accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,  # a task a dying worker held is run again (every task here is idempotent)
        worker_prefetch_multiplier=1,
        timezone=settings.TIME_ZONE,
        broker_connection_retry_on_startup=True,
    )
    return app


def task(name: str) -> Callable[[F], Any]:
    """Register `fn` as the task `name`; call it directly, or `.delay(**kwargs)` to queue it."""

    def wrap(fn: F) -> Any:
        return app.task(name=name)(fn)

    return wrap


def queued() -> bool:
    """True when tasks go to a worker (a broker is configured)."""
    return bool(getattr(settings, "SERVICEHALL_CELERY_BROKER_URL", ""))

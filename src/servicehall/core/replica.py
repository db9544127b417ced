"""Read replica for reports (只读副本): report reads go to the `replica` database when one is configured.

A router cannot tell a report query from a write path's read, so the report views say so explicitly:
`with reading_replica(): ...` (or the `@reads_replica` decorator). Everything else, and every write, stays
on the primary. Without SERVICEHALL_DB_REPLICA_URL there is no `replica` alias and nothing changes.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings

REPLICA = "replica"
_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("servicehall_on_replica", default=False)

F = TypeVar("F", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_replica() -> Iterator[None]:
    """Reads inside this block may be a little behind the primary (replication lag); use it for reports."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def reads_replica(view: F) -> F:
    @functools.wraps(view)
    def inner(*args: Any, **kwargs: Any) -> Any:
        with reading_replica():
            return view(*args, **kwargs)

    return inner  # type: ignore[return-value]  # same signature as the wrapped view


class ReplicaRouter:
    """Reads in a `reading_replica()` block go to the replica; writes and migrations to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return REPLICA if _on_replica.get() and replica_configured() else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: object, obj2: object, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"

"""Write an audit entry inside the caller's transaction, so an action and its log commit together."""

from __future__ import annotations

from typing import Any

from django.db import models

from servicehall.core.models import AuditEntry


def record_audit(
    *,
    actor: Any | None,
    verb: str,
    target: models.Model | None = None,
    centre_id: int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    if centre_id is None and target is not None:
        centre_id = getattr(target, "centre_id", None)
    user = getattr(actor, "user", actor)  # a Staff or a User
    return AuditEntry.objects.create(
        actor=user if getattr(user, "is_authenticated", False) else None,
        centre_id=centre_id,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        reason=reason,
        data=data or {},
    )

"""Writes for accountability events: one per source record, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models, transaction

from servicehall.accountability.models import AccountabilityEvent
from servicehall.core.audit import record_audit


@transaction.atomic
def record_accountability_event(
    *,
    source: models.Model,
    kind: str,
    occurred_on: date,
    rule: str,
    centre_id: int,
    staff_id: int | None = None,
    unit_id: int | None = None,
    window_id: int | None = None,
    level: str = "",
    summary: str = "",
    actor: Any | None = None,
) -> AccountabilityEvent:
    """Record the event a source record produces; recording the same source twice returns the first."""
    event, created = AccountabilityEvent.objects.get_or_create(
        source_type=source._meta.label_lower,
        source_id=str(source.pk),
        kind=kind,
        defaults={
            "centre_id": centre_id,
            "staff_id": staff_id,
            "unit_id": unit_id,
            "window_id": window_id,
            "occurred_on": occurred_on,
            "level": level,
            "rule": rule,
            "summary": summary,
        },
    )
    if created:
        record_audit(
            actor=actor, verb="accountability.record", target=event, data={"kind": kind, "rule": rule}
        )
    return event


@transaction.atomic
def withdraw_accountability_event(*, source: models.Model, kind: str, actor: Any | None, reason: str) -> int:
    """Withdraw the event of a source that was overturned (撤销); it stays on record but stops counting."""
    events = AccountabilityEvent.objects.select_for_update().filter(
        source_type=source._meta.label_lower, source_id=str(source.pk), kind=kind, withdrawn=False
    )
    count = 0
    for event in events:
        event.withdrawn = True
        event.save(update_fields=["withdrawn"])
        record_audit(actor=actor, verb="accountability.withdraw", target=event, reason=reason)
        count += 1
    return count

"""Purge of citizens' names and phones in the queue after the retention period (INT-2). Tickets carry no
personal data (an ID number shown for elderly priority is checked, never stored); appointments do."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from servicehall.core.masking import PURGED_NAME
from servicehall.queue.models import Appointment


@transaction.atomic
def purge_personal_data(*, centre_id: int, before: datetime, dry_run: bool = False) -> dict[str, int]:
    """Appointments of days before `before` that are over (checked in, no-show, cancelled) lose name and
    phone; day, slot, line and status stay for the statistics. Idempotent; counts per table."""
    day = timezone.localtime(before).date()
    rows = (
        Appointment.objects.filter(centre_id=centre_id, day__lt=day)
        .exclude(status=Appointment.Status.BOOKED)
        .filter(~Q(name=PURGED_NAME) | ~Q(phone=""))
    )
    counts = {"queue.appointment": rows.count()}
    if not dry_run:
        rows.update(name=PURGED_NAME, phone="")
    return counts

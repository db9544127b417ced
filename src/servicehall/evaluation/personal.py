"""Purge of citizens' names and phones in ratings, complaints, suggestions and callbacks after the
retention period (INT-2). Scores, steps, outcomes and dates stay for the statistics (EVAL-)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from servicehall.core.masking import PURGED_NAME
from servicehall.evaluation.models import Complaint, RaterContact, Suggestion, UnservedCallback


@transaction.atomic
def purge_personal_data(*, centre_id: int, before: datetime, dry_run: bool = False) -> dict[str, int]:
    """Erase contact data of records closed before `before`: archived complaints, suggestions, callbacks
    already made, rater contacts of older ratings. Idempotent; counts per table."""
    complaints = Complaint.objects.filter(centre_id=centre_id, archived_at__lt=before).filter(
        ~Q(complainant_name="") | ~Q(complainant_phone="")
    )
    suggestions = Suggestion.objects.filter(centre_id=centre_id, received_at__lt=before).filter(
        ~Q(name="") | ~Q(phone="")
    )
    callbacks = (
        UnservedCallback.objects.filter(centre_id=centre_id, recorded_at__lt=before)
        .exclude(outcome="")
        .filter(~Q(name=PURGED_NAME) | ~Q(phone=""))
    )
    contacts = RaterContact.objects.filter(rating__centre_id=centre_id, rating__rated_at__lt=before).filter(
        ~Q(name="") | ~Q(phone="")
    )
    counts = {
        "evaluation.complaint": complaints.count(),
        "evaluation.suggestion": suggestions.count(),
        "evaluation.unservedcallback": callbacks.count(),
        "evaluation.ratercontact": contacts.count(),
    }
    if not dry_run:
        complaints.update(complainant_name="", complainant_phone="")
        suggestions.update(name="", phone="")
        callbacks.update(name=PURGED_NAME, phone="")
        RaterContact.objects.filter(pk__in=list(contacts.values_list("pk", flat=True))).update(
            name="", phone=""
        )
    return counts

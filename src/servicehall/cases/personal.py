"""Applicants' personal data over time (INT-2): key rotation of the encrypted ID numbers, and the purge
of name, ID number, phone and addresses once a concluded case is past the retention period.

What statistics need stays: item, unit, window, handler, dates, status, outcome, the kind of document.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from servicehall.cases.enums import OPEN_STATUSES
from servicehall.cases.models import Case, Inquiry
from servicehall.core.audit import record_audit
from servicehall.core.fieldcrypt import rotate_column
from servicehall.core.masking import PURGED_NAME


def rotate_id_number_keys(*, batch: int = 500) -> tuple[int, int]:
    """Re-encrypt every applicant ID number under the first key and refresh its lookup hashes, one
    transaction and one audit entry per batch that changed; (rows seen, rows rewritten)."""

    def audit(seen: int, written: int) -> None:
        record_audit(
            actor=None,
            verb="personal_data.rotate_keys",
            data={"table": Case._meta.label_lower, "rows": seen, "rewritten": written},
        )

    return rotate_column(
        Case,
        "applicant_id_no",
        batch=batch,
        refresh=lambda c: c.refresh_id_hashes(),  # type: ignore[attr-defined]  # rows of Case
        on_batch=audit,
    )


def _case_has_personal_data() -> Q:
    return (
        ~Q(applicant_name=PURGED_NAME)
        | ~Q(applicant_id_hash="")
        | ~Q(applicant_phone="")
        | ~Q(applicant_address="")
        | ~Q(postal_address="")
    )


@transaction.atomic
def purge_personal_data(*, centre_id: int, before: datetime, dry_run: bool = False) -> dict[str, int]:
    """Erase applicants' personal data of cases concluded and inquiries logged before `before` (INT-2,
    policy `access.personal_data_retention_days`). Idempotent: a purged row no longer matches.
    Counts per table; nothing written when `dry_run`. The caller writes the audit entry."""
    cases = Case.objects.filter(centre_id=centre_id, concluded_at__lt=before).exclude(
        status__in=OPEN_STATUSES
    )
    cases = cases.filter(_case_has_personal_data())
    inquiries = Inquiry.objects.filter(centre_id=centre_id, asked_at__lt=before).filter(
        ~Q(visitor_name="") | ~Q(contact="")
    )
    counts = {"cases.case": cases.count(), "cases.inquiry": inquiries.count()}
    if not dry_run:
        cases.update(
            applicant_name=PURGED_NAME,
            applicant_id_no="",
            applicant_id_hash="",
            applicant_id_tail_hash="",
            applicant_phone="",
            applicant_address="",
            postal_address="",
        )
        inquiries.update(visitor_name="", contact="")
    return counts

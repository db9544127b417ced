"""Applicants' personal data across domains (INT-2): the purge after each centre's retention period and
the re-encryption of ID numbers after a key change. The commands in `security_commands` call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from servicehall.cases import personal as case_data
from servicehall.core.audit import record_audit
from servicehall.evaluation import personal as evaluation_data
from servicehall.org.models import Centre
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.queue import personal as queue_data

PURGERS = (case_data.purge_personal_data, queue_data.purge_personal_data, evaluation_data.purge_personal_data)


@dataclass(frozen=True)
class PurgeResult:
    centre: str
    retention_days: int
    before: datetime
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def purge_personal_data(*, now: datetime, dry_run: bool = False) -> list[PurgeResult]:
    """For every centre, erase name, ID number, phone and address of records closed longer ago than its
    policy `access.personal_data_retention_days` (INT-2). One transaction and one audit entry (with the
    counts) per centre that had something to erase; a second run finds nothing."""
    results = []
    for centre in Centre.objects.order_by("code"):
        days = policy_for_centre(centre_id=centre.pk).access.personal_data_retention_days
        before = now - timedelta(days=days)
        with transaction.atomic():
            counts: dict[str, int] = {}
            for purge in PURGERS:
                counts.update(purge(centre_id=centre.pk, before=before, dry_run=dry_run))
            result = PurgeResult(centre.code, days, before, counts)
            if result.total and not dry_run:
                record_audit(
                    actor=None,
                    verb="personal_data.purge",
                    centre_id=centre.pk,
                    reason=f"INT-2: 超过个人信息保存期限 {days} 天",
                    data={"before": before.isoformat(), "retention_days": days, "counts": counts},
                )
        results.append(result)
    return results


def rotate_keys(*, batch: int = 500) -> dict[str, tuple[int, int]]:
    """Every encrypted column re-encrypted under the first key: {table: (rows seen, rows rewritten)}."""
    return {"cases.case": case_data.rotate_id_number_keys(batch=batch)}

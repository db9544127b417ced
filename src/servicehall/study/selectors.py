"""Reads of study sessions and meetings (ATT-11): the plan, study attendance, training coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from servicehall.study.models import RollCall, Session


def sessions_of(*, centre_id: int) -> QuerySet[Session]:
    return Session.objects.filter(centre_id=centre_id).annotate(
        absent=Count("roll", filter=Q(roll__status=RollCall.Status.ABSENT)),
        present=Count("roll", filter=Q(roll__status=RollCall.Status.PRESENT)),
    )


@dataclass(frozen=True, slots=True)
class StudyAttendance:
    """A person's study sessions in a period: held for them, attended, missed without leave."""

    held: int
    attended: int
    missed: int

    @property
    def rate(self) -> float | None:
        return None if self.held == 0 else self.attended / self.held


def study_attendance(*, staff_ids: list[int], start: date, end: date) -> dict[int, StudyAttendance]:
    """Study attendance per person for start..end (每月学习情况纳入年终考核, ATT-11)."""
    rows = (
        RollCall.objects.filter(
            staff_id__in=staff_ids,
            session__kind=Session.Kind.STUDY,
            session__starts_at__date__gte=start,
            session__starts_at__date__lte=end,
        )
        .values("staff_id")
        .annotate(
            held=Count("id"),
            attended=Count("id", filter=Q(status=RollCall.Status.PRESENT)),
            missed=Count("id", filter=Q(status=RollCall.Status.ABSENT)),
        )
    )
    return {r["staff_id"]: StudyAttendance(r["held"], r["attended"], r["missed"]) for r in rows}


def training_by_quarter(*, centre_id: int, year: int) -> dict[int, int]:
    """Quarter (1..4) → trainings held; a 0 is a quarter without the training 篇6 §28 asks for."""
    counts = dict.fromkeys((1, 2, 3, 4), 0)
    for starts_at in Session.objects.filter(
        centre_id=centre_id, kind=Session.Kind.TRAINING, starts_at__year=year
    ).values_list("starts_at", flat=True):
        counts[(timezone.localtime(starts_at).month - 1) // 3 + 1] += 1
    return counts

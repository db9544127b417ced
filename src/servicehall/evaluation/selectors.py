"""Reads of the citizens' voice, scoped to the viewer (EVAL-1, EVAL-2, EVAL-7).

Who rated is never part of these reads: `Rating` rows carry no contact, and `RaterContact` is reached only
through `services.reveal_rater_contact` (supervision office, audited).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from servicehall.cases.masking import last4, mask_name
from servicehall.cases.models import Case
from servicehall.cases.selectors import opens_case
from servicehall.core.errors import Forbidden
from servicehall.core.roles import CENTRE_WIDE, Role, role_of, staff_of
from servicehall.evaluation import figures
from servicehall.evaluation.models import (
    Complaint,
    ManipulationFlag,
    Rating,
    Rectification,
    Suggestion,
    UnservedCallback,
)
from servicehall.org.models import Centre, Unit, Window
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.queue.models import Ticket

SUPERVISION_READERS = frozenset({Role.SUPERVISOR, Role.CENTRE_ADMIN, Role.AUDITOR})


def _viewer(viewer: Any) -> Any:
    staff = staff_of(viewer)
    if staff is None:
        raise Forbidden("需要工作人员账号")
    return staff


def ensure_supervision_reader(viewer: Any) -> Any:
    staff = _viewer(viewer)
    if role_of(viewer) not in SUPERVISION_READERS:
        raise Forbidden("仅效能监察室可以查看")
    return staff


def ratings_for(*, viewer: Any) -> QuerySet[Rating]:
    """Ratings the viewer may see: the centre for the office, the unit for a chief rep, one's own for
    window staff. No contact is joined: staff never see who rated."""
    staff = _viewer(viewer)
    qs = Rating.objects.filter(centre_id=staff.centre_id).select_related("unit", "window", "staff")
    role = role_of(viewer)
    if role in CENTRE_WIDE:
        return qs
    if role == Role.CHIEF_REP:
        return qs.filter(unit_id=staff.unit_id)
    return qs.filter(staff_id=staff.pk)


def rectifications_for(*, viewer: Any) -> QuerySet[Rectification]:
    staff = _viewer(viewer)
    qs = Rectification.objects.filter(centre_id=staff.centre_id).select_related(
        "rating", "rating__window", "rating__staff", "unit"
    )
    role = role_of(viewer)
    if role in CENTRE_WIDE:
        return qs
    if role == Role.CHIEF_REP:
        return qs.filter(unit_id=staff.unit_id)
    return qs.filter(rating__staff_id=staff.pk)


def open_rectifications(*, viewer: Any) -> QuerySet[Rectification]:
    return rectifications_for(viewer=viewer).filter(
        status__in=[Rectification.Status.OPEN, Rectification.Status.ANSWERED]
    )


def overdue_rectifications(*, viewer: Any, today: date | None = None) -> QuerySet[Rectification]:
    """Open tasks past their due date (超期未整改), for the supervisor dashboard."""
    return open_rectifications(viewer=viewer).filter(due_on__lt=today or timezone.localdate())


def complaints_for(*, viewer: Any) -> QuerySet[Complaint]:
    staff = ensure_supervision_reader(viewer)
    return Complaint.objects.filter(centre_id=staff.centre_id).select_related("unit", "window", "staff")


def flags_for(*, viewer: Any) -> QuerySet[ManipulationFlag]:
    staff = ensure_supervision_reader(viewer)
    return ManipulationFlag.objects.filter(centre_id=staff.centre_id).select_related("unit", "staff")


def suggestions_for(*, viewer: Any) -> QuerySet[Suggestion]:
    staff = ensure_supervision_reader(viewer)
    return Suggestion.objects.filter(centre_id=staff.centre_id)


def unserved_for(*, viewer: Any) -> QuerySet[UnservedCallback]:
    staff = _viewer(viewer)
    qs = UnservedCallback.objects.filter(centre_id=staff.centre_id).select_related("window", "recorded_by")
    role = role_of(viewer)
    if role in CENTRE_WIDE:
        return qs
    if role == Role.CHIEF_REP:
        return qs.filter(Q(window__unit_id=staff.unit_id) | Q(recorded_by=staff))
    return qs.filter(recorded_by=staff)


# -- the rating pad ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PadService:
    """The service the pad at a window offers for rating: a finished ticket or a concluded case."""

    kind: str  # "ticket" | "case"
    pk: int
    label: str
    finished_at: datetime
    staff_name: str
    staff_no: str


def pad_service(*, window: Window, now: datetime | None = None) -> PadService | None:
    """EVAL-1: the latest service finished at `window` within the policy's prompt minutes and not rated yet."""
    now = now or timezone.now()
    minutes = policy_for_centre(centre_id=window.centre_id).evaluation.ratings.prompt_minutes
    since = now - timedelta(minutes=minutes)
    candidates: list[PadService] = []
    ticket = (
        Ticket.objects.filter(window=window, status=Ticket.Status.FINISHED, finished_at__gte=since)
        .select_related("staff")
        .order_by("-finished_at")
        .first()
    )
    if ticket is not None:
        candidates.append(
            PadService(
                "ticket",
                ticket.pk,
                f"{ticket.number} 号",
                ticket.finished_at,  # type: ignore[arg-type]  # filtered on finished_at
                ticket.staff.name if ticket.staff else "",
                ticket.staff.staff_no if ticket.staff else "",
            )
        )
    case = (
        Case.objects.filter(window=window, concluded_at__gte=since)
        .select_related("responsible", "item")
        .order_by("-concluded_at")
        .first()
    )
    if case is not None:
        candidates.append(
            PadService(
                "case",
                case.pk,
                case.item.name,
                case.concluded_at,  # type: ignore[arg-type]  # filtered on concluded_at
                case.responsible.name,
                case.responsible.staff_no,
            )
        )
    for service in sorted(candidates, key=lambda s: s.finished_at, reverse=True):
        if not Rating.objects.filter(
            centre_id=window.centre_id, service_key=f"{service.kind}:{service.pk}"
        ).exists():
            return service
    return None


def pad_service_for(*, window: Window, kind: str, pk: int, now: datetime | None = None) -> PadService | None:
    """A given service finished at `window` within the prompt minutes (rated or not): for 修改评价."""
    now = now or timezone.now()
    minutes = policy_for_centre(centre_id=window.centre_id).evaluation.ratings.prompt_minutes
    since = now - timedelta(minutes=minutes)
    if kind == "ticket":
        t = (
            Ticket.objects.filter(pk=pk, window=window, status=Ticket.Status.FINISHED, finished_at__gte=since)
            .select_related("staff")
            .first()
        )
        if t is not None:
            name, no = (t.staff.name, t.staff.staff_no) if t.staff else ("", "")
            return PadService("ticket", t.pk, f"{t.number} 号", t.finished_at, name, no)  # type: ignore[arg-type]  # Optional narrowing left to the domain's owner
    elif kind == "case":
        c = (
            Case.objects.filter(pk=pk, window=window, concluded_at__gte=since)
            .select_related("responsible", "item")
            .first()
        )
        if c is not None:
            return PadService(
                "case",
                c.pk,
                c.item.name,
                c.concluded_at,  # type: ignore[arg-type]  # filtered on concluded_at
                c.responsible.name,
                c.responsible.staff_no,
            )
    return None


def case_for_rating(*, number: str, code: str) -> Case | None:
    """The case a citizen may rate online: number + the secret that opens the progress query (CASE-10:
    query code, or the tail of a validated phone or ID number). An unknown number and a wrong code look
    the same; an empty phone or ID number is no secret."""
    number = (number or "").strip()
    case = (
        Case.objects.select_related("item", "centre").defer("applicant_id_no").filter(number=number).first()
        if number
        else None
    )
    if not opens_case(case, code) or case is None or (case.accepted_at is None and case.concluded_at is None):
        return None
    return case


# -- public complaint progress -------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintProgress:
    tracking_code: str
    complainant: str
    received_on: date
    step: str
    step_due_on: date | None
    steps: tuple[tuple[str, date | None], ...]
    outcome: str
    feedback: str


def complaint_progress(*, tracking_code: str, code: str) -> ComplaintProgress | None:
    """Tracking code + last four digits of the phone given; a complaint left without a phone is found by
    its tracking code alone. An unknown code and a wrong phone look the same."""
    tracking_code, code = (tracking_code or "").strip().upper(), (code or "").strip()
    complaint = Complaint.objects.filter(tracking_code=tracking_code).first() if tracking_code else None
    expected = last4(complaint.complainant_phone) if complaint else ""
    ok = hmac.compare_digest((expected or "####").encode(), (code or "----").encode())
    if complaint is None:
        return None
    if complaint.complainant_phone and not (ok and len(code) == 4):
        return None
    shown_outcome = complaint.step in (Complaint.Step.ARCHIVE, Complaint.Step.DONE)
    return ComplaintProgress(
        tracking_code=complaint.tracking_code,
        complainant=mask_name(complaint.complainant_name) or "—",
        received_on=timezone.localtime(complaint.received_at).date(),
        step=Complaint.Step(complaint.step).label,
        step_due_on=complaint.step_due_on,
        steps=tuple(
            (
                Complaint.Step(s.step).label,
                timezone.localtime(s.completed_at).date() if s.completed_at else None,
            )
            for s in complaint.steps.all()
        ),
        outcome=Complaint.Outcome(complaint.outcome).label if shown_outcome and complaint.outcome else "",
        feedback=complaint.feedback if shown_outcome else "",
    )


# -- monthly figures (EVAL-1, EVAL-2, EVAL-7) -------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class UnitMonth:
    unit: str
    counted: int
    good: int
    bad: int
    complaints: int
    valid_complaints: int

    @property
    def satisfaction_rate(self) -> Decimal:
        return figures.satisfaction_rate(self.good, self.counted)

    @property
    def percent(self) -> str:
        return f"{self.satisfaction_rate * 100:.2f}%" if self.counted else "—"


@dataclass(frozen=True)
class MonthFigures:
    month: date
    units: list[UnitMonth]
    counted: int
    good: int
    bad_named: int
    bad_called_back: int
    rectified: int
    bad_total: int
    complaints: int
    complaints_closed: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def satisfaction_rate(self) -> Decimal:
        return figures.satisfaction_rate(self.good, self.counted)

    @property
    def percent(self) -> str:
        return f"{self.satisfaction_rate * 100:.2f}%" if self.counted else "—"

    @property
    def callback_percent(self) -> str:
        if not self.bad_named:
            return "—"
        return f"{figures.satisfaction_rate(self.bad_called_back, self.bad_named) * 100:.2f}%"


def month_figures(*, centre: Centre, month: date) -> MonthFigures:
    """The month's published figures (no personal data): satisfaction per unit excluding overturned
    ratings, bad ratings rectified and called back (回访率), complaints received and found valid."""
    first, nxt = month_bounds(month)
    ratings = Rating.objects.filter(
        centre=centre, overturned=False, rated_at__date__gte=first, rated_at__date__lt=nxt
    )
    per_unit = {
        row["unit_id"]: row
        for row in ratings.values("unit_id").annotate(
            n=Count("id"), good=Count("id", filter=Q(satisfied=True))
        )
    }
    complaints = Complaint.objects.filter(
        centre=centre, received_at__date__gte=first, received_at__date__lt=nxt
    )
    per_unit_c = {
        row["unit_id"]: row
        for row in complaints.values("unit_id").annotate(
            n=Count("id"), valid=Count("id", filter=Q(outcome=Complaint.Outcome.VALID))
        )
    }
    units = []
    for unit in Unit.objects.filter(centre=centre).order_by("id"):
        r: Any = per_unit.get(unit.pk, {})
        c: Any = per_unit_c.get(unit.pk, {})
        n, g = r.get("n", 0), r.get("good", 0)
        units.append(UnitMonth(unit.short_name or unit.name, n, g, n - g, c.get("n", 0), c.get("valid", 0)))
    bad = ratings.filter(satisfied=False)
    named = bad.filter(anonymous=False)
    return MonthFigures(
        month=first,
        units=units,
        counted=ratings.count(),
        good=ratings.filter(satisfied=True).count(),
        bad_total=bad.count(),
        bad_named=named.count(),
        bad_called_back=named.filter(rectification__callbacks__isnull=False).distinct().count(),
        rectified=bad.filter(rectification__status=Rectification.Status.CLOSED).count(),
        complaints=complaints.count(),
        complaints_closed=complaints.filter(step=Complaint.Step.DONE).count(),
    )


def window_ranking(*, centre_id: int, month: date) -> list[figures.RankedWindow]:
    """EVAL-7: the month's windows by satisfaction rate, best first (overturned ratings excluded)."""
    first, nxt = month_bounds(month)
    rows = (
        Rating.objects.filter(
            centre_id=centre_id,
            overturned=False,
            window__isnull=False,
            rated_at__date__gte=first,
            rated_at__date__lt=nxt,
        )
        .values("window_id")
        .annotate(n=Count("id"), good=Count("id", filter=Q(satisfied=True)))
    )
    windows = {
        w.pk: w for w in Window.objects.filter(pk__in=[r["window_id"] for r in rows]).select_related("unit")
    }
    return figures.rank_windows({windows[r["window_id"]]: (r["n"], r["good"]) for r in rows})


def talk_windows(*, centre_id: int, month: date) -> set[Window]:
    """EVAL-7: windows last in the ranking for the policy's number of months running, up to `month`."""
    months_needed = policy_for_centre(centre_id=centre_id).evaluation.ratings.talk_after_months_last
    rankings = []
    first = month.replace(day=1)
    for back in range(months_needed - 1, -1, -1):
        m = first
        for _ in range(back):
            m = (m - timedelta(days=1)).replace(day=1)
        rankings.append(window_ranking(centre_id=centre_id, month=m))
    return figures.talk_list(rankings, months=months_needed)

"""Shared pieces of the case services (办件): locking, the due date (CASE-5), numbering, refusal reports (CASE-7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from servicehall.cases import deadlines
from servicehall.cases.calendars import centre_calendar
from servicehall.cases.enums import (
    PROBLEM_STATES,
    EventKind,
    MaterialState,
    RefusalKind,
)
from servicehall.cases.lifecycle import log_event
from servicehall.cases.models import (
    Case,
    CaseMaterial,
    RefusalReport,
)
from servicehall.cases.policies import policies_for
from servicehall.cases.selectors import case_target
from servicehall.catalog.models import CaseType
from servicehall.core import access
from servicehall.core.errors import NotFound, RuleViolation
from servicehall.core.roles import Role
from servicehall.org.models import Staff
from servicehall.policy_versions.selectors import policy_for_centre

CENTRE_OFFICE = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR})


@dataclass(frozen=True, slots=True)
class MaterialCheck:
    """How one checklist line was found at the window: state plus what to fix / what was corrected."""

    state: MaterialState | str  # validated by the service
    note: str = ""


# -- helpers -----------------------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _local(at: datetime) -> datetime:
    return timezone.localtime(at) if timezone.is_aware(at) else at


def _lock(case_id: int) -> Case:
    try:
        return Case.objects.select_for_update().select_related("item", "centre").get(pk=case_id)
    except Case.DoesNotExist:
        raise NotFound("办件不存在", case_id=case_id) from None


def case_unit_ids(case: Case) -> set[int]:
    units = {case.item.unit_id}
    if case.case_type == CaseType.JOINT:
        units |= set(case.item.joint_units.values_list("id", flat=True))
    return units


def ensure_may_handle(actor: Staff, case: Case) -> None:
    """The responsible person (CASE-1), the unit's chief rep, the centre office; window staff colleagues
    only as far as the policy `access.window_staff_cases` lets them (INT-2). A case the actor may not
    even see answers NotFound, like an absent one."""
    if actor is None or actor.centre_id != case.centre_id or not actor.is_active:
        raise NotFound("办件不存在", case_id=case.pk)
    policy = policy_for_centre(centre_id=case.centre_id)
    if actor.pk == case.responsible_id:
        return
    access.ensure(actor, "cases", "handle", case_target(case), policy=policy, what="办件")


def _lock_handled(case_id: int, actor: Staff) -> Case:
    """The case, locked for this write, once `ensure_may_handle` lets the actor handle it."""
    case = _lock(case_id)
    ensure_may_handle(actor, case)
    return case


def _problems(case: Case) -> list[CaseMaterial]:
    return [m for m in case.materials.all() if m.required and m.state in PROBLEM_STATES]


def _extension_cap(case: Case) -> int:
    policy = policies_for(case.centre).cases
    if case.case_type == CaseType.JOINT:
        return policy.joint_extension_cap_working_days
    if case.case_type == CaseType.REPORTED:
        return policy.reported_extension_cap_working_days
    return policy.promised_extension_cap_working_days


def compute_due_date(case: Case, *, today: date | None = None) -> deadlines.DueDate | None:
    """The case's due date from its acceptance, pauses and extensions (CASE-5); None before acceptance.

    A pause still open is counted up to `today` (the date moves each day until the clock resumes).
    A due date counted over a year whose calendar is not loaded is provisional, never refused.
    """
    if case.accepted_at is None:
        return None
    today = today or timezone.localdate()
    pauses = [
        deadlines.Pause(p.starts_on, p.ends_on or max(today, p.starts_on), p.reason)
        for p in case.pauses.all()
    ]
    extensions = [deadlines.Extension(e.working_days, e.reason, True) for e in case.extensions.all()]
    closing = policies_for(case.centre).cases.closing_time
    return deadlines.due_date(
        _local(case.accepted_at).replace(tzinfo=None),
        case.limit_days,
        pauses,
        extensions,
        centre_calendar(),
        closing=closing,
    )


def compute_due(case: Case, *, today: date | None = None) -> date | None:
    due = compute_due_date(case, today=today)
    return None if due is None else due.on


def _set_due(case: Case, *, today: date | None = None) -> dict[str, object]:
    """Put the due date and its provisional flag on `case`; the facts for the case log."""
    due = compute_due_date(case, today=today)
    case.due_on = None if due is None else due.on
    case.due_provisional = due is not None and due.provisional
    if due is None or not due.provisional:
        return {"due_on": str(case.due_on)}
    return {"due_on": str(case.due_on), "provisional": True, "rule": due.rule,
            "unloaded_years": list(due.provisional_years)}  # fmt: skip


@transaction.atomic
def recompute_provisional_due_dates(
    *, actor: Staff | None = None, reason: str = ""
) -> list[tuple[Case, date, date]]:
    """Recount every provisional due date on the calendar as it is now (CASE-5), e.g. after a year's
    notice was loaded. Each change is logged on the case with the rule it was counted by; a date
    still over an unloaded year stays provisional. Returns (case, before, after) for the changed ones."""
    changed: list[tuple[Case, date, date]] = []
    for case in Case.objects.select_for_update().filter(due_provisional=True).order_by("pk"):
        before = case.due_on
        facts = _set_due(case)
        case.save(update_fields=["due_on", "due_provisional"])
        if case.due_on != before or not case.due_provisional:
            log_event(
                case=case,
                kind=EventKind.RECOMPUTE_DUE,
                actor=actor,
                reason=reason or "工作日历已加载，重新计算办结期限",
                rule_id="CASE-5",
                data={**facts, "before": str(before),
                      "counted_by": deadlines.PROVISIONAL_RULE if case.due_provisional else "CASE-5 工作日历"},  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner
            )  # fmt: skip
            changed.append((case, before, case.due_on))  # type: ignore[arg-type]  # Optional narrowing left to the domain's owner
    return changed


def _next_number(case: Case, day: date) -> str:
    prefix = f"{day:%Y%m%d}{case.centre_id:03d}"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _refusal_ready(report: RefusalReport, *, at: datetime) -> bool:
    """否定事项报备: issued after the centre acknowledged it or after the waiting time (CASE-7)."""
    if report.acknowledged_at is not None:
        return True
    wait = policies_for(report.case.centre).cases.refusal_report_wait_working_days
    reported = _local(report.reported_at)
    ready_day = centre_calendar().with_provisional_years().add_working_days(reported.date(), wait)
    ready_at = timezone.make_aware(datetime.combine(ready_day, reported.time().replace(tzinfo=None)))
    return at >= ready_at


def _ready_report(case: Case, kind: RefusalKind, *, at: datetime) -> RefusalReport:
    report = case.refusal_reports.filter(kind=kind, issued_at__isnull=True).order_by("-reported_at").first()
    if report is None:
        raise RuleViolation("CASE-7", f"{kind.label}须先进行否定事项报备（登记并报中心）", case=case.number)
    if not _refusal_ready(report, at=at):
        raise RuleViolation(
            "CASE-7", "否定事项报备尚未经中心确认，且未过等待期限，暂不能出具决定书", report_id=report.pk
        )
    return report

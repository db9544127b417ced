"""Store the instants a case's cards fall due (SUP-1, CASE-2, CASE-7) whenever its deadline changes.

The supervision domain reads the case timeline rather than being called by the cases domain, so the
import graph keeps one direction (cases → supervision): every deadline change (acceptance, pause,
resume, extension, conclusion, refusal) writes a `CaseEvent`, and `refresh_changed` recomputes the
schedules of the cases with events after the stored mark. The sweep runs it first, so a card is never
issued from a stale instant; its work follows the number of changed cases, not the open cases.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.cases.calendars import centre_calendar
from servicehall.cases.deadlines import Pause
from servicehall.cases.enums import CaseStatus, RefusalKind
from servicehall.cases.models import Case, CaseEvent
from servicehall.core.audit import record_audit
from servicehall.policy.schema import Policy
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.supervision.models import Card, CardSchedule, CardStatus, Colour, SweepMark, Trigger
from servicehall.supervision.timing import card_timings
from servicehall.workdays.calendar import WorkCalendar, YearNotLoaded

CLOSED_WITHOUT_RESULT = (CaseStatus.REFUSED, CaseStatus.RETURNED)
REFRESH_BATCH = 2000
PLANNED = frozenset(
    {Trigger.DEADLINE, Trigger.NOTICE_LAPSED, Trigger.REFUSAL_UNREPORTED, Trigger.STEP_OVERRUN}
)


@dataclass
class Planned:
    trigger: str
    colour: str
    subject: str
    rule_id: str
    due_date: date | None
    due_at: datetime | None
    evidence: dict[str, Any]
    provisional: bool = False  # counted over a year whose calendar is not loaded (CASE-5)


def local_naive(at: datetime) -> datetime:
    return timezone.localtime(at).replace(tzinfo=None) if timezone.is_aware(at) else at


def aware(at: datetime) -> datetime:
    return timezone.make_aware(at) if timezone.is_naive(at) else at


class PolicyCache:
    """One policy lookup per centre per sweep."""

    def __init__(self) -> None:
        self._by_centre: dict[int, Policy] = {}

    def __call__(self, centre_id: int) -> Policy:
        if centre_id not in self._by_centre:
            self._by_centre[centre_id] = policy_for_centre(centre_id=centre_id)
        return self._by_centre[centre_id]


def notice_lapse_instant(
    registered_at: datetime, limit: int, calendar: WorkCalendar
) -> tuple[date, datetime]:
    """The last day for the one-time notice (CASE-2) and 00:00 of the day after it: from then the
    application counts as accepted (逾期不告知的，自收到申请材料之日起即为受理)."""
    last = calendar.add_working_days(local_naive(registered_at).date(), limit)
    return last, datetime.combine(last + timedelta(days=1), time(0, 0))


PROVISIONAL_NOTE = "所跨年份的工作日历尚未加载，按周一至周五计算（1月1日休息），加载后重算"


def _mark_provisional(plan: Planned, first: date, strict: WorkCalendar) -> Planned:
    """Mark a plan counted over a year that is not loaded (CASE-5): its card is provisional too."""
    last = max(filter(None, (plan.due_date, plan.due_at and local_naive(plan.due_at).date(), first)))
    unloaded = strict.provisional_years_between(first, last)
    if unloaded:
        plan.provisional = True
        plan.evidence = {**plan.evidence, "provisional": PROVISIONAL_NOTE, "unloaded_years": list(unloaded)}
    return plan


def plan_case(case: Case, policy: Policy, calendar: WorkCalendar) -> list[Planned]:
    """The cards this case may get, with their instants; `due_at` None while paused (SUP-1).

    A deadline that runs into a year whose calendar is not loaded is counted as the case's provisional due
    date is (weekdays only, 1 January off) and its cards are marked provisional (CASE-5)."""
    strict, calendar = calendar, calendar.with_provisional_years()
    return [_mark_provisional(plan, first, strict) for plan, first in _plan_case(case, policy, calendar)]


def _plan_case(case: Case, policy: Policy, calendar: WorkCalendar) -> list[tuple[Planned, date]]:
    """The plans with the first day each was counted from."""
    sup = policy.supervision
    triggers = set(sup.card_triggers)
    planned: list[tuple[Planned, date]] = []
    if case.accepted_at is not None and case.status not in CLOSED_WITHOUT_RESULT:
        accepted_on = local_naive(case.accepted_at).date()
        pauses = list(case.pauses.all())
        open_pause = any(p.ends_on is None for p in pauses)
        closed = [Pause(p.starts_on, p.ends_on) for p in pauses if p.ends_on is not None]
        extension = sum(e.working_days for e in case.extensions.all())
        for timing in card_timings(
            accepted_at=local_naive(case.accepted_at),
            limit_days=case.limit_days,
            pauses=closed,
            extension_days=extension,
            calendar=calendar,
            closing=policy.cases.closing_time,
            yellow_lead_working_days=sup.yellow_card_lead_working_days,
            red_after_due_working_days=sup.red_card_after_due_working_days,
        ):
            evidence = dict(timing.used)
            if open_pause:
                evidence["paused"] = "计时暂停中，恢复计时后重新计算"
            planned.append(
                (
                    Planned(
                        Trigger.DEADLINE,
                        timing.colour,
                        "",
                        timing.rule_id,
                        timing.due_date,
                        None if open_pause else aware(timing.due_at),
                        evidence,
                    ),
                    accepted_on,
                )
            )
    if "notice_lapsed" in triggers and case.status == CaseStatus.REGISTERED and not case.notices.all():
        limit = policy.cases.notice_deadline_working_days
        last, instant = notice_lapse_instant(case.registered_at, limit, calendar)
        registered_on = local_naive(case.registered_at).date()
        planned.append(
            (
                Planned(
                    Trigger.NOTICE_LAPSED,
                    Colour.RED,
                    "",
                    "CASE-2",
                    last,
                    aware(instant),
                    {
                        "registered_at": f"{local_naive(case.registered_at):%Y-%m-%d %H:%M}",
                        "notice_deadline_working_days": limit,
                        "last_notice_day": last.isoformat(),
                    },
                ),
                registered_on,
            )
        )
    if "step_overrun" in triggers and case.accepted_at is not None:
        planned.extend(_plan_steps(case, sup.step_limit_share_percent, calendar))
    if "refusal_unreported" in triggers:
        limit = sup.refusal_report_working_days
        registered = local_naive(case.registered_at).date()
        last = calendar.add_working_days(registered, limit)
        for report in case.refusal_reports.all():
            if report.kind == RefusalKind.NOT_ACCEPTED and local_naive(report.reported_at).date() > last:
                planned.append(
                    (
                        Planned(
                            Trigger.REFUSAL_UNREPORTED,
                            Colour.YELLOW,
                            f"report:{report.pk}",
                            "CASE-7",
                            last,
                            report.reported_at,
                            {
                                "registered_at": f"{local_naive(case.registered_at):%Y-%m-%d %H:%M}",
                                "refusal_report_working_days": limit,
                                "last_report_day": last.isoformat(),
                                "reported_at": f"{local_naive(report.reported_at):%Y-%m-%d %H:%M}",
                            },
                        ),
                        registered,
                    )
                )
    return planned


def _plan_steps(case: Case, share_percent: int, calendar: WorkCalendar) -> list[tuple[Planned, date]]:
    """A unit step (办理环节) that is still open, or closed late, at 00:00 after its own limit: its share of
    the promised working days counted from the start of handling (SUP-2). Paused days are not excluded."""
    started = next((e.at for e in case.events.all() if e.action == "start"), None)
    if started is None:
        return []
    limit = max(1, math.ceil(case.limit_days * share_percent / 100))
    last = calendar.add_working_days(local_naive(started).date(), limit)
    instant = aware(datetime.combine(last + timedelta(days=1), time(0, 0)))
    out = []
    for step in case.steps.all():
        if step.done_at is not None and step.done_at < instant:
            continue
        out.append(
            (
                Planned(
                    Trigger.STEP_OVERRUN,
                    Colour.YELLOW,
                    f"step:{step.pk}",
                    "SUP-2",
                    last,
                    instant,
                    {
                        "step": step.name,
                        "step_id": step.pk,
                        "unit_id": step.unit_id,
                        "started_at": f"{local_naive(started):%Y-%m-%d %H:%M}",
                        "step_limit_share_percent": share_percent,
                        "step_limit_working_days": limit,
                        "step_last_day": last.isoformat(),
                    },
                ),
                local_naive(started).date(),
            )
        )
    return out


@transaction.atomic
def refresh_case_schedules(
    *, case: Case, policy: Policy, calendar: WorkCalendar, actor: Any = None, reason: str = ""
) -> int:
    """Bring the pending schedules of one case in line with its current deadline; issued ones stay,
    except those counted provisionally (CASE-5): they and their cards are recounted (`_recount_issued`)."""
    try:
        planned = plan_case(case, policy, calendar)
    except YearNotLoaded:
        # The deadline cannot be counted until the year is loaded; nothing becomes due meanwhile.
        planned = []
    existing = {(s.trigger, s.colour, s.subject): s for s in case.card_schedules.all()}
    changed = 0
    wanted = set()
    for plan in planned:
        key = (plan.trigger, plan.colour, plan.subject)
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            CardSchedule.objects.create(
                case=case,
                trigger=plan.trigger,
                colour=plan.colour,
                subject=plan.subject,
                rule_id=plan.rule_id,
                due_date=plan.due_date,
                due_at=plan.due_at,
                evidence=plan.evidence,
                policy_ref=policy.ref,
                provisional=plan.provisional,
            )
            changed += 1
        elif (not row.issued or row.provisional) and (
            row.due_at,
            row.due_date,
            row.evidence,
            row.provisional,
        ) != (plan.due_at, plan.due_date, plan.evidence, plan.provisional):
            row.due_at, row.due_date, row.evidence, row.policy_ref, row.provisional = (
                plan.due_at,
                plan.due_date,
                plan.evidence,
                policy.ref,
                plan.provisional,
            )
            row.save(update_fields=["due_at", "due_date", "evidence", "policy_ref", "provisional"])
            if row.issued:
                _recount_issued(row, actor=actor, reason=reason)
            changed += 1
    # Only the triggers planned from the case's dates are recomputed; a fee card is scheduled by its charge.
    stale = [
        s.pk for key, s in existing.items() if key not in wanted and not s.issued and s.trigger in PLANNED
    ]
    if stale:
        CardSchedule.objects.filter(pk__in=stale).delete()
        changed += len(stale)
    return changed


def _recount_issued(row: CardSchedule, *, actor: Any, reason: str) -> None:
    """A card already raised from a provisional count follows its recount (CASE-5, SUP-1): it takes the new
    dates; if the recounted instant lies after the moment it was raised, it was raised too early and is
    withdrawn (it stops counting against staff, window and unit). Audited either way."""
    card = (
        Card.objects.select_for_update()
        .filter(case_id=row.case_id, trigger=row.trigger, colour=row.colour, subject=row.subject)
        .first()
    )
    if card is None:
        return
    before = {
        "due_date": str(card.due_date),
        "due_at": card.due_at.isoformat(),
        "provisional": card.provisional,
        "status": card.status,
    }
    card.due_date, card.evidence, card.provisional = row.due_date, row.evidence, row.provisional
    if row.due_at is not None:
        card.due_at = row.due_at
    fields = ["due_date", "due_at", "evidence", "provisional"]
    early = row.due_at is not None and row.due_at > card.raised_at
    if early and card.status not in (CardStatus.WITHDRAWN, CardStatus.UPHELD):
        card.status = CardStatus.WITHDRAWN
        card.decided_at = timezone.now()
        card.decision_note = f"工作日历加载后重新计算，应亮牌时间为 {timezone.localtime(row.due_at):%Y-%m-%d %H:%M}，亮牌时尚未到期，予以撤销"
        fields += ["status", "decided_at", "decision_note"]
    card.save(update_fields=fields)
    record_audit(
        actor=actor,
        verb="supervision.card.recount",
        target=card,
        reason=reason or "工作日历已加载，重新计算暂定监察牌",
        data={"rule": "CASE-5", "withdrawn": card.status == CardStatus.WITHDRAWN and early},
        before=before,
        after={
            "due_date": str(card.due_date),
            "due_at": card.due_at.isoformat(),
            "provisional": card.provisional,
            "status": card.status,
        },
    )


def refresh_cases(
    case_ids: Iterable[int], *, policies: PolicyCache | None = None, actor: Any = None, reason: str = ""
) -> int:
    policies = policies or PolicyCache()
    calendar = centre_calendar()
    changed = 0
    ids = list(case_ids)
    for start in range(0, len(ids), REFRESH_BATCH):
        cases = Case.objects.filter(pk__in=ids[start : start + REFRESH_BATCH]).prefetch_related(
            "pauses", "extensions", "card_schedules", "refusal_reports", "notices", "steps", "events"
        )
        for case in cases:
            changed += refresh_case_schedules(
                case=case, policy=policies(case.centre_id), calendar=calendar, actor=actor, reason=reason
            )
    return changed


@transaction.atomic
def refresh_changed(*, policies: PolicyCache | None = None) -> int:
    """Recompute the schedules of every case with timeline events after the mark, then move the mark.

    The mark row is locked, so two sweeps at once refresh one after the other.
    """
    mark, _ = SweepMark.objects.get_or_create(name="cases")
    mark = SweepMark.objects.select_for_update().get(pk=mark.pk)
    events = CaseEvent.objects.filter(pk__gt=mark.last_event_id)
    last = events.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        return 0
    case_ids = set(events.filter(pk__lte=last).values_list("case_id", flat=True))
    refresh_cases(case_ids, policies=policies)
    mark.last_event_id = last
    mark.save(update_fields=["last_event_id"])
    return len(case_ids)


@transaction.atomic
def recount_provisional_schedules(*, actor: Any = None, reason: str = "") -> int:
    """Recount every card schedule counted provisionally, pending or issued, on the calendar as it is now
    (CASE-5), e.g. right after a year's notice was loaded with the cases' provisional due dates. Returns
    the number of cases recounted."""
    case_ids = set(CardSchedule.objects.filter(provisional=True).values_list("case_id", flat=True))
    refresh_cases(sorted(case_ids), actor=actor, reason=reason)
    return len(case_ids)

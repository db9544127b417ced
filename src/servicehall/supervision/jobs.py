"""The card sweep (电子监察巡检, SUP-1): issue every card whose instant has passed, once.

Run from a scheduler (systemd timer or the task worker; docs/supervision.md). Each batch locks its
pending schedule rows with SKIP LOCKED, so two sweeps at once take different rows; the unique
constraint on `Card` is the last guard. A batch writes its cards, notifications and audit rows with one
bulk insert each, so a sweep's work follows the number of cards due, not the number of open cases.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from servicehall.cases.calendars import centre_calendar
from servicehall.cases.enums import CaseStatus
from servicehall.cases.services import deem_accepted
from servicehall.core.models import AuditEntry
from servicehall.core.roles import Role
from servicehall.notifications.models import StaffNotification
from servicehall.org.models import Staff, Unit
from servicehall.supervision.models import Card, CardSchedule, Colour, Trigger
from servicehall.supervision.scheduling import PolicyCache, refresh_cases, refresh_changed
from servicehall.workdays.calendar import WorkCalendar, YearNotLoaded

DROPPED_STATUSES = (CaseStatus.REFUSED, CaseStatus.RETURNED)


def card_text(card: Card, case_number: str) -> str:
    colour = "红牌" if card.colour == Colour.RED else "黄牌"
    return (
        f"办件 {case_number} 亮{colour}：{Trigger(card.trigger).label}，请在 {card.reply_due_on} 前书面回复"
    )


def _reply_due(raised: datetime, days: int, calendar: WorkCalendar):
    try:
        return calendar.add_working_days(timezone.localtime(raised).date(), days)
    except YearNotLoaded:
        return None


def issue_batch(
    *, at: datetime, batch: int, policies: PolicyCache, calendar: WorkCalendar
) -> tuple[int, int]:
    """Issue up to `batch` due cards in one transaction; returns (cards issued, schedules settled)."""
    with transaction.atomic():
        qs = CardSchedule.objects.filter(issued=False, due_at__lte=at).order_by("due_at")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        rows = list(qs.select_related("case", "case__item", "case__item__unit", "case__responsible")[:batch])
        if not rows:
            return 0, 0
        deemed: list[int] = []
        cards: list[Card] = []
        dropped: list[int] = []
        for row in rows:
            case = row.case
            concluded_before = case.concluded_at is not None and case.concluded_at < row.due_at
            if (case.status in DROPPED_STATUSES and row.trigger == Trigger.DEADLINE) or concluded_before:
                dropped.append(row.pk)  # on time, or refused/returned: no card (SUP-1 strict "before")
                continue
            if row.trigger == Trigger.NOTICE_LAPSED:
                if case.status != CaseStatus.REGISTERED or case.notices.exists():
                    dropped.append(row.pk)
                    continue
                deemed.append(case.pk)
            policy = policies(case.centre_id)
            cards.append(
                Card(
                    centre_id=case.centre_id,
                    case_id=case.pk,
                    unit_id=case.item.unit_id,
                    window_id=case.window_id,
                    responsible_id=case.responsible_id,
                    trigger=row.trigger,
                    colour=row.colour,
                    subject=row.subject,
                    rule_id=row.rule_id,
                    policy_ref=row.policy_ref,
                    due_date=row.due_date,
                    due_at=row.due_at,
                    raised_at=at,
                    evidence=row.evidence,
                    provisional=row.provisional,
                    reply_due_on=_reply_due(at, policy.supervision.card_reply_working_days, calendar),
                )
            )
        for case_id in deemed:
            deem_accepted(case_id=case_id, at=at)  # CASE-2: logged transition; the clock starts
        try:
            with transaction.atomic():
                created = Card.objects.bulk_create(cards)
        except IntegrityError:
            # Another writer raced us past the row locks (e.g. SQLite): keep only the cards still missing.
            created = []
            for card in cards:
                with transaction.atomic():
                    obj, made = Card.objects.get_or_create(
                        case_id=card.case_id,
                        trigger=card.trigger,
                        colour=card.colour,
                        subject=card.subject,
                        defaults={
                            f.attname: getattr(card, f.attname)
                            for f in Card._meta.concrete_fields
                            if not f.primary_key
                        },
                    )
                if made:
                    created.append(obj)
        _notify_and_audit(created, rows)
        CardSchedule.objects.filter(pk__in=[r.pk for r in rows if r.pk not in dropped]).update(issued=True)
        if dropped:
            CardSchedule.objects.filter(pk__in=dropped).delete()
        if deemed:
            refresh_cases(deemed, policies=policies)
        return len(created), len(rows)


def chief_reps(unit_ids: set[int]) -> dict[int, set[int]]:
    """The chief representatives (首席代表) of each unit: the unit's named one and staff in that role."""
    out: dict[int, set[int]] = {u: set() for u in unit_ids}
    for unit_id, chief_id in Unit.objects.filter(pk__in=unit_ids, chief_rep__isnull=False).values_list(
        "pk", "chief_rep_id"
    ):
        out[unit_id].add(chief_id)
    for unit_id, staff_id in Staff.objects.filter(
        unit_id__in=unit_ids, role=Role.CHIEF_REP, is_active=True
    ).values_list("unit_id", "pk"):
        out[unit_id].add(staff_id)
    return out


def _notify_and_audit(cards: list[Card], rows: list[CardSchedule]) -> None:
    numbers = {r.case_id: r.case.number for r in rows}
    chiefs = chief_reps({r.case.item.unit_id for r in rows})
    notes: list[StaffNotification] = []
    audits: list[AuditEntry] = []
    for card in cards:
        text = card_text(card, numbers.get(card.case_id, str(card.case_id)))
        link = f"/supervision/cards/{card.pk}/"
        for recipient in sorted(({card.responsible_id} | chiefs.get(card.unit_id, set())) - {None}):
            notes.append(
                StaffNotification(
                    centre_id=card.centre_id,
                    recipient_id=recipient,
                    kind="supervision.card",
                    text=text[:300],
                    link=link,
                    rule_id=card.rule_id,
                    created_at=card.raised_at,
                )
            )
        audits.append(
            AuditEntry(
                centre_id=card.centre_id,
                verb="supervision.card.raise",
                target_type="supervision.card",
                target_id=str(card.pk),
                data={
                    "rule": card.rule_id,
                    "colour": card.colour,
                    "trigger": card.trigger,
                    "case": card.case_id,
                    "due_at": card.due_at.isoformat(),
                    "policy": card.policy_ref,
                },
            )
        )
    StaffNotification.objects.bulk_create(notes)
    AuditEntry.objects.bulk_create(audits)


def run_sweep(*, at: datetime | None = None, batch: int = 10_000) -> dict[str, Any]:
    """Refresh schedules changed since the last sweep, then issue every due card in batches."""
    at = at or timezone.now()
    policies = PolicyCache()
    refreshed = refresh_changed(policies=policies)
    calendar = centre_calendar()
    issued = settled = 0
    while True:
        made, seen = issue_batch(at=at, batch=batch, policies=policies, calendar=calendar)
        issued += made
        settled += seen
        if seen == 0:  # a deemed acceptance may have made new cards due at once: go round until empty
            break
    return {
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "refreshed_cases": refreshed,
        "issued": issued,
        "settled": settled,
    }

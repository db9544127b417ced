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
from servicehall.cases.models import OneTimeNotice, UnitStep
from servicehall.cases.services import deem_accepted
from servicehall.core.models import AuditEntry
from servicehall.core.roles import Role
from servicehall.core.tasks import task
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


FIELDS = (
    "pk", "case_id", "trigger", "colour", "subject", "rule_id", "due_date", "due_at", "evidence", "policy_ref",
    "provisional", "case__centre_id", "case__number", "case__status", "case__concluded_at", "case__window_id",
    "case__responsible_id", "case__item__unit_id",
)  # fmt: skip


def issue_batch(
    *, at: datetime, batch: int, policies: PolicyCache, calendar: WorkCalendar
) -> tuple[int, int, bool]:
    """Issue up to `batch` due cards in one transaction; returns (cards issued, schedules settled, more?).

    "More" when the batch was full, or a deemed acceptance may have made its deadline cards due at once.
    Rows are read as plain values (no model instances) because a sweep may carry tens of thousands.
    """
    with transaction.atomic():
        qs = CardSchedule.objects.filter(issued=False, due_at__lte=at).order_by("due_at")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        rows = [dict(zip(FIELDS, r, strict=True)) for r in qs.values_list(*FIELDS)[:batch]]
        if not rows:
            return 0, 0, False
        deemed: list[int] = []
        cards: list[Card] = []
        dropped: set[int] = set()
        reply_due: dict[int, Any] = {}
        for row in rows:
            due_at, trigger = row["due_at"], row["trigger"]
            concluded = row["case__concluded_at"]
            refused = row["case__status"] in DROPPED_STATUSES and trigger == Trigger.DEADLINE
            if refused or (concluded is not None and concluded < due_at):
                dropped.add(row["pk"])  # on time, or refused/returned: no card (SUP-1 strict "before")
                continue
            if trigger == Trigger.NOTICE_LAPSED:
                if (
                    row["case__status"] != CaseStatus.REGISTERED
                    or OneTimeNotice.objects.filter(case_id=row["case_id"]).exists()
                ):
                    dropped.add(row["pk"])
                    continue
                deemed.append(row["case_id"])
            if trigger == Trigger.STEP_OVERRUN:
                done = (
                    UnitStep.objects.filter(pk=row["evidence"].get("step_id"))
                    .values_list("done_at", flat=True)
                    .first()
                )
                if done is not None and done < due_at:
                    dropped.add(row["pk"])
                    continue
            centre_id = row["case__centre_id"]
            if centre_id not in reply_due:
                days = policies(centre_id).supervision.card_reply_working_days
                reply_due[centre_id] = _reply_due(at, days, calendar)
            cards.append(
                Card(
                    centre_id=centre_id,
                    case_id=row["case_id"],
                    unit_id=row["evidence"].get("unit_id") or row["case__item__unit_id"],
                    step_id=row["evidence"].get("step_id"),
                    window_id=row["case__window_id"],
                    responsible_id=row["case__responsible_id"],
                    trigger=trigger,
                    colour=row["colour"],
                    subject=row["subject"],
                    rule_id=row["rule_id"],
                    policy_ref=row["policy_ref"],
                    due_date=row["due_date"],
                    due_at=due_at,
                    raised_at=at,
                    evidence=row["evidence"],
                    provisional=row["provisional"],
                    reply_due_on=reply_due[centre_id],
                )
            )
        for case_id in deemed:
            deem_accepted(case_id=case_id, at=at)  # CASE-2: logged transition; the clock starts
        try:
            with transaction.atomic():
                created = _insert_cards(cards, at)
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
        _notify_and_audit(created, {r["case_id"]: r["case__number"] for r in rows})
        CardSchedule.objects.filter(pk__in=[r["pk"] for r in rows if r["pk"] not in dropped]).update(
            issued=True
        )
        if dropped:
            CardSchedule.objects.filter(pk__in=dropped).delete()
        if deemed:
            refresh_cases(deemed, policies=policies)
        return len(created), len(rows), bool(deemed) or len(rows) == batch


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


def _insert_many(model: type, columns: list[str], rows: list[tuple]) -> None:
    """One prepared INSERT run over all rows (executemany). The sweep's hot path writes tens of
    thousands of rows whose values it built itself, so it skips the ORM's per-value preparation; the
    column names come from the model, so the statement follows its migrations."""
    if not rows:
        return
    qn = connection.ops.quote_name
    names = {f.attname: f.column for f in model._meta.concrete_fields}  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(names[c]) for c in columns)})"  # type: ignore[attr-defined]  # Optional narrowing left to the domain's owner
        f" VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _insert_cards(cards: list[Card], at: datetime) -> list[Card]:
    """Insert the cards and read back their ids by the unique key (case, trigger, colour, subject)."""
    ops = connection.ops
    raised = ops.adapt_datetimefield_value(at)
    columns = ["centre_id", "case_id", "unit_id", "step_id", "window_id", "responsible_id", "trigger", "colour",
               "subject", "rule_id", "policy_ref", "due_date", "due_at", "raised_at", "evidence", "provisional",
               "status", "reply_due_on", "reply", "appeal", "decision_note"]  # fmt: skip
    _insert_many(
        Card,
        columns,
        [
            (
                c.centre_id,
                c.case_id,
                c.unit_id,
                c.step_id,
                c.window_id,
                c.responsible_id,
                c.trigger,
                c.colour,
                c.subject,
                c.rule_id,
                c.policy_ref,
                ops.adapt_datefield_value(c.due_date),
                ops.adapt_datetimefield_value(c.due_at),
                raised,
                ops.adapt_json_value(c.evidence, None),
                c.provisional,
                c.status,
                ops.adapt_datefield_value(c.reply_due_on),
                "",
                "",
                "",
            )
            for c in cards
        ],
    )
    by_key = {(c.case_id, c.trigger, c.colour, c.subject): c for c in cards}
    case_ids = sorted({c.case_id for c in cards})
    for start in range(0, len(case_ids), 500):
        for pk, case_id, trigger, colour, subject in Card.objects.filter(
            raised_at=at, case_id__in=case_ids[start : start + 500]
        ).values_list("pk", "case_id", "trigger", "colour", "subject"):
            card = by_key.get((case_id, trigger, colour, subject))
            if card is not None:
                card.pk = pk
    return [c for c in cards if c.pk is not None]


def _notify_and_audit(cards: list[Card], numbers: dict[int, str]) -> None:
    ops = connection.ops
    chiefs = chief_reps({card.unit_id for card in cards})
    notes: list[tuple] = []
    audits: list[tuple] = []
    logged = ops.adapt_datetimefield_value(timezone.now())
    empty = ops.adapt_json_value({}, None)
    for card in cards:
        raised = ops.adapt_datetimefield_value(card.raised_at)
        text = card_text(card, numbers.get(card.case_id, str(card.case_id)))[:300]
        link = f"/supervision/cards/{card.pk}/"
        for recipient in sorted(({card.responsible_id} | chiefs.get(card.unit_id, set())) - {None}):  # type: ignore[type-var]  # Optional narrowing left to the domain's owner
            notes.append((card.centre_id, recipient, "supervision.card", text, link, card.rule_id, raised))
        data = {
            "rule": card.rule_id,
            "colour": card.colour,
            "trigger": card.trigger,
            "case": card.case_id,
            "due_at": card.due_at.isoformat(),
            "policy": card.policy_ref,
        }
        audits.append(
            (logged, "系统", "", card.centre_id, "supervision.card.raise", "supervision.card", str(card.pk), "",
             ops.adapt_json_value(data, None), empty, empty, "", "")
        )  # fmt: skip
    _insert_many(
        StaffNotification,
        ["centre_id", "recipient_id", "kind", "text", "link", "rule_id", "created_at"],
        notes,
    )
    # every column of an audit row, as `core.audit.record_audit` writes it for the system actor (CASE-9)
    _insert_many(
        AuditEntry,
        ["at", "actor_name", "actor_role", "centre_id", "verb", "target_type", "target_id", "reason", "data",
         "before", "after", "request_id", "ip"],
        audits,
    )  # fmt: skip


def run_sweep(*, at: datetime | None = None, batch: int = 10_000) -> dict[str, Any]:
    """Refresh schedules changed since the last sweep, then issue every due card in batches."""
    at = at or timezone.now()
    policies = PolicyCache()
    refreshed = refresh_changed(policies=policies)
    calendar = centre_calendar()
    issued = settled = 0
    while True:
        made, seen, more = issue_batch(at=at, batch=batch, policies=policies, calendar=calendar)
        issued += made
        settled += seen
        if not more:
            break
    return {
        "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "refreshed_cases": refreshed,
        "issued": issued,
        "settled": settled,
    }


@task("supervision.sweep")
def sweep_task() -> dict[str, Any]:
    """The sweep as a queued task: the worker's beat schedule runs it (or `sweep_task.delay()`)."""
    return run_sweep()

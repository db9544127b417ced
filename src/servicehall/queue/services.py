"""Queue writes (排队叫号): issue, call, recall, skip, transfer, finish, pause; appointments (Q-1..Q-4, ORG-6).

Concurrency contract:
- a number is taken with one `INSERT ... ON CONFLICT (line, day) DO UPDATE SET last = last + 1
  RETURNING last` on the line's counter row for the day (the row lock is held to the end of the
  transaction), and `(line, day, seq)` is unique, so numbers are never duplicated;
- `call_next` locks the window's state row (one call per window at a time), then claims a ticket
  with one `UPDATE ... WHERE id = (SELECT ... WHERE status = 'waiting' ... FOR UPDATE SKIP LOCKED)`,
  so two windows never get the same ticket. SQLite has no row locks: there every write transaction
  starts IMMEDIATE (settings), which serialises writers for the same guarantee; inside one process
  `@queue_write` also queues writers on a lock first, so 50 concurrent requests do not poll SQLite's
  busy timeout.

Hot path: validation, the policy (cached per centre and day) and the wait estimate printed on the slip
are read before the write lock; the locked part only writes (see docs/benchmarks.md, "the queue's hot
path", for the statement counts that `tests/test_query_counts.py` holds).
"""

from __future__ import annotations

import secrets
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import partial, wraps
from typing import Any, TypeVar, cast

from django.db import connection, transaction
from django.utils import timezone

from servicehall.cases.selectors import case_exists
from servicehall.catalog.models import Item
from servicehall.core import access, bus, rawsql
from servicehall.core.audit import record_audit, record_audit_many
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.identity import validate_phone
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.org import services as org_services
from servicehall.org.models import Staff, Window
from servicehall.policy.sections.queue import QueuePolicy
from servicehall.queue import rules
from servicehall.queue.config import queue_policy
from servicehall.queue.errors import NeedsStaffConfirmation, NoTicketInHand, SlotFull, WindowPaused
from servicehall.queue.models import (
    Appointment,
    LineDayCounter,
    LineWindow,
    QueueEvent,
    ServiceLine,
    Ticket,
    WindowState,
)
from servicehall.queue.rules import announcement, slot_starts
from servicehall.queue.selectors import event_payload, pause_sign, wait_at_issue

CANDIDATES_PER_LINE_AND_CLASS = 8
CLAIM_ROUNDS = 4
RUNNING_COUNTER_DAY = date(2000, 1, 1)  # counter key when numbers do not reset daily (policy daily_reset off)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone


F = TypeVar("F", bound=Callable[..., Any])
_SQLITE_WRITE_LOCK = threading.RLock()


@contextmanager
def queue_transaction() -> Iterator[None]:
    """`transaction.atomic`, preceded on SQLite by a process-wide lock (SQLite has one writer at a time)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with _SQLITE_WRITE_LOCK, transaction.atomic():
            yield
    else:
        with transaction.atomic():
            yield


def queue_write(fn: F) -> F:
    """Run `fn` in a `queue_transaction`."""

    @wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        with queue_transaction():
            return fn(*args, **kwargs)

    return inner  # type: ignore[return-value]


# -- helpers --------------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _local_day(now: datetime) -> date:
    return timezone.localtime(now).date()


def _staff(actor: Any) -> Staff | None:
    if actor is None or isinstance(actor, Staff):
        return actor
    return staff_of(actor)


def _role(actor: Any) -> str | None:
    if isinstance(actor, Staff):
        return actor.role
    return role_of(actor) if actor is not None else None


def ensure_can_operate(actor: Any, window: Window) -> Staff | None:
    """The access matrix cell ("queue", "serve"): the centre office of the window's own centre, or staff
    of the window's unit (ORG-1). Returns the operator's Staff record (None for the system)."""
    target = access.Target.of(centre_id=window.centre_id, unit_ids=[window.unit_id], window_ids=[window.pk])
    if not access.allows(actor, "queue", "serve", target):
        raise Forbidden("您无权操作该窗口", window=window.number)
    return _staff(actor)


def ticket_target(ticket: Ticket) -> access.Target:
    """A ticket belongs to its centre and to the units and windows of its line (Q-1)."""
    line = ticket.line
    windows = list(line.windows.values_list("pk", "unit_id")) if line is not None else []
    units = set(line.items.values_list("unit_id", flat=True)) if line is not None else set()
    return access.Target.of(
        centre_id=ticket.centre_id,
        unit_ids=units | {u for _, u in windows},
        window_ids=[pk for pk, _ in windows],
    )


def _is_staff(actor: Any) -> bool:
    return _role(actor) in {Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.CHIEF_REP, Role.WINDOW_STAFF}


def event_channel(centre_id: int) -> str:
    """The live-event channel the centre's hall displays listen on (core.bus)."""
    return f"queue.{centre_id}"


def _event(
    kind: str, *, centre_id: int, ticket: Ticket | None = None, window: Window | None = None, **data: Any
) -> QueueEvent:
    event = QueueEvent(centre_id=centre_id, kind=kind, ticket=ticket, window=window, data=data)
    _save_events([event])
    return event


def _save_events(events: Sequence[QueueEvent]) -> None:
    """Insert `events` in one statement; displays hear of each only once it is committed (a rolled-back
    call is never announced), in order."""
    if not events:
        return
    rawsql.insert(events)
    for event in events:
        payload = event_payload(event)
        transaction.on_commit(partial(bus.publish, event_channel(event.centre_id), payload))


def _ticket_event_of(kind: str, *, ticket: Ticket, window: Window, **data: Any) -> QueueEvent:
    """An event (not yet saved) about `ticket` at `window`, naming both numbers for the display."""
    return QueueEvent(
        centre_id=window.centre_id,
        kind=kind,
        ticket=ticket,
        window=window,
        data={"number": ticket.number, "window_number": window.number, **data},
    )


def _ticket_event(kind: str, *, ticket: Ticket, window: Window, **data: Any) -> QueueEvent:
    """An event about `ticket` at `window`, naming both numbers for the display."""
    event = _ticket_event_of(kind, ticket=ticket, window=window, **data)
    _save_events([event])
    return event


def _announced_event_of(
    kind: str, *, policy: QueuePolicy, ticket: Ticket, window: Window, **data: Any
) -> QueueEvent:
    """A call or recall event (not yet saved): it carries the sentence the display shows and speaks
    `announce_times` times."""
    return _ticket_event_of(
        kind,
        ticket=ticket,
        window=window,
        text=announcement(policy, number=ticket.number, window_number=window.number),
        repeat=policy.announce_times,
        **data,
    )


def _announced_event(
    kind: str, *, policy: QueuePolicy, ticket: Ticket, window: Window, **data: Any
) -> QueueEvent:
    """A call or recall event: it carries the sentence the display shows and speaks `announce_times` times."""
    event = _announced_event_of(kind, policy=policy, ticket=ticket, window=window, **data)
    _save_events([event])
    return event


def _window(window_id: int) -> Window:
    try:
        return Window.objects.select_related("centre").get(pk=window_id)
    except Window.DoesNotExist:
        raise NotFound(f"窗口 {window_id} 不存在", window_id=window_id) from None


# -- tickets (Q-1, Q-2) -----------------------------------------------------------------------------------


def _line_for(
    *, centre_id: int | None, line_id: int | None, item_ids: Sequence[int]
) -> tuple[ServiceLine, list[Item]]:
    """The line a ticket is taken on and its items, in one query when the request is valid (the kiosk's
    case); a request that is refused is explained by `_refuse_line_for`, which names the first problem."""
    if not item_ids:
        if line_id is None:
            raise InputError("item_ids", "请选择要办理的事项或业务队列")
        line = ServiceLine.objects.filter(pk=line_id, is_active=True).order_by().first()
        if line is None:
            raise InputError("line_id", f"业务队列 {line_id} 不存在或未启用")
        _ensure_centre(line, centre_id)
        return line, []
    # every (active line, published item) pair among the requested items, both read by the one join
    unique = list(dict.fromkeys(item_ids))
    params = [*unique, Item.Status.PUBLISHED.value, rawsql.to_db(ServiceLine, "is_active", True)]
    if line_id is not None:
        params.append(line_id)
    with connection.cursor() as cursor:
        cursor.execute(_line_items_sql(len(unique), line_id is not None), params)
        rows = cursor.fetchall()
    served: dict[int, dict[int, Item]] = defaultdict(dict)
    lines: dict[int, ServiceLine] = {}
    for row in rows:
        line_row, item_row = rawsql.split(row, ServiceLine, Item)
        if row[0] not in lines:
            lines[row[0]] = rawsql.load(ServiceLine, line_row)
        item = rawsql.load(Item, item_row)
        served[row[0]][item.pk] = item
    if line_id is None:
        # the first line (by position) that serves the first item; every other item must be served there
        firsts = [lines[pk] for pk, found in served.items() if item_ids[0] in found]
        line = min(firsts, key=lambda ln: (ln.position, ln.pk), default=None)
    else:
        line = lines.get(line_id)
    if line is None or any(i not in served[line.pk] for i in item_ids):
        return _refuse_line_for(centre_id=centre_id, line_id=line_id, item_ids=item_ids)
    _ensure_centre(line, centre_id)
    return line, [served[line.pk][i] for i in item_ids]


@rawsql.statement
def _line_items_sql(items: int, one_line: bool) -> str:
    """Active lines with the published items among `items` they serve, each row a line's columns then an
    item's (the kiosk's request, checked in one statement)."""
    link = ServiceLine.items.through
    li, l_col, i_col = (
        partial(rawsql.column, link),
        partial(rawsql.column, ServiceLine),
        partial(rawsql.column, Item),
    )
    return (
        f"SELECT {rawsql.columns(ServiceLine, 'l')}, {rawsql.columns(Item, 'i')} FROM {rawsql.table(link)} li "
        f"JOIN {rawsql.table(ServiceLine)} l ON l.{l_col('id')} = li.{li('serviceline')} "
        f"JOIN {rawsql.table(Item)} i ON i.{i_col('id')} = li.{li('item')} "
        f"WHERE li.{li('item')} IN ({', '.join(['%s'] * items)}) AND i.{i_col('status')} = %s "
        f"AND l.{l_col('is_active')} = %s" + (f" AND l.{l_col('id')} = %s" if one_line else "")
    )


def _ensure_centre(line: ServiceLine, centre_id: int | None) -> None:
    if centre_id is not None and line.centre_id != centre_id:
        raise InputError("line_id", "该业务队列不属于本服务中心")


def _refuse_line_for(
    *, centre_id: int | None, line_id: int | None, item_ids: Sequence[int]
) -> tuple[ServiceLine, list[Item]]:
    """Check a refused request step by step and raise the error for its first problem (Q-1, ASK-1)."""
    found = {i.pk: i for i in Item.objects.filter(pk__in=item_ids, status=Item.Status.PUBLISHED)}
    missing = [i for i in item_ids if i not in found]
    if missing:
        raise InputError("item_ids", f"事项不存在或未公开：{missing}", missing=str(missing))
    items = [found[i] for i in item_ids]
    if line_id is not None:
        line = ServiceLine.objects.filter(pk=line_id, is_active=True).first()
        if line is None:
            raise InputError("line_id", f"业务队列 {line_id} 不存在或未启用")
    else:
        line = ServiceLine.objects.filter(is_active=True, items=items[0]).order_by("position", "id").first()
        if line is None:
            raise InputError("item_ids", f"“{items[0].name}”没有对应的取号队列，请到咨询台咨询 (ASK-1)")
    _ensure_centre(line, centre_id)
    served = set(line.items.filter(pk__in=[i.pk for i in items]).values_list("pk", flat=True))
    stray = [i.name for i in items if i.pk not in served]
    if stray:
        raise InputError("item_ids", f"{'、'.join(stray)} 不在“{line.name}”队列办理，请分别取号")
    return line, items  # not reached when `_line_for` found a problem; kept total for the type checker


def issue_ticket(
    *,
    item_ids: Sequence[int] = (),
    line_id: int | None = None,
    centre_id: int | None = None,
    priority: str = "",
    id_number: str = "",
    actor: Any = None,
    now: datetime | None = None,
    _basis: str = "",
) -> Ticket:
    """Take a number (取号, Q-1). Priority (Q-2): `id_number` proves 70+; other groups need staff (`actor`).

    Everything that only reads — the line and items, the policy, the priority check, the wait estimate
    printed on the slip — happens before the write lock; `_take_number` then only writes.
    """
    stamp_in_lock = now is None
    now = _now(now)
    line, items = _line_for(centre_id=centre_id, line_id=line_id, item_ids=item_ids)
    policy = queue_policy(centre_id=line.centre_id)
    day = _local_day(now)
    basis = _basis
    confirmed_by = None
    if id_number:
        if policy.group("elderly") is None:
            raise RuleViolation("Q-2", "本中心未设置老年人优先", group="elderly")
        rules.elderly_from_id(id_number, day=day, min_age=policy.elderly_min_age)
        priority, basis = "elderly", Ticket.Basis.ID_NUMBER  # the ID number itself is not stored (INT-2)
    elif priority:
        group = policy.group(priority)
        if group is None:
            codes = ", ".join(g.code for g in policy.priority_groups)
            raise InputError("priority", f"未知的优先类别 {priority!r}；可选：{codes}")
        if not basis:
            if not _is_staff(actor):
                raise NeedsStaffConfirmation(group=group.label)
            basis, confirmed_by = Ticket.Basis.STAFF, _staff(actor)
    wait = wait_at_issue(
        line_id=line.pk, day=day, priority=bool(priority), now=now, policy=policy, live=stamp_in_lock
    )
    ticket = _take_number(
        line=line,
        counter_day=day if policy.daily_reset else RUNNING_COUNTER_DAY,
        ticket=Ticket(
            centre_id=line.centre_id,
            line=line,
            issued_line=line,
            day=day,
            priority=priority,
            priority_basis=basis,
            priority_confirmed_by=confirmed_by,
            issued_at=now,
            queued_at=now,
            people_ahead_at_issue=wait.ahead,
            estimated_wait_minutes=wait.minutes,
        ),
        number_digits=policy.number_digits,
        items=items,
        stamp_in_lock=stamp_in_lock,
    )
    if len({i.pk for i in items}) <= 1:
        ticket.remember_items(items[:1])
    return ticket


@queue_write
def _take_number(
    *,
    line: ServiceLine,
    counter_day: date,
    ticket: Ticket,
    number_digits: int,
    items: Sequence[Item],
    stamp_in_lock: bool,
) -> Ticket:
    """The locked part of `issue_ticket`: the next number, the ticket with its items, the issue event."""
    ticket.seq = _next_seq(line_id=line.pk, day=counter_day)
    ticket.number = f"{line.prefix}{ticket.seq:0{number_digits}d}"
    if stamp_in_lock:
        # the time is read after the number, under the counter's lock, so the queue order (queued_at)
        # follows the numbers even when two kiosks take one in the same instant
        stamped = timezone.now()
        if _local_day(stamped) == ticket.day:
            ticket.issued_at = ticket.queued_at = stamped
    rawsql.insert([ticket])
    if items:
        through = Ticket.items.through
        unique = dict.fromkeys(i.pk for i in items)  # `items.set()` kept each item once, in order
        rawsql.insert([through(ticket_id=ticket.pk, item_id=pk) for pk in unique])
    _event(QueueEvent.Kind.ISSUE, centre_id=line.centre_id, ticket=ticket, line=line.prefix)
    return ticket


def _next_seq(*, line_id: int, day: date) -> int:
    """Count the line's day counter up by one and return the new number, in one statement.

    The upsert takes the counter row's lock until commit, so numbers follow each other without gaps or
    repeats (Q-1); SQLite (3.35 or later) and PostgreSQL both have `ON CONFLICT ... RETURNING`.
    """
    with connection.cursor() as cursor:
        cursor.execute(_next_seq_sql(), [line_id, rawsql.to_db(LineDayCounter, "day", day)])
        (seq,) = cursor.fetchone()
    return int(seq)


@rawsql.statement
def _next_seq_sql() -> str:
    table = rawsql.table(LineDayCounter)
    line_col, day_col, last_col = (rawsql.column(LineDayCounter, name) for name in ("line", "day", "last"))
    return (
        f"INSERT INTO {table} ({line_col}, {day_col}, {last_col}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({line_col}, {day_col}) DO UPDATE SET {last_col} = {table}.{last_col} + 1 "
        f"RETURNING {last_col}"
    )


@queue_write
def confirm_priority(*, ticket_id: int, group: str, actor: Any) -> Ticket:
    """Staff grant a waiting ticket a priority group (Q-2 disabled, CASE-11 green channel)."""
    ticket = Ticket.objects.select_for_update().select_related("line").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(f"号码 {ticket_id} 不存在")
    if not _is_staff(actor):
        raise NeedsStaffConfirmation(group=group)
    # another centre's ticket answers like an absent one; another unit's is refused (ORG-1)
    access.ensure(actor, "queue", "priority", ticket_target(ticket), what="号码")
    policy = queue_policy(centre_id=ticket.centre_id)
    found = policy.group(group)
    if found is None:
        raise InputError("group", f"未知的优先类别 {group!r}")
    if ticket.status != Ticket.Status.WAITING:
        raise RuleViolation("Q-2", f"{ticket.number} 不在等候中，无法设置优先", status=ticket.status)
    old_priority = ticket.priority
    ticket.priority, ticket.priority_basis = group, Ticket.Basis.STAFF
    ticket.priority_confirmed_by = _staff(actor)
    ticket.save(update_fields=["priority", "priority_basis", "priority_confirmed_by"])
    record_audit(
        actor=actor, verb="queue.priority.confirm", target=ticket, data={"group": group},
        before={"priority": old_priority}, after={"priority": group},
    )  # fmt: skip
    return ticket


# -- calling (Q-1, Q-3) -----------------------------------------------------------------------------------


ItemRows = dict[int, tuple[int, Sequence[Any]]]  # ticket id -> (number of items, first item's columns)


def _candidates(
    *, window: Window, day: date
) -> tuple[list[rules.Candidate], dict[int, ServiceLine], ItemRows]:
    """The first waiting tickets of every active line the window serves, per class (priority, ordinary),
    FIFO, at most CANDIDATES_PER_LINE_AND_CLASS each — in one statement (a row number per line and
    class) — with the lines and each ticket's number of items and first item, for the called ticket's
    answer. Written against the models' tables: it runs on every call, and the ORM took longer to build
    it than the database to answer it."""
    params = [
        rawsql.to_db(Ticket, "day", day), Ticket.Status.WAITING, window.pk, window.pk, window.pk,
        CANDIDATES_PER_LINE_AND_CLASS, rawsql.to_db(ServiceLine, "is_active", True),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(), params)
        rows = cursor.fetchall()
    found: list[rules.Candidate] = []
    lines: dict[int, ServiceLine] = {}
    items: ItemRows = {}
    for ticket_id, priority, queued_at, line_id, order, weight, item_count, *rest in rows:
        queued = rawsql.from_db(Ticket, "queued_at", queued_at)
        found.append(rules.Candidate(ticket_id, priority != "", queued, order, weight))
        line_row, item_row = rawsql.split(rest, ServiceLine, Item)
        if line_id not in lines:
            lines[line_id] = rawsql.load(ServiceLine, line_row)
        items[ticket_id] = (item_count, item_row)
    return found, lines, items


def _remember_item(ticket: Ticket, items: ItemRows) -> None:
    """Give the called ticket its item from the candidates' row when it has just one (a kiosk slip's usual
    case), so the answer names it without another query; with more, `ticket.item_list()` reads them in
    Item's order."""
    count, row = items[ticket.pk]
    if count <= 1:
        ticket.remember_items([rawsql.load(Item, row)] if count else [])


@rawsql.statement
def _candidates_sql() -> str:
    ticket, link, line = (rawsql.table(m) for m in (Ticket, LineWindow, ServiceLine))
    t, lw = partial(rawsql.column, Ticket), partial(rawsql.column, LineWindow)
    ticket_items = Ticket.items.through
    ti = partial(rawsql.column, ticket_items)
    return (
        f"SELECT c.{t('id')}, c.{t('priority')}, c.{t('queued_at')}, c.{t('line')}, w.{lw('order')}, "
        f"w.{lw('weight')}, (SELECT COUNT(*) FROM {rawsql.table(ticket_items)} n WHERE n.{ti('ticket')} = c.{t('id')}), "
        f"{rawsql.columns(ServiceLine, 'l')}, {rawsql.columns(Item, 'i')} "
        f"FROM (SELECT {t('id')}, {t('priority')}, {t('queued_at')}, {t('line')}, ROW_NUMBER() OVER ("
        f"PARTITION BY {t('line')}, {t('priority')} = '' ORDER BY {t('queued_at')}, {t('id')}) AS place "
        f"FROM {ticket} WHERE {t('day')} = %s AND {t('status')} = %s "
        f"AND ({t('target_window')} IS NULL OR {t('target_window')} = %s) "
        f"AND {t('line')} IN (SELECT {lw('line')} FROM {link} WHERE {lw('window')} = %s)) c "
        f"JOIN {link} w ON w.{lw('line')} = c.{t('line')} AND w.{lw('window')} = %s "
        f"JOIN {line} l ON l.{rawsql.column(ServiceLine, 'id')} = c.{t('line')} "
        f"LEFT JOIN {rawsql.table(Item)} i ON i.{rawsql.column(Item, 'id')} = (SELECT MIN(f.{ti('item')}) "
        f"FROM {rawsql.table(ticket_items)} f WHERE f.{ti('ticket')} = c.{t('id')}) "
        f"WHERE c.place <= %s AND l.{rawsql.column(ServiceLine, 'is_active')} = %s"
    )


def _update_ticket(sql: str, params: list[Any]) -> Ticket | None:
    """Run `UPDATE queue_ticket SET ... WHERE ... RETURNING` every column: the changed ticket, or None when
    no row matched — a conditional write and its fresh read in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else cast(Ticket, rawsql.load(Ticket, row))


def _claim(
    *, order: Sequence[rules.Candidate], window: Window, staff: Staff | None, now: datetime
) -> Ticket | None:
    """Call the first candidate of `order` that is still waiting, in one statement, and return it.

    On PostgreSQL the inner SELECT skips rows another window's transaction has locked (SKIP LOCKED), so
    two windows never wait for, or get, the same ticket (Q-1); on SQLite writers are serialised anyway.
    """
    ids = [c.ticket_id for c in order]
    called_at = rawsql.to_db(Ticket, "called_at", now)
    waiting = Ticket.Status.WAITING
    params = [Ticket.Status.CALLED, called_at, called_at, window.pk, staff.pk if staff is not None else None]
    return _update_ticket(_claim_sql(len(ids)), [*params, *ids, waiting, *ids, waiting])


@rawsql.statement
def _claim_sql(candidates: int) -> str:
    t = partial(rawsql.column, Ticket)
    pk, status, first_called = t("id"), t("status"), t("first_called_at")
    lock = ""
    if connection.features.has_select_for_update_skip_locked:
        lock = " FOR UPDATE SKIP LOCKED"
    elif connection.features.has_select_for_update:
        lock = " FOR UPDATE"
    when = " ".join(f"WHEN %s THEN {n}" for n in range(candidates))
    return (
        f"UPDATE {rawsql.table(Ticket)} SET {status} = %s, {t('called_at')} = %s, "
        f"{first_called} = COALESCE({first_called}, %s), {t('window')} = %s, {t('staff')} = %s "
        f"WHERE {pk} = (SELECT {pk} FROM {rawsql.table(Ticket)} "
        f"WHERE {pk} IN ({', '.join(['%s'] * candidates)}) AND {status} = %s "
        f"ORDER BY CASE {pk} {when} END LIMIT 1{lock}) AND {status} = %s "
        f"RETURNING {rawsql.columns(Ticket)}"
    )


FINISHED_FIELDS = ("id", "number", "line")  # what the finish event needs of the ticket (its display payload)


def _finish_in_hand(*, ticket_id: int, window: Window, now: datetime) -> Ticket | None:
    """Finish the window's ticket in hand if it still is one (called, at this window): one conditional
    UPDATE, instead of a locked re-read and a save. Returns the ticket with FINISHED_FIELDS only (the
    others deferred, as `.only()` leaves them), or None when it no longer was in hand."""
    params = [Ticket.Status.FINISHED, rawsql.to_db(Ticket, "finished_at", now)]
    with connection.cursor() as cursor:
        cursor.execute(_finish_sql(), [*params, ticket_id, Ticket.Status.CALLED, window.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    return Ticket.from_db(connection.alias, [rawsql.field(Ticket, f).attname for f in FINISHED_FIELDS], row)


@rawsql.statement
def _finish_sql() -> str:
    t = partial(rawsql.column, Ticket)
    return (
        f"UPDATE {rawsql.table(Ticket)} SET {t('status')} = %s, {t('finished_at')} = %s "
        f"WHERE {t('id')} = %s AND {t('status')} = %s AND {t('window')} = %s "
        f"RETURNING {', '.join(t(f) for f in FINISHED_FIELDS)}"
    )


def call_next(*, window_id: int, actor: Any, now: datetime | None = None) -> Ticket | None:
    """Call the next number at a window (叫号); None when nobody waits. See the module docstring for locking."""
    _staff(actor)  # the operator's staff record is read (and kept on the user) before the write lock
    return _call_next(window_id=window_id, actor=actor, now=now)


@queue_write
def _call_next(*, window_id: int, actor: Any, now: datetime | None) -> Ticket | None:
    now = _now(now)
    state = _lock_state(window_id)
    window = state.window
    staff = ensure_can_operate(actor, window)
    if window.status == Window.Status.PAUSED:  # read with the state row's lock, after any pause committed
        raise WindowPaused(window_number=window.number)
    policy = queue_policy(centre_id=window.centre_id)
    events: list[QueueEvent] = []
    # the ticket in hand comes from the locked row's own column: a join read with it could be older
    if state.current_ticket_id is not None and policy.call_next_finishes_current:
        finished = _finish_in_hand(ticket_id=state.current_ticket_id, window=window, now=now)
        state.current_ticket = None
        if finished is not None:
            events.append(_ticket_event_of(QueueEvent.Kind.FINISH, ticket=finished, window=window))
    elif state.current_ticket_id is not None:
        current = state.current_ticket  # read only where the policy keeps the ticket in hand
        if current is not None and current.status == Ticket.Status.CALLED and current.window_id == window.pk:
            raise RuleViolation("Q-1", f"请先办结或过号当前号码 {current.number}", number=current.number)
    day = _local_day(now)
    ticket = None
    cap_applied = False
    for _round in range(CLAIM_ROUNDS):
        candidates, lines, items = _candidates(window=window, day=day)
        order = rules.calling_order(
            candidates, streak=state.priority_streak, cap=policy.starvation_cap, now=now
        )
        if not order.candidates:
            break
        ticket = _claim(order=order.candidates, window=window, staff=staff, now=now)
        if ticket is not None:
            claimed = next(c for c in order.candidates if c.ticket_id == ticket.pk)
            cap_applied = order.cap_applied and not claimed.priority
            if ticket.line_id in lines:
                ticket.line = lines[ticket.line_id]
            ticket.window = window
            ticket.staff = staff
            _remember_item(ticket, items)
            break
    if ticket is None:
        _save_state(state)
        _save_events(events)
        return None
    state.current_ticket = ticket
    state.priority_streak = rules.next_streak(state.priority_streak, called_priority=ticket.is_priority)
    _save_state(state)
    events.append(
        _announced_event_of(
            QueueEvent.Kind.CALL, policy=policy, ticket=ticket, window=window, cap_applied=cap_applied
        )
    )
    _save_events(events)
    return ticket


def _lock_state(window_id: int) -> WindowState:
    """The window's calling state, locked, read with its window (for the operator check and its status)."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_state_sql(), [window_id])
        row = cursor.fetchone()
    if row is None:  # a window's first call: create its state row, once
        if not Window.objects.filter(pk=window_id).exists():
            raise NotFound(f"窗口 {window_id} 不存在", window_id=window_id)
        WindowState.objects.bulk_create([WindowState(window_id=window_id)], ignore_conflicts=True)
        return _lock_state(window_id)
    state_row, window_row = rawsql.split(row, WindowState, Window)
    state = cast(WindowState, rawsql.load(WindowState, state_row))
    state.window = rawsql.load(Window, window_row)
    return state


@rawsql.statement
def _lock_state_sql() -> str:
    """SELECT the state row FOR UPDATE (of that row only) with its window's columns; SQLite, which has no
    row locks, serialises writers instead (see the module docstring)."""
    lock = ""
    if connection.features.has_select_for_update:
        lock = " FOR UPDATE"
        if connection.features.has_select_for_update_of:
            lock += " OF s"
    return (
        f"SELECT {rawsql.columns(WindowState, 's')}, {rawsql.columns(Window, 'w')} "
        f"FROM {rawsql.table(WindowState)} s JOIN {rawsql.table(Window)} w "
        f"ON w.{rawsql.column(Window, 'id')} = s.{rawsql.column(WindowState, 'window')} "
        f"WHERE s.{rawsql.column(WindowState, 'window')} = %s{lock}"
    )


def _save_state(state: WindowState) -> None:
    """Write the window's ticket in hand and priority run (the locked row, read by `_lock_state`)."""
    with connection.cursor() as cursor:
        cursor.execute(_save_state_sql(), [state.priority_streak, state.current_ticket_id, state.window_id])


@rawsql.statement
def _save_state_sql() -> str:
    c = partial(rawsql.column, WindowState)
    return (
        f"UPDATE {rawsql.table(WindowState)} SET {c('priority_streak')} = %s, {c('current_ticket')} = %s "
        f"WHERE {c('window')} = %s"
    )


def _current(window: Window) -> tuple[WindowState, Ticket]:
    state = _lock_state(window.pk)
    ticket = state.current_ticket
    if ticket is not None:
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket is None or ticket.status != Ticket.Status.CALLED or ticket.window_id != window.pk:
        raise NoTicketInHand(window_number=window.number)
    return state, ticket


def _operate_current(window_id: int, actor: Any) -> tuple[Window, Staff | None, WindowState, Ticket]:
    """The window, after the operator check, with its locked state and the locked ticket in hand."""
    window = _window(window_id)
    staff = ensure_can_operate(actor, window)
    state, ticket = _current(window)
    return window, staff, state, ticket


def _release(state: WindowState) -> None:
    """The window no longer holds a ticket."""
    state.current_ticket = None
    state.save(update_fields=["current_ticket"])


@queue_write
def recall(*, window_id: int, actor: Any, now: datetime | None = None) -> Ticket:
    """Call the ticket in hand again (重呼); the display repeats the announcement."""
    window, _operator, _state, ticket = _operate_current(window_id, actor)
    policy = queue_policy(centre_id=window.centre_id)
    ticket.recall_count += 1
    ticket.save(update_fields=["recall_count"])
    _announced_event(QueueEvent.Kind.RECALL, policy=policy, ticket=ticket, window=window)
    return ticket


@queue_write
def skip(*, window_id: int, actor: Any, now: datetime | None = None) -> Ticket:
    """The called visitor did not come (过号): back to the queue `no_show_returns` times, then closed (Q-1)."""
    now = _now(now)
    window, _operator, state, ticket = _operate_current(window_id, actor)
    policy = queue_policy(centre_id=window.centre_id)
    if ticket.skip_count < policy.no_show_returns:
        ticket.status = Ticket.Status.WAITING
        ticket.skip_count += 1
        if policy.no_show_requeue == "end":
            ticket.queued_at = now
        ticket.window = None
        ticket.called_at = None
        returned = True
    else:
        ticket.status = Ticket.Status.NO_SHOW
        ticket.finished_at = now
        returned = False
    ticket.save()
    _release(state)
    _ticket_event(QueueEvent.Kind.SKIP, ticket=ticket, window=window, returned=returned)
    return ticket


@queue_write
def transfer(
    *,
    window_id: int,
    actor: Any,
    to_line_id: int | None = None,
    to_window_id: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Send the ticket in hand to another line or window (转移); it keeps its place by original time.

    ASK-1: the visitor is told the exact window and where it is (number, floor, location).
    """
    window = _window(window_id)
    ensure_can_operate(actor, window)
    if to_line_id is None and to_window_id is None:
        raise InputError("to_line_id", "请选择转至的业务队列或窗口")
    state, ticket = _current(window)
    line = ticket.line
    target = None
    if to_line_id is not None:
        line = ServiceLine.objects.filter(pk=to_line_id, centre_id=window.centre_id, is_active=True).first()  # type: ignore[assignment]  # None is refused just below
        if line is None:
            raise InputError("to_line_id", f"业务队列 {to_line_id} 不存在")
    if to_window_id is not None:
        target = Window.objects.filter(pk=to_window_id, centre_id=window.centre_id).first()
        if target is None:
            raise InputError("to_window_id", f"窗口 {to_window_id} 不存在")
        served = LineWindow.objects.filter(window=target).order_by("order", "line_id")
        if not served.filter(line=line).exists():
            first = served.first()
            if first is None:
                raise InputError("to_window_id", f"{target.number}号窗口没有服务任何队列")
            if to_line_id is not None:
                raise InputError("to_window_id", f"{target.number}号窗口不服务“{line.name}”队列")
            line = first.line
    ticket.line = line
    ticket.target_window = target
    ticket.status = Ticket.Status.WAITING
    ticket.window = None
    ticket.called_at = None
    ticket.transfer_count += 1
    ticket.save()
    _release(state)
    where = ""
    if target is not None:
        where = f"{target.number}号窗口" + (
            f"（{target.floor} {target.location}）".replace("（ ", "（")
            if (target.floor or target.location)
            else ""
        )
    _event(
        QueueEvent.Kind.TRANSFER,
        centre_id=window.centre_id,
        ticket=ticket,
        window=window,
        number=ticket.number,
        to_line=line.name,
        to_window=target.number if target else "",
        where=where,
    )
    record_audit(
        actor=actor,
        verb="queue.ticket.transfer",
        target=ticket,
        data={"from_window": window.number, "to_line": line.pk, "to_window": to_window_id},
    )
    return ticket


@queue_write
def finish(*, window_id: int, actor: Any, case_id: int | None = None, now: datetime | None = None) -> Ticket:
    """Close the ticket in hand (办结), optionally linking the registered case; the window then asks for a rating."""
    now = _now(now)
    window, staff, state, ticket = _operate_current(window_id, actor)
    if case_id is not None and not case_exists(case_id=case_id):
        raise InputError("case_id", f"办件 {case_id} 不存在")
    ticket.status = Ticket.Status.FINISHED
    ticket.finished_at = now
    ticket.case_id = case_id
    ticket.save(update_fields=["status", "finished_at", "case_id"])
    _release(state)
    # EVAL-1: the evaluation domain reads this event to prompt the visitor to rate this window and person.
    _ticket_event(
        QueueEvent.Kind.FINISH,
        ticket=ticket,
        window=window,
        staff_id=staff.pk if staff else None,
        case_id=case_id,
        rating_prompt=True,
    )
    return ticket


@queue_write
def pause_window(
    *,
    window_id: int,
    actor: Any,
    message: str = "",
    redirect_window_id: int | None = None,
    resume_at: datetime | None = None,
) -> Window:
    """Put up the 暂停服务 sign (ORG-6) through the organisation's one door, then tell the display."""
    window = org_services.pause_window(
        window_id=_window(window_id).pk,
        actor=actor,
        message=message,
        redirect_window_id=redirect_window_id,
        resume_at=resume_at,
    )
    sign = pause_sign(window)
    _event(
        QueueEvent.Kind.PAUSE,
        centre_id=window.centre_id,
        window=window,
        window_number=window.number,
        sign=sign,
    )
    return window


@queue_write
def resume_window(*, window_id: int, actor: Any) -> Window:
    window = org_services.resume_window(window_id=_window(window_id).pk, actor=actor)
    _event(QueueEvent.Kind.RESUME, centre_id=window.centre_id, window=window, window_number=window.number)
    return window


@queue_write
def close_day(*, centre_id: int, day: date, actor: Any = None) -> int:
    """Tickets still waiting at the end of `day` left without service (abandoned); returns how many.
    Each ticket gets an event and an audit entry, like any other status change (CASE-9)."""
    tickets = list(
        Ticket.objects.select_for_update().filter(
            centre_id=centre_id, day__lte=day, status=Ticket.Status.WAITING
        )
    )
    if not tickets:
        return 0
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(status=Ticket.Status.ABANDONED)
    QueueEvent.objects.bulk_create(
        QueueEvent(centre_id=t.centre_id, kind=QueueEvent.Kind.ABANDON, ticket=t, data={"number": t.number})
        for t in tickets
    )
    record_audit_many(
        actor=actor, verb="queue.ticket.abandon", targets=tickets,
        before={"status": Ticket.Status.WAITING}, after={"status": Ticket.Status.ABANDONED},
    )  # fmt: skip
    return len(tickets)


# -- appointments (Q-2) -----------------------------------------------------------------------------------


def _slot_datetime(day: date, start: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, start))


@queue_write
def book_appointment(
    *,
    line_id: int,
    day: date,
    slot_start: time,
    name: str,
    phone: str = "",
    item_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a slot (预约); the line row is locked so a slot is never booked over its capacity."""
    now = _now(now)
    line = ServiceLine.objects.select_for_update().filter(pk=line_id, is_active=True).first()
    if line is None:
        raise InputError("line_id", f"业务队列 {line_id} 不存在或未启用")
    policy = queue_policy(centre_id=line.centre_id)
    if not name.strip():
        raise InputError("name", "请填写姓名")
    phone = validate_phone(phone, field="phone", mobile_only=True)
    if not phone:
        raise InputError("phone", "请填写手机号码（预约核验用）")
    today = _local_day(now)
    if day < today or day > today + timedelta(days=policy.appointment_days_ahead):
        raise RuleViolation("Q-2", f"只能预约今天起 {policy.appointment_days_ahead} 天内的时段", day=str(day))
    if day.weekday() >= 5 and not policy.weekend_appointments:
        raise RuleViolation("Q-2", "本中心周末不提供预约服务", day=str(day))
    if slot_start not in slot_starts(policy):
        raise InputError("slot_start", f"{slot_start:%H:%M} 不是可预约的时段")
    if _slot_datetime(day, slot_start) < now:
        raise RuleViolation("Q-2", "该时段已过，请选择其他时段", slot=f"{slot_start:%H:%M}")
    item = None
    if item_id is not None:
        item = line.items.filter(pk=item_id).first()
        if item is None:
            raise InputError("item_id", f"事项 {item_id} 不在“{line.name}”队列办理")
    taken = Appointment.objects.filter(
        line=line,
        day=day,
        slot_start=slot_start,
        status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN],
    ).count()
    if taken >= policy.appointment_slot_capacity:
        raise SlotFull(day=str(day), slot=f"{slot_start:%H:%M}", capacity=policy.appointment_slot_capacity)
    # One phone may not hoard a day's slots (Q-2 appointments_per_phone_per_day). The line row lock above
    # serialises bookings of this line; across lines the count may race by one, which is acceptable.
    held = Appointment.objects.filter(
        centre_id=line.centre_id,
        day=day,
        phone=phone,
        status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN],
    ).count()
    if held >= policy.appointments_per_phone_per_day:
        raise RuleViolation(
            "Q-2",
            f"同一手机号每天最多预约 {policy.appointments_per_phone_per_day} 个时段",
            limit=policy.appointments_per_phone_per_day,
        )
    code = _new_code()
    return Appointment.objects.create(
        centre_id=line.centre_id,
        line=line,
        item=item,
        day=day,
        slot_start=slot_start,
        code=code,
        name=name.strip(),
        phone=phone,
    )


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not Appointment.objects.filter(code=code).exists():
            return code


@queue_write
def check_in(*, code: str, now: datetime | None = None, centre_id: int | None = None) -> Ticket:
    """Kiosk check-in (预约签到): inside the window around the slot it issues a priority ticket (Q-2)."""
    now = _now(now)
    appt = (
        Appointment.objects.select_for_update()
        .filter(code=code.strip().upper())
        .exclude(kind=Appointment.Kind.HOME_VISIT)  # a home visit's code is not a hall check-in
        .first()
    )
    if appt is None or (centre_id is not None and appt.centre_id != centre_id):
        raise NotFound("预约码不存在，请核对", code=code)
    if appt.status != Appointment.Status.BOOKED:
        raise RuleViolation("Q-2", f"该预约已{appt.get_status_display()}", status=appt.status)
    policy = queue_policy(centre_id=appt.centre_id)
    start = _slot_datetime(appt.day, appt.slot_start)
    opens = start - timedelta(minutes=policy.checkin_early_minutes)
    closes = start + timedelta(minutes=policy.checkin_late_minutes)
    if now < opens:
        local = timezone.localtime(opens)
        raise RuleViolation("Q-2", f"预约签到将于 {local:%m-%d %H:%M} 开始", opens=local.isoformat())
    if now > closes:
        raise RuleViolation("Q-2", "已超过预约签到时间，预约记为爽约，请取普通号", closes=closes.isoformat())
    ticket = issue_ticket(
        line_id=appt.line_id,
        item_ids=[appt.item_id] if appt.item_id else [],
        priority="appointment",
        now=now,
        _basis=Ticket.Basis.APPOINTMENT,
    )
    appt.status = Appointment.Status.CHECKED_IN
    appt.ticket = ticket
    appt.checked_in_at = now
    appt.save(update_fields=["status", "ticket", "checked_in_at"])
    return ticket


@queue_write
def record_no_shows(*, now: datetime | None = None, centre_id: int | None = None, actor: Any = None) -> int:
    """Booked appointments whose check-in window has closed become no-shows (爽约); returns how many."""
    now = _now(now)
    count = 0
    # A home visit (上门服务) has no hall slot to miss: its own record closes it (visit_services).
    qs = (
        Appointment.objects.select_for_update()
        .filter(status=Appointment.Status.BOOKED, day__lte=_local_day(now))
        .exclude(kind=Appointment.Kind.HOME_VISIT)
    )
    if centre_id is not None:
        qs = qs.filter(centre_id=centre_id)
    missed: list[Appointment] = []
    for appt in qs:
        policy = queue_policy(centre_id=appt.centre_id)
        if _slot_datetime(appt.day, appt.slot_start) + timedelta(minutes=policy.checkin_late_minutes) < now:
            appt.status = Appointment.Status.NO_SHOW
            appt.save(update_fields=["status"])
            missed.append(appt)
            count += 1
    QueueEvent.objects.bulk_create(
        QueueEvent(centre_id=a.centre_id, kind=QueueEvent.Kind.NO_SHOW, data={"appointment": a.pk})
        for a in missed
    )
    record_audit_many(
        actor=actor, verb="queue.appointment.no_show", targets=missed,
        before={"status": Appointment.Status.BOOKED}, after={"status": Appointment.Status.NO_SHOW},
    )  # fmt: skip
    return count

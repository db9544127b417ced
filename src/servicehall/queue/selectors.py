"""Queue reads: people ahead and wait estimates (Q-4), the hall display snapshot, window pages, statistics."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, cast

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from servicehall.core import rawsql
from servicehall.org.models import Centre, Window
from servicehall.policy.sections.queue import QueuePolicy
from servicehall.queue.config import queue_policy
from servicehall.queue.estimate import (
    ServiceSample,
    WaitEstimate,
    WindowLoad,
    estimate_wait,
    mean_service_minutes,
    percentile,
    service_cv,
)
from servicehall.queue.models import Appointment, LineWindow, QueueEvent, ServiceLine, Ticket, WindowState
from servicehall.queue.rules import announcement, slot_starts

CALL_KINDS = (QueueEvent.Kind.CALL, QueueEvent.Kind.RECALL)


def centre_by_code(code: str) -> Centre | None:
    return Centre.objects.filter(code=code).first()


def active_lines(*, centre_id: int) -> QuerySet[ServiceLine]:
    return ServiceLine.objects.filter(centre_id=centre_id, is_active=True).prefetch_related("items__unit")


# -- position and estimate ---------------------------------------------------------------------------------


def people_ahead(*, ticket: Ticket) -> int:
    """Waiting tickets of the same line that will be called before this one (priority first, then FIFO)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    waiting = Ticket.objects.filter(
        line_id=ticket.line_id, day=ticket.day, status=Ticket.Status.WAITING
    ).exclude(pk=ticket.pk)
    earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, pk__lt=ticket.pk)
    if ticket.priority:
        return waiting.exclude(priority="").filter(earlier).count()
    return waiting.filter(~Q(priority="") | earlier).count()


def line_windows(*, line_id: int, now: datetime) -> list[WindowLoad]:
    """Open windows serving a line (窗口负荷): each one's weight share of the line among the lines it serves,
    and for a busy window the minutes its current service has run (the remaining time counts, Q-4)."""
    return _lines_windows(line_ids=[line_id], now=now)[line_id]


@rawsql.statement
def _lines_windows_sql(lines: int) -> str:
    """Written against the models' tables: it runs on every issue, and the ORM took longer to build the
    statement than the database to answer it. Same rows as LineWindow.objects.filter(window__line_windows__
    line_id__in=line_ids, window__status=OPEN).values_list(window, line, weight, current ticket's status
    and called_at).distinct()."""
    lw, win, state, ticket = (rawsql.table(m) for m in (LineWindow, Window, WindowState, Ticket))
    a_window, a_line, a_weight = (rawsql.column(LineWindow, n) for n in ("window", "line", "weight"))
    win_pk, ticket_pk = rawsql.column(Window, "id"), rawsql.column(Ticket, "id")
    return (
        f"SELECT DISTINCT a.{a_window}, a.{a_line}, a.{a_weight}, "
        f"t.{rawsql.column(Ticket, 'status')}, t.{rawsql.column(Ticket, 'called_at')} "
        f"FROM {lw} a "
        f"INNER JOIN {win} w ON w.{win_pk} = a.{a_window} "
        f"INNER JOIN {lw} b ON b.{a_window} = w.{win_pk} "
        f"LEFT OUTER JOIN {state} s ON s.{rawsql.column(WindowState, 'window')} = w.{win_pk} "
        f"LEFT OUTER JOIN {ticket} t ON t.{ticket_pk} = s.{rawsql.column(WindowState, 'current_ticket')} "
        f"WHERE b.{a_line} IN ({', '.join(['%s'] * lines)}) AND w.{rawsql.column(Window, 'status')} = %s"
    )


WindowLink = tuple[int, int, float, str | None, datetime | None]  # window, line, weight, ticket in hand


def _lines_windows(*, line_ids: Sequence[int], now: datetime) -> dict[int, list[WindowLoad]]:
    """`line_windows` of several lines in one query, whatever their number: the open windows serving them,
    each with every line it serves (for its weight share) and the ticket in hand, if called."""
    return _loads(_window_links(line_ids), line_ids=line_ids, now=now)


def _window_links(line_ids: Sequence[int]) -> list[WindowLink]:
    with connection.cursor() as cursor:
        cursor.execute(_lines_windows_sql(len(line_ids)), [*line_ids, Window.Status.OPEN.value])
        return [
            (window_id, line_id, float(weight), status, _as_datetime(called_at))
            for window_id, line_id, weight, status, called_at in cursor.fetchall()
        ]


def _loads(
    links: Sequence[WindowLink], *, line_ids: Sequence[int], now: datetime
) -> dict[int, list[WindowLoad]]:
    """Each line's open windows as the estimate sees them at `now` (a busy one by how long it has served)."""
    per_window: dict[int, dict[int, float]] = defaultdict(dict)
    running: dict[int, datetime | None] = {}
    for window_id, line_id, weight, current_status, current_called_at in links:
        per_window[window_id][line_id] = max(weight, 0.0)
        if current_status == Ticket.Status.CALLED:
            running[window_id] = current_called_at
    out: dict[int, list[WindowLoad]] = {line_id: [] for line_id in line_ids}
    for window_id, weights in sorted(per_window.items()):
        total = sum(weights.values()) or 1.0
        for line_id, loads in out.items():
            share = weights.get(line_id, 0.0) / total
            if share <= 0:
                continue
            if window_id not in running:
                loads.append(WindowLoad(share=share))
            elif running[window_id] is None:
                loads.append(WindowLoad(share=share, busy_unknown=True))
            else:
                called_at: datetime = running[window_id]  # type: ignore[assignment]  # checked just above
                elapsed = max((now - called_at).total_seconds() / 60.0, 0.0)
                loads.append(WindowLoad(share=share, elapsed=elapsed))
    return out


def line_capacity(*, line_id: int, now: datetime | None = None) -> tuple[float, float]:
    """(servers, busy) for a line: each open window counts by its weight share among the lines it serves."""
    loads = line_windows(line_id=line_id, now=now or timezone.now())
    servers = sum(w.share for w in loads)
    busy = sum(w.share for w in loads if w.elapsed is not None or w.busy_unknown)
    return servers, busy


def _service_minutes() -> str:
    """The SQL expression for a ticket's service minutes (called to finished): the database subtracts, so a
    busy day's hundreds of finished tickets never become Python datetimes."""
    finished, called = rawsql.column(Ticket, "finished_at"), rawsql.column(Ticket, "called_at")
    if connection.vendor == "sqlite":
        return f"((julianday({finished}) - julianday({called})) * 1440.0)"
    return f"(CAST(EXTRACT(EPOCH FROM ({finished} - {called})) AS double precision) / 60.0)"


@rawsql.statement
def _service_samples_sql(lines: int) -> str:
    """The line, COUNT, SUM and SUM of squares of the service minutes finished since a time. A negative
    time, a clock error, is left out, as `ServiceSample.of` leaves it out of a list; the line, status
    condition uses the queue index (line, status, ...)."""
    col = partial(rawsql.column, Ticket)
    minutes = _service_minutes()
    return (
        f"SELECT {col('line')}, COUNT(*), SUM({minutes}), SUM({minutes} * {minutes}) FROM {rawsql.table(Ticket)} "
        f"WHERE {col('line')} IN ({', '.join(['%s'] * lines)}) AND {col('status')} = %s "
        f"AND {col('finished_at')} >= %s AND {col('called_at')} IS NOT NULL AND {minutes} >= 0 "
        f"GROUP BY {col('line')}"
    )


def _lines_service_samples(
    *, line_ids: Sequence[int], now: datetime, minutes: int
) -> dict[int, ServiceSample]:
    """Finished services' minutes per line since `minutes` ago, summarised by the database (count, sum,
    sum of squares): a busy day has hundreds of finished tickets in the look-back. Written against the
    model's table: it runs on every estimate (see `_lines_windows`)."""
    since = rawsql.to_db(Ticket, "finished_at", now - timedelta(minutes=minutes))
    out = {line_id: ServiceSample() for line_id in line_ids}
    with connection.cursor() as cursor:
        cursor.execute(_service_samples_sql(len(line_ids)), [*line_ids, Ticket.Status.FINISHED.value, since])
        for line_id, n, total, total_sq in cursor.fetchall():
            out[line_id] = ServiceSample.from_sums(n, total, total_sq)
    return out


def priority_rate(*, line_id: int, now: datetime, minutes: int = 120) -> tuple[float, float | None]:
    """(priority tickets per minute, their share of all tickets) over the look-back (Q-3 overtakes).

    Counted since the day's first ticket when the day is younger than the look-back, so the first hour
    is not diluted by the closed hours before it.
    """
    return _lines_priority_rates(line_ids=[line_id], now=now, minutes=minutes)[line_id]


def _lines_priority_rates(
    *, line_ids: Sequence[int], now: datetime, minutes: int
) -> dict[int, tuple[float, float | None]]:
    since = now - timedelta(minutes=minutes)
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Ticket.objects.filter(line_id__in=line_ids, issued_at__gte=max(since, day_start), issued_at__lte=now)
        .order_by()
        .values("line_id")
        .annotate(all=Count("id"), priority=Count("id", filter=~Q(priority="")), first=Min("issued_at"))
    )
    out: dict[int, tuple[float, float | None]] = {line_id: (0.0, None) for line_id in line_ids}
    for row in rows:
        span = max((now - max(since, row["first"])).total_seconds() / 60.0, 1.0)
        out[row["line_id"]] = (row["priority"] / span, row["priority"] / row["all"])
    return out


def ticket_wait(
    *, ticket: Ticket, now: datetime | None = None, policy: QueuePolicy | None = None
) -> WaitEstimate:
    now = now or timezone.now()
    policy = policy or queue_policy(centre_id=ticket.centre_id)
    ahead = people_ahead(ticket=ticket)
    return _estimate(line_id=ticket.line_id, ahead=ahead, priority=ticket.is_priority, now=now, policy=policy)


def _estimate(
    *, line_id: int, ahead: int, priority: bool, now: datetime, policy: QueuePolicy
) -> WaitEstimate:
    return _estimates(aheads={line_id: ahead}, priority=priority, now=now, policy=policy)[line_id]


def _estimates(
    *, aheads: dict[int, int], priority: bool, now: datetime, policy: QueuePolicy
) -> dict[int, WaitEstimate]:
    """Gather the live inputs of the pure estimator (Q-4) for several lines in a fixed number of queries:
    open windows with their running services, recent service times (mean and spread) and the recent rate
    of priority tickets (Q-3 overtakes)."""
    line_ids = list(aheads)
    minutes = policy.estimate_history_minutes
    loads_of = _lines_windows(line_ids=line_ids, now=now)
    observed_of = _lines_service_samples(line_ids=line_ids, now=now, minutes=minutes)
    rates_of = _lines_priority_rates(line_ids=line_ids, now=now, minutes=minutes)
    return {
        line_id: _assemble(
            ahead=ahead,
            loads=loads_of[line_id],
            observed=observed_of[line_id],
            rate=rates_of[line_id],
            priority=priority,
            policy=policy,
        )
        for line_id, ahead in aheads.items()
    }


def _assemble(
    *,
    ahead: int,
    loads: list[WindowLoad],
    observed: ServiceSample,
    rate: tuple[float, float | None],
    priority: bool,
    policy: QueuePolicy,
) -> WaitEstimate:
    rate_per_minute, share = rate
    return estimate_wait(
        ahead=ahead,
        servers=sum(w.share for w in loads),
        busy=sum(w.share for w in loads if w.elapsed is not None or w.busy_unknown),
        mean_service=mean_service_minutes(observed, default=policy.default_service_minutes),
        cv=service_cv(observed),
        priority=priority,
        priority_rate_per_minute=rate_per_minute,
        priority_share=share,
        starvation_cap=policy.starvation_cap,
        windows=loads,
    )


@rawsql.statement
def _ahead_and_recent_sql(priority: bool) -> str:
    col = partial(rawsql.column, Ticket)
    waiting = f"{col('day')} = %s AND {col('status')} = %s"
    ahead = f"{col('priority')} <> '' {'AND' if priority else 'OR'} {col('queued_at')} <= %s"
    recent = f"{col('issued_at')} >= %s AND {col('issued_at')} <= %s"
    return (
        f"SELECT COUNT(CASE WHEN {waiting} AND ({ahead}) THEN 1 END), COUNT(CASE WHEN {recent} THEN 1 END), "
        f"COUNT(CASE WHEN {recent} AND {col('priority')} <> '' THEN 1 END), "
        f"MIN(CASE WHEN {recent} THEN {col('issued_at')} END) "
        f"FROM {rawsql.table(Ticket)} WHERE {col('line')} = %s AND (({waiting}) OR ({recent}))"
    )


def _ahead_and_recent(
    *, line_id: int, day: date, priority: bool, now: datetime, since: datetime
) -> tuple[int, int, int, datetime | None]:
    """One pass over the line's tickets: the people ahead of a ticket queued at `now` with the highest id
    (`people_ahead`: every waiting ticket queued no later; for a priority ticket only the priority ones
    among them, Q-2, Q-3), and the tickets issued since `since` — all, priority, the first one's time.
    Written against the model's table: it runs on every issue, and the ORM took longer to build the
    statement than the database to answer it."""
    w = [rawsql.to_db(Ticket, "day", day), Ticket.Status.WAITING]
    r = [rawsql.to_db(Ticket, "issued_at", since), rawsql.to_db(Ticket, "issued_at", now)]
    with connection.cursor() as cursor:
        cursor.execute(
            _ahead_and_recent_sql(priority),
            [*w, rawsql.to_db(Ticket, "queued_at", now), *r, *r, *r, line_id, *w, *r],
        )
        ahead_count, issued, priority_issued, first = cursor.fetchone()
    return int(ahead_count), int(issued), int(priority_issued), _as_datetime(first)


def _as_datetime(value: Any) -> datetime | None:
    """A datetime column's raw value as the ORM returns it (SQLite keeps datetimes as UTC text)."""
    return cast("datetime | None", rawsql.from_db(Ticket, "issued_at", value))


def wait_at_issue(
    *, line_id: int, day: date, priority: bool, now: datetime, policy: QueuePolicy, live: bool = False
) -> WaitEstimate:
    """The people ahead of, and the wait estimate (Q-4) for, a ticket about to be issued on `line_id` at
    `now` — read before the number is taken, so the write lock is not held for it (three queries, one
    when `live` and the line's slow inputs were read in the last LIVE_INPUTS_SECONDS, `_slow_inputs`).

    It equals `ticket_wait` of the new ticket right after it is saved, except that tickets issued by
    others between this read and the number are not counted: an estimate printed on a slip may miss
    the one or two people who took a number in the same instant, and it is never recomputed.
    """
    minutes = policy.estimate_history_minutes
    since = now - timedelta(minutes=minutes)
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    ahead, issued, priority_issued, first = _ahead_and_recent(
        line_id=line_id, day=day, priority=priority, now=now, since=max(since, day_start)
    )
    # `_lines_priority_rates` as it reads once the new ticket is saved: it counts that ticket too
    issued, priority_issued = issued + 1, priority_issued + (1 if priority else 0)
    first = min(first, now) if first is not None else now
    span = max((now - max(since, first)).total_seconds() / 60.0, 1.0)
    links, observed = _slow_inputs(line_id=line_id, now=now, minutes=minutes, live=live)
    return _assemble(
        ahead=ahead,
        loads=_loads(links, line_ids=[line_id], now=now)[line_id],
        observed=observed,
        rate=(priority_issued / span, priority_issued / issued),
        priority=priority,
        policy=policy,
    )


LIVE_INPUTS_SECONDS = 5.0
_live_inputs: dict[int, tuple[float, list[WindowLink], ServiceSample]] = {}


def forget_live_inputs() -> None:
    """Read every line's slow inputs afresh at its next live ticket."""
    _live_inputs.clear()


def _slow_inputs(
    *, line_id: int, now: datetime, minutes: int, live: bool
) -> tuple[list[WindowLink], ServiceSample]:
    """The line's open windows (with their tickets in hand) and its recent service times. For a live
    ticket (issued now) they are read at most once every LIVE_INPUTS_SECONDS per line and process: they
    move slowly next to the people ahead, which are counted per ticket; during a rush of tickets this
    saves two of an issue's statements, and a busy window's elapsed time is still taken at `now`."""
    if live:
        kept = _live_inputs.get(line_id)
        if kept is not None and time.monotonic() - kept[0] < LIVE_INPUTS_SECONDS:
            return kept[1], kept[2]
    links = _window_links([line_id])
    observed = _lines_service_samples(line_ids=[line_id], now=now, minutes=minutes)[line_id]
    if live:
        _live_inputs[line_id] = (time.monotonic(), links, observed)
    return links, observed


def line_overview(*, centre_id: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per line: waiting count and the estimated wait of a new ordinary ticket."""
    now = now or timezone.now()
    policy = queue_policy(centre_id=centre_id)
    day = timezone.localtime(now).date()
    counts = dict(
        Ticket.objects.filter(centre_id=centre_id, day=day, status=Ticket.Status.WAITING)
        .values("line_id")
        .annotate(n=Count("id"))
        .values_list("line_id", "n")
    )
    rows = []
    lines = list(ServiceLine.objects.filter(centre_id=centre_id, is_active=True))
    estimates = _estimates(
        aheads={line.pk: counts.get(line.pk, 0) for line in lines}, priority=False, now=now, policy=policy
    )
    for line in lines:
        waiting = counts.get(line.pk, 0)
        est = estimates[line.pk]
        rows.append(
            {
                "id": line.pk,
                "name": line.name,
                "prefix": line.prefix,
                "waiting": waiting,
                "open_windows": round(est.servers, 2),
                "estimated_wait": est.rounded,
            }
        )
    return rows


# -- hall display ----------------------------------------------------------------------------------------------


def latest_event_id(*, centre_id: int) -> int:
    """The cheap query the live stream polls."""
    return QueueEvent.objects.filter(centre_id=centre_id).aggregate(m=Max("id"))["m"] or 0


def events_after(*, centre_id: int, after_id: int, since: datetime | None = None) -> list[QueueEvent]:
    """Events with id > after_id, plus (when `since` is given) recent ones, so an id that committed late is not lost."""
    cond = Q(id__gt=after_id)
    if since is not None:
        cond |= Q(at__gte=since)
    return list(
        QueueEvent.objects.filter(cond, centre_id=centre_id).select_related("window").order_by("id")[:200]
    )


def pause_sign(window: Window) -> str:
    """The text of the 暂停服务 sign (ORG-6)."""
    return window.pause_sign


def event_payload(event: QueueEvent) -> dict[str, Any]:
    """What a display needs to apply the event by itself: `line_id` is the line whose waiting count it
    changes (load `ticket` with the event)."""
    line_id = event.ticket.line_id if event.ticket_id is not None and event.ticket is not None else None
    return {"id": event.pk, "kind": event.kind, "at": event.at.isoformat(), "line_id": line_id, **event.data}


def display_snapshot(*, centre: Centre, now: datetime | None = None) -> dict[str, Any]:
    """Everything the hall display shows; fetched on load and after every reconnect (live events are
    applied to it in between, by the display itself)."""
    now = now or timezone.now()
    policy = queue_policy(centre_id=centre.pk)
    day = timezone.localtime(now).date()
    called = (
        Ticket.objects.filter(centre=centre, day=day, first_called_at__isnull=False, window__isnull=False)
        .select_related("window", "line")
        .order_by("-called_at")[: policy.display_recent_calls]
    )
    lines = line_overview(centre_id=centre.pk, now=now)
    waiting_total = sum(r["waiting"] for r in lines)
    paused = [
        {"window": w.number, "sign": pause_sign(w)}
        for w in Window.objects.filter(centre=centre, status=Window.Status.PAUSED).select_related(
            "redirect_window"
        )
    ]
    crowded = waiting_total >= policy.crowding_waiting_count
    return {
        "centre": centre.name,
        "last_event_id": latest_event_id(centre_id=centre.pk),
        "calls": [
            {
                "number": t.number,
                "window": t.window.number,  # type: ignore[union-attr]  # called tickets have a window
                "window_name": t.window.name,  # type: ignore[union-attr]  # called tickets have a window
                "status": t.status,
                "text": announcement(policy, number=t.number, window_number=t.window.number),  # type: ignore[union-attr]  # called tickets have a window
            }
            for t in called
        ],
        "lines": lines,
        "waiting_total": waiting_total,
        "paused": paused,
        "crowded": crowded,
        "notice": policy.crowding_notice if crowded else policy.display_notice,
        "stream_seconds": policy.stream_seconds,
        # What the display needs to apply live events by itself between snapshots.
        "recent_calls": policy.display_recent_calls,
        "crowding_at": policy.crowding_waiting_count,
        "display_notice": policy.display_notice,
        "crowding_notice": policy.crowding_notice,
    }


# -- window page -------------------------------------------------------------------------------------------------


def window_panel(*, window: Window, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    state = WindowState.objects.filter(window=window).select_related("current_ticket__line").first()
    current = state.current_ticket if state and state.current_ticket_id else None
    if current is not None and (current.status != Ticket.Status.CALLED or current.window_id != window.pk):
        current = None
    links = LineWindow.objects.filter(window=window).select_related("line").order_by("order")
    line_ids = [lw.line_id for lw in links]
    waiting = Ticket.objects.filter(line_id__in=line_ids, day=day, status=Ticket.Status.WAITING).filter(
        Q(target_window__isnull=True) | Q(target_window=window)
    )
    return {
        "window": window,
        "current": current,
        "links": list(links),
        "waiting_count": waiting.count(),
        "waiting_priority": waiting.exclude(priority="").count(),
        "next_tickets": list(waiting.select_related("line").order_by("queued_at")[:10]),
        "priority_streak": state.priority_streak if state else 0,
        "served_today": Ticket.objects.filter(window=window, day=day, status=Ticket.Status.FINISHED).count(),
        "other_windows": Window.objects.filter(centre_id=window.centre_id).exclude(pk=window.pk),
        "other_lines": ServiceLine.objects.filter(centre_id=window.centre_id, is_active=True),
    }


def windows_for(*, user: Any) -> QuerySet[Window]:
    """Windows the viewer may operate (their own unit's; all for the centre office)."""
    from servicehall.core.roles import Role, role_of, staff_of

    role = role_of(user)
    staff = staff_of(user)
    if role in {Role.CENTRE_ADMIN, Role.SUPERVISOR}:
        return Window.objects.filter(centre_id=staff.centre_id) if staff else Window.objects.all()
    if staff is None or role not in {Role.WINDOW_STAFF, Role.CHIEF_REP}:
        return Window.objects.none()
    return Window.objects.filter(Q(unit_id=staff.unit_id) | Q(staff=staff)).distinct()


# -- appointments -------------------------------------------------------------------------------------------


def slot_availability(*, line: ServiceLine, day: date, now: datetime | None = None) -> list[dict[str, Any]]:
    """Slots of `day` with free places; a slot that has already started is `past` and offers none (Q-2)."""
    now = now or timezone.now()
    policy = queue_policy(centre_id=line.centre_id)
    taken = dict(
        Appointment.objects.filter(
            line=line, day=day, status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN]
        )
        .values("slot_start")
        .annotate(n=Count("id"))
        .values_list("slot_start", "n")
    )
    slots = []
    for s in slot_starts(policy):
        past = timezone.make_aware(datetime.combine(day, s)) < now
        free = 0 if past else max(policy.appointment_slot_capacity - taken.get(s, 0), 0)
        slots.append({"start": s.strftime("%H:%M"), "taken": taken.get(s, 0), "free": free, "past": past})
    return slots


# -- statistics ----------------------------------------------------------------------------------------------

GROUPINGS = {
    "line": ("line__prefix", "line__name"),
    "window": ("window__number", "window__name"),
    "staff": ("staff__staff_no", "staff__name"),
    "day": ("day",),
}


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    tickets: int
    served: int
    avg_wait: float | None
    p90_wait: float | None
    avg_service: float | None
    p90_service: float | None
    no_shows: int
    abandoned: int

    def as_list(self) -> list[Any]:
        return [
            self.key,
            self.label,
            self.tickets,
            self.served,
            self.avg_wait,
            self.p90_wait,
            self.avg_service,
            self.p90_service,
            self.no_shows,
            self.abandoned,
        ]


STAT_HEADERS = [
    "key",
    "名称",
    "取号数",
    "办结数",
    "平均等候(分)",
    "P90等候(分)",
    "平均办理(分)",
    "P90办理(分)",
    "过号",
    "未办理离开",
]


def queue_statistics(
    *,
    centre_id: int,
    first: date,
    last: date,
    group_by: str = "line",
    today: date | None = None,
    unit_ids: Iterable[int] | None = None,
) -> list[StatRow]:
    """Per line/window/staff/day: tickets, avg and P90 wait (issue→first call) and service (call→finish)."""
    if group_by not in GROUPINGS:
        from servicehall.core.errors import InputError

        raise InputError("group_by", f"可选 {', '.join(GROUPINGS)}")
    today = today or timezone.localdate()
    qs = Ticket.objects.filter(centre_id=centre_id, day__gte=first, day__lte=last)
    if unit_ids is not None:
        qs = qs.filter(window__unit_id__in=list(unit_ids))
    fields = GROUPINGS[group_by]
    rows = qs.values_list(
        *fields, "status", "issued_at", "first_called_at", "called_at", "finished_at", "day"
    )
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        keyparts = row[: len(fields)]
        status, issued, first_called, called, finished, day = row[len(fields) :]
        key = str(keyparts[0]) if keyparts[0] is not None else "—"
        label = str(keyparts[1]) if len(keyparts) > 1 and keyparts[1] is not None else key
        g = groups.setdefault(
            key,
            {"label": label, "n": 0, "served": 0, "waits": [], "services": [], "no_show": 0, "abandoned": 0},
        )
        g["n"] += 1
        if first_called is not None:
            g["waits"].append((first_called - issued).total_seconds() / 60)
        if status == Ticket.Status.FINISHED:
            g["served"] += 1
            if called is not None and finished is not None:
                g["services"].append((finished - called).total_seconds() / 60)
        elif status == Ticket.Status.NO_SHOW:
            g["no_show"] += 1
        elif status == Ticket.Status.ABANDONED or (status == Ticket.Status.WAITING and day < today):
            g["abandoned"] += 1

    def avg(xs: list[float]) -> float | None:
        return round(sum(xs) / len(xs), 1) if xs else None

    def p90(xs: list[float]) -> float | None:
        v = percentile(xs, 90)
        return None if v is None else round(v, 1)

    return [
        StatRow(
            key,
            g["label"],
            g["n"],
            g["served"],
            avg(g["waits"]),
            p90(g["waits"]),
            avg(g["services"]),
            p90(g["services"]),
            g["no_show"],
            g["abandoned"],
        )
        for key, g in sorted(groups.items())
    ]


@dataclass(frozen=True)
class QueueTrends:
    """What the statistics page draws: mean wait by hour of the day the ticket was taken, tickets finished
    per window (窗口号 in natural order), tickets taken per line per day."""

    hours: list[str]
    wait_by_hour: list[float | None]
    windows: list[str]
    served_by_window: list[int]
    days: list[str]
    tickets_by_line: dict[str, list[int]]


def queue_trends(
    *, centre_id: int, first: date, last: date, unit_ids: Iterable[int] | None = None
) -> QueueTrends:
    """The chart data of the statistics page over `first`..`last`, scoped like `queue_statistics`."""
    qs = Ticket.objects.filter(centre_id=centre_id, day__gte=first, day__lte=last)
    if unit_ids is not None:
        qs = qs.filter(window__unit_id__in=list(unit_ids))
    waits: dict[int, list[float]] = defaultdict(list)
    hours_seen: set[int] = set()
    served: dict[str, int] = defaultdict(int)
    per_line: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    rows = qs.values_list(
        "issued_at", "first_called_at", "status", "window__number", "line__prefix", "line__name", "day"
    )
    for issued, first_called, status, window_number, prefix, line_name, day in rows.iterator(chunk_size=5000):
        hour = timezone.localtime(issued).hour
        hours_seen.add(hour)
        if first_called is not None:
            waits[hour].append((first_called - issued).total_seconds() / 60)
        if status == Ticket.Status.FINISHED and window_number is not None:
            served[window_number] += 1
        per_line[f"{prefix} {line_name}"][day] += 1
    # office hours at least, widened to any hour a ticket was taken in
    span = range(min([8, *hours_seen]), max([17, *hours_seen]) + 1)
    window_order = sorted(served, key=lambda n: (len(n), n))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return QueueTrends(
        hours=[f"{h}时" for h in span],
        wait_by_hour=[round(sum(waits[h]) / len(waits[h]), 1) if waits[h] else None for h in span],
        windows=[f"{n}号" for n in window_order],
        served_by_window=[served[n] for n in window_order],
        days=[f"{d:%m-%d}" for d in days],
        tickets_by_line={name: [counts.get(d, 0) for d in days] for name, counts in sorted(per_line.items())},
    )

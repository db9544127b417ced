"""Runs the attendance engine over a whole month (考勤批量核算): processes and the garbage collector.

The engine (`rules`) evaluates one person at a time and keeps no state; this module decides how a batch
runs. Django-free, like the engine, so the services, the command line and the benchmark share it.

- The collector is switched off for the batch and the month's inputs are frozen out of its view: the
  batch allocates millions of short-lived objects and no reference cycles, so each collection would
  only rescan the inputs (a 30,000-staff month spent a third of its time there).
- From `PARALLEL_MIN_STAFF` people up, with more than one worker and where POSIX fork exists, the staff
  list is split: forked children inherit the prepared month (nothing is pickled on the way in) and send
  their results back as plain tuples, which pickle about ten times faster than the dataclasses.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

from servicehall.attendance.rules import (
    Event,
    LeaveSpan,
    MonthJob,
    PunchInput,
    PunchOffsets,
    StaffMonthResult,
    evaluate_people,
    prepare_month,
)
from servicehall.policy.sections.attendance import AttendancePolicy
from servicehall.workdays.calendar import WorkCalendar

PARALLEL_MIN_STAFF = 2000


def evaluate_month(
    policy: AttendancePolicy,
    calendar: WorkCalendar,
    month: str | date,
    staff: Iterable[Mapping[str, Any]] | None,
    punches: PunchInput | PunchOffsets,
    leaves: Iterable[Mapping[str, Any] | LeaveSpan] = (),
    off_post: Iterable[Mapping[str, Any]] = (),
    *,
    until: date | None = None,
    workers: int = 1,
    parallel_min_staff: int = PARALLEL_MIN_STAFF,
) -> list[StaffMonthResult]:
    """`rules.evaluate_month` for a batch: the same results, in the same order.

    `workers`: processes to use (0 = one per CPU); more than one forks for months of at least
    `parallel_min_staff` people.
    """
    with batch_gc():
        job = prepare_month(policy, calendar, month, staff, punches, leaves, off_post, until=until)
        if workers == 0:
            workers = os.cpu_count() or 1
        n = len(job.people)
        if workers > 1 and n >= max(parallel_min_staff, 2) and "fork" in mp.get_all_start_methods():
            return _evaluate_forked(job, workers)
        return evaluate_people(job, 0, n)


@contextmanager
def batch_gc() -> Iterator[None]:
    """No collection during the batch; what exists before it is frozen (not rescanned, and in forked
    children not written to, so their pages stay shared)."""
    was_enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _evaluate_forked(job: MonthJob, workers: int) -> list[StaffMonthResult]:
    """Children take the later shares of the staff list, this process the first one."""
    n = len(job.people)
    step = -(-n // workers)
    bounds = [(lo, min(lo + step, n)) for lo in range(0, n, step)]
    context = mp.get_context("fork")
    gc.freeze()  # the prepared month too: a child's collector would otherwise copy every page it touches
    children = []
    for lo, hi in bounds[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(job, lo, hi, send), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    try:
        mine = evaluate_people(job, *bounds[0])
        parts = []
        for _, receive in children:
            status, payload = receive.recv()
            if status != "ok":
                raise RuntimeError(f"attendance worker failed: {payload}")
            parts.append(payload)
    finally:
        for child, receive in children:
            receive.close()
            child.join()
    return mine + [_from_wire(item) for part in parts for item in part]


def _child(job: MonthJob, lo: int, hi: int, send: Connection) -> None:
    try:
        send.send(("ok", [_to_wire(r) for r in evaluate_people(job, lo, hi)]))
    except Exception as exc:  # reported to the parent, which raises
        send.send(("error", repr(exc)))
    finally:
        send.close()


def _to_wire(r: StaffMonthResult) -> tuple[Any, ...]:
    events = [(e.date.toordinal(), e.session, e.rule, e.code, e.params, e.absence_days) for e in r.events]
    return (r.staff_id, r.lates, r.early_leaves, r.missed_punches, r.absence_days, r.leave_days,
            r.workdays, r.sessions, events)  # fmt: skip


def _from_wire(item: tuple[Any, ...]) -> StaffMonthResult:
    staff_id, lates, early_leaves, missed, absence_days, leave_days, workdays, sessions, events = item
    fromordinal = date.fromordinal
    return StaffMonthResult(
        staff_id,
        lates,
        early_leaves,
        missed,
        absence_days,
        leave_days,
        events=tuple(Event(fromordinal(d), s, rule, c, p, a) for d, s, rule, c, p, a in events),
        workdays=workdays,
        sessions=sessions,
    )

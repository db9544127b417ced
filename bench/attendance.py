"""Benchmark: a month of attendance for N staff (`servicehall bench attendance --staff 10000 --month 2026-03`).

Generates realistic punches (four a working day, with lates, early leaves, missed punches, duplicate
reads, absences and leaves), evaluates the month with the engine through its batch runner
(`servicehall.attendance.runner`) and, as a lower bound, computes the late / early-leave / missed-punch
counts of the same data with a vectorised polars query. Engine and baseline runs alternate; medians are
compared. Prints one JSON object with the ratio and the process's peak memory.

`--input offsets` (default) hands the engine each person's punches as local microseconds since the
month's start (`PunchOffsets`, what the database path converts to once per query), as the baseline gets
prebuilt columns of seconds; `--input datetimes` hands it (staff, datetime) pairs in terminal order and
includes the conversion in the engine's time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from array import array
from datetime import date, datetime, timedelta
from itertools import pairwise

from servicehall.attendance.rules import PunchOffsets, parse_month
from servicehall.attendance.runner import evaluate_month
from servicehall.attendance.sources import calendar_for_months
from servicehall.policy.loader import load_policy


def generate(staff: int, month: str, policy, calendar, seed: int = 2026, *, offsets: bool = False):
    """(punches, leave records, staff records). Punches as (staff_id, datetime) pairs in time order, or
    with `offsets` as `PunchOffsets` (per staff, an int64 array of local microseconds since the month's
    start): the same punches from the same random draws either way."""
    rng = random.Random(seed)
    first, nxt = parse_month(month)
    days = []
    d = first
    while d < nxt:
        if calendar.is_workday(d):
            days.append(d)
        d += timedelta(days=1)
    punches: list[tuple[int, datetime]] = []
    per_staff = PunchOffsets()
    month_start = datetime.combine(first, datetime.min.time())
    one_us = timedelta(microseconds=1)
    leaves: list[dict] = []
    people = [
        {"staff_id": i, "name": f"员工{i}", "role": "staff", "unit": f"单位{i % 40}"} for i in range(staff)
    ]
    rnd = rng.random
    for sid in range(staff):
        mine: list[datetime] = []
        add = mine.append
        on_leave: set[date] = set()
        if rnd() < 0.05:  # one leave of 1–3 working days, mostly approved
            i = rng.randrange(len(days))
            span = days[i : i + rng.randint(1, 3)]
            on_leave.update(span)
            status = "approved" if rnd() < 0.8 else "pending"
            kind = rng.choice(["personal", "sick", "annual", "business"])
            leaves.append(
                {
                    "staff_id": sid,
                    "kind": kind,
                    "start": span[0].isoformat(),
                    "end": span[-1].isoformat(),
                    "status": status,
                    "certificate": "yes" if rnd() < 0.5 else "no",
                }
            )
        sloppy = rnd() < 0.1  # a few people account for most findings
        p_late = 0.15 if sloppy else 0.02
        p_miss = 0.06 if sloppy else 0.005
        for day in days:
            if day in on_leave and rnd() < 0.95:
                continue
            base = datetime(day.year, day.month, day.day)
            for s in policy.sessions_for(day.weekday()):
                if rnd() < 0.004:  # absent for the session
                    continue
                start = base.replace(hour=s.start.hour, minute=s.start.minute)
                end = base.replace(hour=s.end.hour, minute=s.end.minute)
                if rnd() >= p_miss:
                    r = rnd()
                    if r < p_late:
                        t = start + timedelta(seconds=rng.randint(1, 80 * 60))
                    else:
                        t = start - timedelta(seconds=rng.randint(0, 30 * 60))
                    add(t)
                    if rnd() < 0.08:  # duplicate read
                        add(t + timedelta(seconds=rng.randint(2, 90)))
                if rnd() >= p_miss:
                    if rnd() < p_late:
                        t = end - timedelta(seconds=rng.randint(1, 40 * 60))
                    else:
                        t = end + timedelta(seconds=rng.randint(0, 40 * 60))
                    add(t)
                    if rnd() < 0.08:
                        add(t + timedelta(seconds=rng.randint(2, 90)))
        if offsets:
            per_staff[sid] = array("q", [(t - month_start) // one_us for t in mine])
        else:
            punches += [(sid, t) for t in mine]
    if offsets:
        return per_staff, leaves, people
    punches.sort(key=lambda p: p[1])  # a terminal export is chronological, all staff interleaved
    return punches, leaves, people


def staff_and_seconds(punches, month: str) -> tuple[array, array]:
    """The baseline's two input columns (staff id, seconds since the month's start), from either form."""
    first, _ = parse_month(month)
    staff_col, secs_col = array("i"), array("q")
    if isinstance(punches, PunchOffsets):
        for sid, times in punches.items():
            staff_col.extend([sid] * len(times))
            secs_col.extend([t // 1_000_000 for t in times])
        return staff_col, secs_col
    lo = datetime.combine(first, datetime.min.time())
    staff_col.extend(p[0] for p in punches)
    secs_col.extend(int((p[1] - lo).total_seconds()) for p in punches)
    return staff_col, secs_col


def polars_baseline(columns, policy, calendar, month: str) -> tuple[float, float, dict]:
    """Late / early / missed counts per staff, vectorised (same window rule, no leaves, no evidence)."""
    import polars as pl

    first, nxt = parse_month(month)
    staff_col, secs_col = columns
    rows = []
    d = first
    while d < nxt:
        if calendar.is_workday(d):
            ss = policy.sessions_for(d.weekday())
            pts = [x.hour * 3600 + x.minute * 60 for s in ss for x in (s.start, s.end)]
            mids = [(a + b) // 2 for a, b in pairwise(pts)]
            rows.append(
                {
                    "d": (d - first).days,
                    "p0": pts[0],
                    "p1": pts[1],
                    "p2": pts[2],
                    "p3": pts[3],
                    "m0": mids[0],
                    "m1": mids[1],
                    "m2": mids[2],
                }
            )
        d += timedelta(days=1)
    t0 = time.perf_counter()
    df = pl.DataFrame({"staff": staff_col, "ts": secs_col}, schema={"staff": pl.Int32, "ts": pl.Int64})
    t_build = time.perf_counter() - t0
    plan = pl.DataFrame(rows).with_columns(pl.col("d").cast(pl.Int64))
    ndays = plan.height
    late_s = policy.late_after_minutes * 60
    half_s = policy.late_half_day_minutes * 60
    early_s = policy.early_leave_minutes * 60
    collapse = policy.duplicate_collapse_minutes * 60
    t0 = time.perf_counter()
    out = (
        df.lazy()
        .sort(["staff", "ts"])
        .filter((pl.col("ts") - pl.col("ts").shift(1).over("staff")).fill_null(10**9) > collapse)
        .with_columns(d=pl.col("ts") // 86400, sod=pl.col("ts") % 86400)
        .join(plan.lazy(), on="d", how="inner")
        .with_columns(
            idx=(pl.col("sod") > pl.col("m0")).cast(pl.Int8)
            + (pl.col("sod") > pl.col("m1")).cast(pl.Int8)
            + (pl.col("sod") > pl.col("m2")).cast(pl.Int8)
        )
        .with_columns(
            point=pl.when(pl.col("idx") == 0)
            .then(pl.col("p0"))
            .when(pl.col("idx") == 1)
            .then(pl.col("p1"))
            .when(pl.col("idx") == 2)
            .then(pl.col("p2"))
            .otherwise(pl.col("p3"))
        )
        .group_by(["staff", "d", "idx"])
        .agg(first=pl.col("sod").min(), last=pl.col("sod").max(), point=pl.col("point").first())
        .with_columns(
            late=(
                (pl.col("idx") % 2 == 0)
                & (pl.col("first") - pl.col("point") > late_s)
                & (pl.col("first") - pl.col("point") < half_s)  # ATT-5: an hour or more is absence instead
            ).cast(pl.Int32),
            early=((pl.col("idx") % 2 == 1) & (pl.col("point") - pl.col("last") >= early_s)).cast(pl.Int32),
            session=pl.col("idx") // 2,
        )
        .group_by(["staff", "d", "session"])
        .agg(n=pl.len(), late=pl.col("late").sum(), early=pl.col("early").sum())
        .group_by("staff")
        .agg(
            lates=pl.col("late").sum(),
            early_leaves=pl.col("early").sum(),
            missed=(pl.col("n") == 1).sum(),
            sessions=pl.len(),
        )
        .collect()
    )
    t_query = time.perf_counter() - t0
    summary = {
        "lates": int(out["lates"].sum()),
        "early_leaves": int(out["early_leaves"].sum()),
        "missed_punches": int(out["missed"].sum()),
        "empty_sessions": int(len(set(staff_col)) * ndays * 2 - out["sessions"].sum()),
    }
    return t_build, t_query, summary


def baseline_in_child(columns, policy, calendar, month: str) -> tuple[float, float, dict, float]:
    """`polars_baseline` in a forked child, so that polars' memory is not counted as the engine's;
    also returns the child's own peak memory (MB)."""
    import multiprocessing as mp

    context = mp.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        t_build, t_query, summary = polars_baseline(columns, policy, calendar, month)
        send.send((t_build, t_query, summary, _peak_mb()))

    child = context.Process(target=run)
    child.start()
    result = receive.recv()
    child.join()
    return result


def _peak_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss: KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="servicehall bench attendance")
    ap.add_argument("--staff", type=int, default=10000)
    ap.add_argument("--month", default="2026-03")
    ap.add_argument("--policy", default="yuanzhou-p2")
    ap.add_argument("--workers", type=int, default=0, help="processes for the engine (0 = all cores)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument(
        "--repeat", type=int, default=3, help="runs of each side, alternating; the medians are compared"
    )
    ap.add_argument(
        "--input",
        choices=("offsets", "datetimes"),
        default="offsets",
        help="punches as per-staff local offsets (PunchOffsets) or as (staff, datetime) pairs",
    )
    args = ap.parse_args(argv)

    policy = load_policy(args.policy)
    first, _ = parse_month(args.month)
    calendar = calendar_for_months([first])
    att = policy.attendance

    t0 = time.perf_counter()
    punches, leaves, people = generate(
        args.staff, args.month, att, calendar, args.seed, offsets=args.input == "offsets"
    )
    t_gen = time.perf_counter() - t0
    n_punches = sum(map(len, punches.values())) if isinstance(punches, PunchOffsets) else len(punches)
    columns = staff_and_seconds(punches, args.month)
    peak_generated = _peak_mb()

    load_before = os.getloadavg()[0]
    engine_runs, baseline_runs = [], []
    results = None
    for _ in range(max(args.repeat, 1)):  # alternating, so both sides see the same load
        results = None  # one month of results alive at a time
        t0 = time.perf_counter()
        results = evaluate_month(att, calendar, args.month, people, punches, leaves, workers=args.workers)
        engine_runs.append(time.perf_counter() - t0)
        t_build, t_query, base, baseline_peak = baseline_in_child(columns, att, calendar, args.month)
        baseline_runs.append(t_query)
    t_engine, t_query = statistics.median(engine_runs), statistics.median(baseline_runs)
    ratio = round(t_engine / t_query, 2) if t_query else None
    peak = _peak_mb()
    children = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)

    engine_totals = {
        "lates": sum(r.lates for r in results),
        "early_leaves": sum(r.early_leaves for r in results),
        "missed_punches": sum(r.missed_punches for r in results),
        "absence_days": sum(r.absence_days for r in results),
        "events": sum(len(r.events) for r in results),
    }
    out = {
        "benchmark": "attendance",
        "staff": args.staff,
        "month": args.month,
        "policy": policy.ref,
        "input": args.input,
        "punches": n_punches,
        "leaves": len(leaves),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": sys.platform,
            "load_average_at_start": round(load_before, 2),
            "load_average_at_end": round(os.getloadavg()[0], 2),
        },
        "generate_seconds": round(t_gen, 3),
        "engine_seconds": round(t_engine, 3),
        "engine_runs": [round(x, 3) for x in engine_runs],
        "engine_workers": args.workers or os.cpu_count(),
        "baseline": "polars lazy query: collapse, nearest point, late/early/missed counts (no leaves, no evidence)",
        "baseline_seconds": round(t_query, 3),
        "baseline_runs": [round(x, 3) for x in baseline_runs],
        "baseline_frame_build_seconds": round(t_build, 3),
        "ratio": ratio,
        "ratio_runs": [round(e / b, 2) for e, b in zip(engine_runs, baseline_runs, strict=True)],
        "peak_memory_mb": {
            "process": peak,
            "after_generating": peak_generated,
            "baseline_process": baseline_peak,
            "largest_child": children,
            "note": "process: generation + engine (its forked workers share these pages); "
            "the baseline runs in a child process of its own",
        },
        "target": {"ratio_max": 2, "peak_memory_mb_max": 600},
        "meets_target": bool(ratio is not None and ratio <= 2 and peak <= 600),
        "engine_totals": engine_totals,
        "baseline_totals": base,
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

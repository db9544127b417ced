"""`servicehall bench supervision --cases N`: the card sweep against a raw-SQL baseline (SUP-1).

Builds N open accepted cases, each with a yellow and a red card schedule; 1 % of the cases have their
yellow instant in the past. Then, on the same data, times:

* `sweep` — `servicehall.supervision.jobs.run_sweep` (refresh mark, due rows through the partial index,
  cards, notifications to the responsible staff and chief representative, audit rows, schedules marked);
* `baseline` — the same work in plain SQL: select the due rows through the index (joined to the case and
  item), insert the same card, notification and audit rows and mark the schedules, in one transaction.

Each is run `--repeat` times on fresh state (the issued rows are removed between runs); best times are
reported with `ratio = sweep / baseline` (target ≤ 2). SQLite by default (a temporary file, N = 20 000);
SERVICEHALL_DATABASE_URL (e.g. under .ci/postgres.sh) selects PostgreSQL, where N defaults to 1 000 000.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _configure(tmp: str) -> None:
    os.environ.setdefault("SERVICEHALL_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["SERVICEHALL_HOME"] = tmp
    os.environ["SERVICEHALL_DEBUG"] = "0"
    os.environ.setdefault("SERVICEHALL_SECRET_KEY", "bench-only-" + "k" * 40)
    from servicehall.core.runtime import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(n: int, now: datetime) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from servicehall.cases.models import Case, CaseEvent
    from servicehall.catalog.models import Item
    from servicehall.org.models import Centre, Staff, Unit, Window
    from servicehall.policy_versions.selectors import policy_for_centre
    from servicehall.supervision.models import CardSchedule, SweepMark

    past, future = now - timedelta(hours=1), now + timedelta(days=30)
    centre, _ = Centre.objects.get_or_create(code="bench-sup", defaults={"name": "压测政务服务中心"})
    units, windows, staff, items = [], [], [], []
    for u in range(20):
        unit, _ = Unit.objects.get_or_create(centre=centre, name=f"压测单位{u}")
        window, _ = Window.objects.get_or_create(
            centre=centre, number=str(u + 1), defaults={"name": f"窗口{u}", "unit": unit}
        )
        person, _ = Staff.objects.get_or_create(
            centre=centre, staff_no=f"B{u}", defaults={"name": f"人员{u}", "unit": unit}
        )
        Staff.objects.get_or_create(
            centre=centre,
            staff_no=f"C{u}",
            defaults={"name": f"首代{u}", "unit": unit, "role": Staff.Role.CHIEF_REP},
        )
        item, _ = Item.objects.get_or_create(
            centre=centre,
            code=f"B-{u}",
            defaults={"name": f"压测事项{u}", "unit": unit, "status": "published", "promised_days": 5},
        )
        units.append(unit)
        windows.append(window)
        staff.append(person)
        items.append(item)
    ref = policy_for_centre(centre_id=centre.pk).ref
    due_on = (now + timedelta(days=5)).date()
    accepted = now - timedelta(days=3)
    if not Case.objects.filter(centre=centre).exists():
        # 20 seed cases through the ORM (one per unit), then copied in SQL: every column the model has,
        # whatever other domains added, with a unique number per copy.
        seeds = [
            Case.objects.create(
                centre=centre,
                number=f"S{u:03d}",
                item=items[u],
                case_type="promised",
                status="in_progress",
                applicant_name="压测",
                responsible=staff[u],
                window=windows[u],
                registered_at=accepted,
                accepted_at=accepted,
                limit_days=5,
                due_on=due_on,
                policy_ref=ref,
            )
            for u in range(20)
        ]
        columns = [f.column for f in Case._meta.concrete_fields if not f.primary_key]
        picked = ", ".join(
            ("'B' || s.id || '-' || q.i" if col == "number" else f"s.{col}") for col in columns
        )
        per_seed = (n + 19) // 20
        if connection.vendor == "postgresql":
            source = f"generate_series(1, {per_seed}) AS q(i)"
            prefix = ""
        else:
            source = "seq AS q"
            prefix = (
                f"WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {per_seed}) "
            )
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"{prefix}INSERT INTO cases_case ({', '.join(columns)}) SELECT {picked} FROM cases_case s, {source}"
                f" WHERE s.id IN ({', '.join(str(c.pk) for c in seeds)})"
            )
            cur.execute(f"DELETE FROM cases_case WHERE id IN ({', '.join(str(c.pk) for c in seeds)})")
            for colour in ("yellow", "red"):
                due_sql = "CASE WHEN c.id %% 100 = 0 THEN %s ELSE %s END" if colour == "yellow" else "%s"
                params = [past, future] if colour == "yellow" else [future]
                cur.execute(
                    "INSERT INTO supervision_cardschedule (case_id, trigger, colour, subject, rule_id, due_date,"
                    " due_at, evidence, policy_ref, provisional, issued)"
                    f" SELECT c.id, 'deadline', %s, '', 'SUP-1', %s, {due_sql}, %s, %s, %s, %s"
                    " FROM cases_case c WHERE c.centre_id = %s",
                    [colour, due_on, *params, json.dumps({"due_date": str(due_on), "bench": True}), ref, False,
                     False, centre.pk],
                )  # fmt: skip
    last_event = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    SweepMark.objects.update_or_create(name="cases", defaults={"last_event_id": last_event})
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    due = CardSchedule.objects.filter(case__centre=centre, issued=False, due_at__lte=now).count()
    total = Case.objects.filter(centre=centre).count()
    return {"centre": centre.pk, "due": due, "cases": total, "now": timezone.localtime(now)}


def _reset(centre_id: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM supervision_card WHERE centre_id = %s", [centre_id])
        cur.execute("DELETE FROM notifications_staffnotification WHERE centre_id = %s", [centre_id])
        cur.execute(
            "DELETE FROM core_auditentry WHERE centre_id = %s AND verb = 'supervision.card.raise'",
            [centre_id],
        )
        cur.execute("UPDATE supervision_cardschedule SET issued = %s WHERE issued = %s", [False, True])


def _baseline(now: datetime) -> int:
    """The same rows as the sweep, written with plain SQL statements."""
    from django.db import connection, transaction

    skip = " FOR UPDATE OF s SKIP LOCKED" if connection.vendor == "postgresql" else ""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT s.id, s.case_id, s.trigger, s.colour, s.subject, s.rule_id, s.policy_ref, s.due_date, s.due_at,"
            " s.evidence, c.centre_id, i.unit_id, c.window_id, c.responsible_id, c.number"
            " FROM supervision_cardschedule s JOIN cases_case c ON c.id = s.case_id JOIN catalog_item i ON i.id = c.item_id"
            " WHERE s.issued = %s AND s.due_at <= %s ORDER BY s.due_at" + skip,
            [False, now],
        )
        rows = cur.fetchall()
        if not rows:
            return 0
        reply_due = (now + timedelta(days=7)).date()
        cur.executemany(
            "INSERT INTO supervision_card (centre_id, case_id, unit_id, window_id, responsible_id, trigger, colour,"
            " subject, rule_id, policy_ref, due_date, due_at, raised_at, evidence, provisional, status, reply_due_on,"
            " reply, appeal, decision_note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, '', '', '')",
            [
                (
                    r[10],
                    r[1],
                    r[11],
                    r[12],
                    r[13],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    r[8],
                    now,
                    r[9] if isinstance(r[9], str) else json.dumps(r[9]),
                    False,
                    "open",
                    reply_due,
                )
                for r in rows
            ],
        )
        unit_ids = sorted({r[11] for r in rows})
        marks = ",".join(["%s"] * len(unit_ids))
        cur.execute(
            f"SELECT unit_id, id FROM org_staff WHERE role = 'chief_rep' AND unit_id IN ({marks})", unit_ids
        )
        chiefs: dict[int, list[int]] = {}
        for unit_id, staff_id in cur.fetchall():
            chiefs.setdefault(unit_id, []).append(staff_id)
        cur.execute(
            "SELECT id, case_id, unit_id, responsible_id, centre_id, colour FROM supervision_card WHERE raised_at = %s",
            [now],
        )
        cards = cur.fetchall()
        number = {r[1]: r[14] for r in rows}
        notes, audits = [], []
        for card_id, case_id, unit_id, responsible_id, centre_id, colour in cards:
            text = f"办件 {number[case_id]} 亮{'红牌' if colour == 'red' else '黄牌'}：办结时限，请在 {reply_due} 前书面回复"
            for recipient in {responsible_id, *chiefs.get(unit_id, [])} - {None}:
                notes.append(
                    (
                        centre_id,
                        recipient,
                        "supervision.card",
                        text,
                        f"/supervision/cards/{card_id}/",
                        "SUP-1",
                        now,
                    )
                )
            audits.append((now, "系统", "", centre_id, "supervision.card.raise", "supervision.card", str(card_id), "",
                           json.dumps({"rule": "SUP-1", "colour": colour, "case": case_id}), "{}", "{}", "", ""))  # fmt: skip
        cur.executemany(
            "INSERT INTO notifications_staffnotification (centre_id, recipient_id, kind, text, link, rule_id, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            notes,
        )
        cur.executemany(
            "INSERT INTO core_auditentry (at, actor_name, actor_role, centre_id, verb, target_type, target_id,"
            " reason, data, before, after, request_id, ip) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            audits,
        )
        ids = [r[0] for r in rows]
        for start in range(0, len(ids), 5000):
            part = ids[start : start + 5000]
            cur.execute(
                f"UPDATE supervision_cardschedule SET issued = %s WHERE id IN ({','.join(['%s'] * len(part))})",
                [True, *part],
            )
        return len(cards)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="servicehall bench supervision")
    ap.add_argument(
        "--cases",
        type=int,
        default=None,
        help="open cases (default 1,000,000 on PostgreSQL, 20,000 on SQLite)",
    )
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="servicehall-bench-")
    _configure(tmp)
    from django.db import connection
    from django.utils import timezone

    from servicehall.supervision.jobs import run_sweep
    from servicehall.supervision.models import Card

    n = args.cases or (1_000_000 if connection.vendor == "postgresql" else 20_000)
    now = timezone.now().replace(microsecond=0)
    t0 = time.perf_counter()
    seed = _build(n, now)
    build_seconds = time.perf_counter() - t0
    sweeps, baselines, issued = [], [], []
    for _ in range(args.repeat):
        _reset(seed["centre"])
        t = time.perf_counter()
        made = _baseline(now)
        baselines.append(time.perf_counter() - t)
        _reset(seed["centre"])
        t = time.perf_counter()
        result = run_sweep(at=now)
        sweeps.append(time.perf_counter() - t)
        issued.append((made, result["issued"], Card.objects.filter(centre_id=seed["centre"]).count()))
    out = {
        "benchmark": "supervision",
        "database": connection.vendor,
        "open_cases": seed["cases"],
        "schedules": 2 * seed["cases"],
        "due_cards": seed["due"],
        "build_seconds": round(build_seconds, 1),
        "sweep_seconds": round(min(sweeps), 4),
        "baseline_seconds": round(min(baselines), 4),
        "ratio": round(min(sweeps) / min(baselines), 2),
        "sweep_runs": [round(s, 4) for s in sweeps],
        "baseline_runs": [round(s, 4) for s in baselines],
        "issued_baseline_sweep_stored": issued[-1],
        "cpu_cores": os.cpu_count(),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))
    same = all(a == b == c == seed["due"] for a, b, c in issued)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""`servicehall bench load [--duration 60] [--kill]`: the hall under load, and a crash in the middle.

On loopback, against PostgreSQL (SERVICEHALL_DATABASE_URL; run it under .ci/postgres.sh) and gunicorn
started with the shipped settings (`-c python:servicehall.ops.gunicorn_conf`, DEBUG off, collected static
files), locust (bench/_load_locust.py) runs for a bounded time:

- 200 citizens taking tickets at the kiosk API and watching their status,
- 30 windows calling next (each call finishes the window's previous ticket),
- 20 window staff registering cases (申报登记),
- a hall display holding the live stream (Server-Sent Events) and reconnecting when it ends.

With `--kill` the whole server (master and workers) gets SIGKILL halfway and is started again at once.

Afterwards every request is compared with the database:

- lost writes: a ticket or case answered 2xx that is not in the database (must be 0);
- failed but committed: a case whose request got an error *response* (4xx/5xx) yet is in the database
  (must be 0). A request cut off by the kill (no response at all) may have committed just before it: those
  are counted as `committed_without_response` and must all be in flight at the kill;
- duplicates: a ticket number issued twice, a ticket called twice (must be 0);
- errors: failed requests outside the kill window (must be 0).

Prints one JSON object: p50/p95 latency per request kind, counts, the checks, the load average. Exit 1
when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

HALL = "load-hall"
CSRF = "loadtestcsrftoken0123456789abcde"  # 32 characters: Django accepts it as the cookie secret


def _environment(home: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEHALL_")}
    env.update(
        SERVICEHALL_DATABASE_URL=os.environ["SERVICEHALL_DATABASE_URL"],
        SERVICEHALL_HOME=str(home),
        SERVICEHALL_DEBUG="0",
        SERVICEHALL_SECRET_KEY="load-test-only-" + "k" * 40,
        SERVICEHALL_ALLOWED_HOSTS="127.0.0.1,localhost",
        SERVICEHALL_SSL_REDIRECT="0",
        SERVICEHALL_BIND=f"127.0.0.1:{port}",
        # Every simulated citizen comes from 127.0.0.1: the per-address ticket throttle would refuse them.
        SERVICEHALL_THROTTLE_TICKETS="1000000/m",
    )
    for name in ("SERVICEHALL_WORKERS", "SERVICEHALL_THREADS"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(HERE.parent / "src"), env.get("PYTHONPATH", "")] if p)
    return env


def _prepare(env: dict[str, str], windows: int, staff: int) -> dict:
    """Schema, static files and a hall: one line, one item, `windows` windows with a clerk each and
    `staff` registrars; their sessions are created directly (no password hashing in the measurement)."""
    os.environ.update(env)
    from servicehall.core.runtime import setup_django

    setup_django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model, load_backend
    from django.core.management import call_command
    from django.utils import timezone

    from servicehall.catalog.models import Item
    from servicehall.org.models import Centre, Staff, Unit, Window
    from servicehall.queue.models import LineWindow, ServiceLine

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    centre = Centre.objects.create(code=HALL, name="压测政务服务中心")
    unit = Unit.objects.create(centre=centre, name="综合受理单位")
    item = Item.objects.create(
        centre=centre, unit=unit, code="LOAD-0001", name="压测事项", case_type="promised", promised_days=5,
        statutory_days=20, content="依申请办理", procedure="申请—受理—决定", legal_basis="《行政许可法》",
        status=Item.Status.PUBLISHED, published_at=timezone.now(),
    )  # fmt: skip
    line = ServiceLine.objects.create(centre=centre, name="综合业务", prefix="A", position=1)
    line.items.add(item)
    user_model = get_user_model()
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    # the backend a login would record, picked as Django's test client picks it (the first with get_user)
    backend = next(p for p in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(p), "get_user"))

    def session_for(username: str, role: str, window: Window | None) -> str:
        user = user_model(username=username)
        user.set_unusable_password()
        user.save()
        member = Staff.objects.create(
            centre=centre, unit=unit, user=user, name=username, staff_no=username, role=role
        )
        if window is not None:
            member.windows.add(window)
        session = session_store()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = backend
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    window_rows = []
    for n in range(1, windows + 1):
        window = Window.objects.create(centre=centre, unit=unit, number=str(n), name=f"综合窗口{n}")
        LineWindow.objects.create(line=line, window=window)
        window_rows.append(
            {"id": window.pk, "session": session_for(f"load-w{n}", Staff.Role.WINDOW_STAFF, window)}
        )
    registrars = [session_for(f"load-r{n}", Staff.Role.WINDOW_STAFF, None) for n in range(1, staff + 1)]
    from django.db import connections

    connections.close_all()
    return {"item_id": item.pk, "line_id": line.pk, "windows": window_rows, "registrars": registrars}


def _start_server(env: dict[str, str], home: Path, log) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", "python:servicehall.ops.gunicorn_conf",
               "servicehall.wsgi:application"]  # fmt: skip
    # Its own session: the kill takes the master and every worker at once, as a power cut would.
    return subprocess.Popen(command, cwd=home, env=env, stdout=log, stderr=log, start_new_session=True)


def _wait_ready(url: str, seconds: float = 180) -> float:
    started = time.time()
    while time.time() - started < seconds:
        try:
            with urllib.request.urlopen(url + "/api/queue/lines?hall=" + HALL, timeout=2) as r:
                if r.status == 200:
                    return time.time()
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"error: the server did not answer within {seconds:.0f} s")


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {
        "n": len(values),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "max_ms": round(values[-1], 1),
    }


def _check(records: list[dict], kill_window: tuple[float, float] | None) -> dict:
    from django.db.models import Count

    from servicehall.cases.models import Case
    from servicehall.queue.models import QueueEvent, Ticket

    def in_window(r: dict) -> bool:
        """In flight when the kill came, or sent while the server was down (or still starting)."""
        if kill_window is None:
            return False
        return r["at"] <= kill_window[1] + 1 and r["at"] + r["ms"] / 1000 >= kill_window[0] - 0.5

    def cut_by_kill(r: dict) -> bool:
        return kill_window is not None and r["at"] <= kill_window[0] <= r["at"] + r["ms"] / 1000 + 0.5

    ok = {"ticket": 201, "case": 201, "call": 200, "ticket status": 200, "display": 200}
    failures = [r for r in records if r["status"] != ok[r["kind"]]]
    errors = [r for r in failures if not in_window(r)]
    tickets = Ticket.objects.filter(centre__code=HALL)
    ticket_ids = set(tickets.values_list("pk", flat=True))
    ok_tickets = {r["id"] for r in records if r["kind"] == "ticket" and r["status"] == 201}
    cases = dict(Case.objects.filter(centre__code=HALL).values_list("applicant_name", "pk"))
    ok_cases = {r["key"]: r["id"] for r in records if r["kind"] == "case" and r["status"] == 201}
    failed_cases = [r for r in records if r["kind"] == "case" and r["status"] != 201]
    committed_with_error = [r for r in failed_cases if r["status"] != 0 and r["key"] in cases]
    committed_no_response = [r for r in failed_cases if r["status"] == 0 and r["key"] in cases]
    unexplained_cases = [r for r in committed_no_response if not cut_by_kill(r)]
    extra_tickets = ticket_ids - ok_tickets
    tickets_cut = [r for r in records if r["kind"] == "ticket" and r["status"] == 0 and cut_by_kill(r)]
    # The database's unique constraint on (line, day, seq) would refuse a duplicate; this counts what a
    # citizen sees: the printed number.
    dup_numbers = tickets.values("day", "number").annotate(n=Count("id")).filter(n__gt=1).count()
    calls = Counter(
        QueueEvent.objects.filter(ticket__centre__code=HALL, kind="call").values_list("ticket_id", flat=True)
    )
    called_ok = [r["id"] for r in records if r["kind"] == "call" and r["status"] == 200 and r["id"]]
    return {
        "requests": len(records),
        "errors": len(errors),
        "error_samples": [
            {
                **{k: r.get(k) for k in ("kind", "status", "error")},
                "ms": round(r["ms"]),
                "s_after_kill": round(r["at"] - kill_window[0], 1) if kill_window else None,
            }
            for r in errors[:8]
        ],
        "failed_during_kill_window": len(failures) - len(errors),
        "tickets_ok": len(ok_tickets),
        "tickets_in_db": len(ticket_ids),
        "lost_tickets": len(ok_tickets - ticket_ids),
        "tickets_committed_without_response": len(extra_tickets),
        "tickets_cut_by_kill": len(tickets_cut),
        "cases_ok": len(ok_cases),
        "lost_cases": sum(1 for key, pk in ok_cases.items() if cases.get(key) != pk),
        "cases_failed_but_committed": len(committed_with_error) + len(unexplained_cases),
        "cases_committed_without_response": len(committed_no_response),
        "duplicate_ticket_numbers": dup_numbers,
        "tickets_called_twice": sum(1 for n in calls.values() if n > 1),
        "calls_ok_with_ticket": len(called_ok),
        "calls_ok_not_recorded": sum(1 for pk in called_ok if calls.get(pk, 0) == 0),
        "display_streams": sum(1 for r in records if r["kind"] == "display"),
        "display_events": sum(r.get("events", 0) for r in records if r["kind"] == "display"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="servicehall bench load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the whole server halfway, restart it")
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--windows", type=int, default=30)
    parser.add_argument("--staff", type=int, default=20, help="window staff registering cases")
    parser.add_argument("--displays", type=int, default=1)
    parser.add_argument("--port", type=int, default=18500, help="gunicorn's loopback port (default 18500)")
    args = parser.parse_args(argv)
    url = os.environ.get("SERVICEHALL_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("error: SERVICEHALL_DATABASE_URL must name a PostgreSQL database (e.g. run under .ci/postgres.sh)",
              file=sys.stderr)  # fmt: skip
        return 2
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="servicehall-load-") as tmp:
        home = Path(tmp)
        env = _environment(home, args.port)
        config = _prepare(env, args.windows, args.staff)
        config.update(
            hall=HALL, csrf=CSRF, citizens=args.citizens, windows_n=args.windows, staff_n=args.staff,
            displays=args.displays, stream_seconds=20, records=str(home / "records.jsonl"),
        )  # fmt: skip
        (home / "config.json").write_text(json.dumps(config), encoding="utf-8")
        base = f"http://127.0.0.1:{args.port}"
        log = open(home / "server.log", "ab")  # noqa: SIM115 - kept open across the restart
        server = _start_server(env, home, log)
        locust = None
        try:
            _wait_ready(base)
            users = args.citizens + args.windows + args.staff + args.displays
            locust = subprocess.Popen(
                [sys.executable, "-m", "locust", "-f", str(HERE / "_load_locust.py"), "--headless",
                 "-u", str(users), "-r", "50", "-t", f"{args.duration}s", "--host", base, "--only-summary",
                 "--stop-timeout", "30", "--loglevel", "ERROR"],
                env={**env, "LOAD_CONFIG": str(home / "config.json")}, stdout=subprocess.DEVNULL,
                stderr=open(home / "locust.log", "wb"),  # noqa: SIM115
            )  # fmt: skip
            kill_window = None
            restart_seconds = None
            if args.kill:
                time.sleep(args.duration / 2)
                killed_at = time.time()
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
                server = _start_server(env, home, log)
                ready_at = _wait_ready(base)
                kill_window = (killed_at, ready_at)
                restart_seconds = round(ready_at - killed_at, 2)
            locust.wait(timeout=args.duration + 120)
            records = [
                json.loads(line) for line in (home / "records.jsonl").read_text(encoding="utf-8").splitlines()
            ]
            checks = _check(records, kill_window)
            if checks["errors"] and os.environ.get("LOAD_KEEP_LOGS"):
                import shutil

                shutil.copy(home / "server.log", os.environ["LOAD_KEEP_LOGS"])
        finally:
            # Whatever happened, leave no server or load generator behind.
            if locust is not None and locust.poll() is None:
                locust.kill()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    latency = {}
    for kind in ("ticket", "ticket status", "call", "case"):
        ok = 201 if kind in {"ticket", "case"} else 200
        latency[kind] = _percentiles([r["ms"] for r in records if r["kind"] == kind and r["status"] == ok])
    everything = [r["ms"] for r in records if r["kind"] != "display" and r["status"] in (200, 201)]
    passed = (
        checks["errors"] == 0
        and checks["lost_tickets"] == 0
        and checks["lost_cases"] == 0
        and checks["cases_failed_but_committed"] == 0
        and checks["duplicate_ticket_numbers"] == 0
        and checks["tickets_called_twice"] == 0
        and checks["calls_ok_not_recorded"] == 0
        and checks["tickets_committed_without_response"] <= checks["tickets_cut_by_kill"]
        and checks["display_events"] > 0
    )
    result = {
        "benchmark": "load",
        "duration_s": args.duration,
        "users": {"citizens": args.citizens, "windows": args.windows, "staff": args.staff, "displays": args.displays},
        "server": f"gunicorn -c python:servicehall.ops.gunicorn_conf ({env.get('SERVICEHALL_WORKERS', '3')} workers × "
                  f"{env.get('SERVICEHALL_THREADS', '8')} threads), PostgreSQL",
        "kill": {"done": args.kill, "restart_to_ready_s": restart_seconds},
        "throughput_rps": round(len(everything) / args.duration, 1),
        "latency_all": _percentiles(everything),
        "latency": latency,
        "checks": checks,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "passed": passed,
    }  # fmt: skip
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

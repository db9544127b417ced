"""`servicehall bench queue --concurrency 50`: ticket issue + call-next throughput over loopback HTTP (Q-1).

Starts the Django app in-process on 127.0.0.1 with Django's threaded WSGI server (TCP_NODELAY on every
accepted socket, so small responses are not held back by Nagle's algorithm and delayed ACKs), fills a
throw-away database (a temporary SQLite file, or SERVICEHALL_DATABASE_URL when set, e.g. under
.ci/postgres.sh), then drives it with N client threads, each on its own kept-alive connection, through
three phases:

1. a bare "hello" view — what the server itself costs;
2. the raw-SQL floor — two bare views doing the essential work of issue and call-next through the
   database cursor (counter upsert, ticket insert, claim with SKIP LOCKED on PostgreSQL or inside the
   serialised IMMEDIATE transaction on SQLite, behind the same in-process writer lock as the real
   endpoints, finish of the window's current ticket, event and audit inserts), with no ORM, policy or
   validation, on a line and windows of its own;
3. the real endpoints — each client alternates `POST /api/queue/tickets` and
   `POST /api/queue/windows/{id}/call-next` on one of 10 windows.

Each phase is warmed up by WARMUP requests that are not measured (the first requests of a kind build
what later ones reuse, such as Django's URL resolvers, once per process); the queue is then emptied and
the phases take turns in `--rounds` rounds (hello, floor, endpoints, hello, ...), so a machine whose
speed drifts during the run slows each phase alike. Each phase reports throughput, latency, server CPU milliseconds per request (thread CPU time of the server thread
that handled it) and SQL statements per request, counted on the server's connection.
`ratio_to_raw_sql` = real endpoints' throughput / the raw-SQL floor's. Afterwards it counts duplicates:
numbers issued twice and tickets called twice (both must be 0).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import types
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

WINDOWS = 10
WARMUP = 100  # requests before each phase that are not measured


def _configure(tmp: str) -> None:
    os.environ.setdefault("SERVICEHALL_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["SERVICEHALL_HOME"] = tmp
    os.environ["SERVICEHALL_DEBUG"] = "0"
    os.environ["SERVICEHALL_SECRET_KEY"] = "bench-only-" + "k" * 40
    os.environ["SERVICEHALL_SSL_REDIRECT"] = "0"
    os.environ["SERVICEHALL_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["SERVICEHALL_THROTTLE_TICKETS"] = "1000000/m"  # every bench client shares 127.0.0.1
    from servicehall.cli import setup_django

    setup_django()
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import path

    def hello(request):
        return HttpResponse("hello")

    urls = types.ModuleType("servicehall_bench_urls")
    from django.views.decorators.csrf import csrf_exempt

    from servicehall import urls as site_urls

    urls.urlpatterns = [
        path("bench-hello/", hello),
        path("bench-raw/issue", csrf_exempt(_raw_issue)),
        path("bench-raw/call-next/<int:window_id>", csrf_exempt(_raw_call_next)),
        *site_urls.urlpatterns,
    ]
    sys.modules["servicehall_bench_urls"] = urls
    settings.ROOT_URLCONF = "servicehall_bench_urls"


def _raw_insert(cursor, model, values: dict) -> int | None:
    """INSERT one row of `model` with `values` (model defaults for the rest), as a hand-written statement
    would; returns the new id. Built from the model so the floor follows schema changes."""
    from django.db import connection

    columns, params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in values:
            continue
        value = values[field.attname] if field.attname in values else field.get_default()
        columns.append(connection.ops.quote_name(field.column))
        params.append(field.get_db_prep_save(value, connection))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(params))})"
    if model._meta.pk.attname in values:
        cursor.execute(sql, params)
        return values[model._meta.pk.attname]
    cursor.execute(sql + " RETURNING id", params)
    return cursor.fetchone()[0]


def _raw_issue(request):
    """The floor of `POST /api/queue/tickets`: number, ticket, event and audit rows, nothing else."""
    from django.db import connection
    from django.http import JsonResponse
    from django.utils import timezone

    from servicehall.core.models import AuditEntry
    from servicehall.queue.models import QueueEvent, Ticket
    from servicehall.queue.services import queue_transaction

    now = timezone.now()
    day = timezone.localdate(now)
    line = RAW["line"]
    with queue_transaction(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO queue_linedaycounter (line_id, day, last) VALUES (%s, %s, 1) "
            "ON CONFLICT (line_id, day) DO UPDATE SET last = queue_linedaycounter.last + 1 RETURNING last",
            [line, day],
        )
        seq = cursor.fetchone()[0]
        number = f"A{seq:03d}"
        ticket_id = _raw_insert(cursor, Ticket, {
            "centre_id": RAW["centre"], "line_id": line, "issued_line_id": line, "day": day, "seq": seq,
            "number": number, "issued_at": now, "queued_at": now,
        })  # fmt: skip
        _raw_insert(cursor, QueueEvent, {
            "centre_id": RAW["centre"], "at": now, "kind": "issue", "ticket_id": ticket_id,
            "data": {"number": number},
        })  # fmt: skip
        _raw_insert(cursor, AuditEntry, {
            "at": now, "centre_id": RAW["centre"], "verb": "queue.issue", "target_type": "queue.ticket",
            "target_id": str(ticket_id), "data": {"number": number},
        })  # fmt: skip
    return JsonResponse({"id": ticket_id, "number": number}, status=201)


def _raw_call_next(request, window_id: int):
    """The floor of `POST /api/queue/windows/{id}/call-next`: finish the window's current ticket, claim
    the oldest waiting one (SKIP LOCKED on PostgreSQL; SQLite's IMMEDIATE transaction serialises), mark
    it called, and write the events and the audit row."""
    from django.db import connection
    from django.http import JsonResponse
    from django.utils import timezone

    from servicehall.core.models import AuditEntry
    from servicehall.queue.models import QueueEvent
    from servicehall.queue.services import queue_transaction

    now = timezone.now()
    skip_locked = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    lock_state = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    with queue_transaction(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT current_ticket_id FROM queue_windowstate WHERE window_id = %s{lock_state}", [window_id]
        )
        current = cursor.fetchone()[0]
        if current is not None:
            cursor.execute(
                "UPDATE queue_ticket SET status = 'finished', finished_at = %s WHERE id = %s", [now, current]
            )
            _raw_insert(cursor, QueueEvent, {
                "centre_id": RAW["centre"], "at": now, "kind": "finish", "ticket_id": current,
                "window_id": window_id,
            })  # fmt: skip
        cursor.execute(
            "SELECT id, number FROM queue_ticket WHERE line_id = %s AND day = %s AND status = 'waiting' "
            f"ORDER BY queued_at, id LIMIT 1{skip_locked}",
            [RAW["line"], timezone.localdate(now)],
        )
        row = cursor.fetchone()
        ticket_id = row[0] if row else None
        if ticket_id is not None:
            cursor.execute(
                "UPDATE queue_ticket SET status = 'called', called_at = %s, "
                "first_called_at = COALESCE(first_called_at, %s), window_id = %s, staff_id = %s WHERE id = %s",
                [now, now, window_id, RAW["staff"][window_id], ticket_id],
            )
            _raw_insert(cursor, QueueEvent, {
                "centre_id": RAW["centre"], "at": now, "kind": "call", "ticket_id": ticket_id,
                "window_id": window_id, "data": {"number": row[1]},
            })  # fmt: skip
            _raw_insert(cursor, AuditEntry, {
                "at": now, "centre_id": RAW["centre"], "verb": "queue.call", "target_type": "queue.ticket",
                "target_id": str(ticket_id), "data": {"window": window_id},
            })  # fmt: skip
        cursor.execute(
            "UPDATE queue_windowstate SET current_ticket_id = %s WHERE window_id = %s", [ticket_id, window_id]
        )
    return JsonResponse({"ticket": None if row is None else {"id": ticket_id, "number": row[1]}})


RAW: dict = {}


def _seed() -> dict:
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from servicehall.catalog.models import Item
    from servicehall.org.models import Centre, Staff, Unit, Window
    from servicehall.queue.models import LineWindow, ServiceLine, Ticket

    Ticket.objects.all().delete()
    centre, _ = Centre.objects.get_or_create(code="bench", defaults={"name": "压测政务服务中心"})
    unit, _ = Unit.objects.get_or_create(centre=centre, name="压测单位")
    item, _ = Item.objects.get_or_create(
        centre=centre, code="BENCH-1", defaults={"name": "压测事项", "unit": unit, "status": "published"}
    )
    line, _ = ServiceLine.objects.get_or_create(centre=centre, prefix="A", defaults={"name": "综合"})
    line.items.add(item)
    cookies = []
    windows = []
    csrf = "b" * 32
    for n in range(1, WINDOWS + 1):
        window, _ = Window.objects.get_or_create(
            centre=centre, number=str(n), defaults={"name": f"窗口{n}", "unit": unit}
        )
        LineWindow.objects.get_or_create(line=line, window=window)
        user, _ = get_user_model().objects.get_or_create(username=f"bench{n}")
        staff, _ = Staff.objects.get_or_create(
            centre=centre, staff_no=f"B{n:03d}", defaults={"name": f"压测{n}", "unit": unit, "user": user}
        )
        staff.windows.add(window)
        client = Client()
        client.force_login(user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}")
        windows.append(window.pk)
    # The raw-SQL floor works its own line and windows, so the phases can take turns without one
    # calling the other's tickets, and each keeps its queue from one round to the next.
    raw_line, _ = ServiceLine.objects.get_or_create(centre=centre, prefix="R", defaults={"name": "压测底线"})
    raw_windows = []
    for n in range(1, WINDOWS + 1):
        window, _ = Window.objects.get_or_create(
            centre=centre, number=str(100 + n), defaults={"name": f"底线窗口{n}", "unit": unit}
        )
        Staff.objects.get(centre=centre, staff_no=f"B{n:03d}").windows.add(window)
        raw_windows.append(window.pk)
    from servicehall.queue.models import WindowState

    for pk in windows + raw_windows:
        WindowState.objects.get_or_create(window_id=pk)
    RAW.update(
        centre=centre.pk,
        line=raw_line.pk,
        staff={w.pk: w.staff.first().pk for w in Window.objects.filter(pk__in=raw_windows)},
    )
    return {
        "item": item.pk, "windows": windows, "raw_windows": raw_windows, "cookies": cookies, "csrf": csrf,
    }  # fmt: skip


def _serve():
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def setup(self):
            super().setup()
            # without it a keep-alive response waits for the client's delayed ACK (about 40 ms)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.set_app(_Metered(WSGIHandler()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


class _Metered:
    """WSGI wrapper that adds each request's server-thread CPU time and SQL statements to `METER`,
    keyed by the request's kind (the path without ids)."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        from django.db import connection

        kind = environ["REQUEST_METHOD"] + " " + "".join(c for c in environ["PATH_INFO"] if not c.isdigit())
        statements = [0]

        def count(execute, sql, params, many, context):
            statements[0] += 1
            return execute(sql, params, many, context)

        cpu = time.thread_time()
        with connection.execute_wrapper(count):
            body = b"".join(self.app(environ, start_response))
        cpu = time.thread_time() - cpu
        with METER_LOCK:
            entry = METER.setdefault(kind, [0, 0.0, 0])
            entry[0] += 1
            entry[1] += cpu
            entry[2] += statements[0]
        return [body]


METER: dict[str, list] = {}
METER_LOCK = threading.Lock()


def _metered(kinds: dict[str, list]) -> dict:
    """CPU ms and statements per request of each kind in a phase's meter readings."""
    return {
        kind: {
            "requests": n,
            "server_cpu_ms_per_request": round(1000 * cpu / n, 2),
            "statements_per_request": round(statements / n, 2),
        }
        for kind, (n, cpu, statements) in sorted(kinds.items())
        if n
    }


class _Conn:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None):
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.request(method, url, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return resp.status, data
            except (http.client.HTTPException, ConnectionError, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")


def _run(conns: list[_Conn], total: int, job) -> _Round:
    """`total` requests of `job` from one thread per connection (kept open from one run to the next, so
    no phase pays for new connections)."""
    concurrency = len(conns)
    METER.clear()
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    counter = iter(range(total))
    start_gate = threading.Barrier(concurrency + 1)

    def worker(w: int) -> None:
        conn = conns[w]
        start_gate.wait()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            t0 = time.perf_counter()
            ok = job(conn, w, i)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if ok is not True:
                    errors[str(ok)] += 1

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(concurrency)]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return _Round(latencies, elapsed, errors, {kind: list(entry) for kind, entry in METER.items()})


class _Round:
    """One run of a phase: each request's latency, the wall time, the errors and the server's meter."""

    def __init__(
        self, latencies: list[float], seconds: float, errors: Counter, meter: dict[str, list]
    ) -> None:
        self.latencies, self.seconds, self.errors, self.meter = latencies, seconds, errors, meter


def _summary(rounds: list[_Round]) -> dict:
    """A phase's figures over all its rounds: throughput is all its requests over all its wall time."""
    lat = sorted(x for r in rounds for x in r.latencies)
    seconds = sum(r.seconds for r in rounds)
    errors: Counter = sum((r.errors for r in rounds), Counter())
    meter: dict[str, list] = {}
    for r in rounds:
        for kind, (n, cpu, statements) in r.meter.items():
            entry = meter.setdefault(kind, [0, 0.0, 0])
            entry[0] += n
            entry[1] += cpu
            entry[2] += statements
    return {
        "requests": len(lat),
        "seconds": round(seconds, 2),
        "requests_per_second": round(len(lat) / seconds, 1),
        "rounds_requests_per_second": [round(len(r.latencies) / r.seconds, 1) for r in rounds],
        "latency_ms_p50": round(statistics.median(lat) * 1000, 1),
        "latency_ms_p95": round(lat[int(0.95 * (len(lat) - 1))] * 1000, 1),
        "errors": dict(errors),
        "server": _metered(meter),
    }


def _reset_queue() -> None:
    """Forget the warm-up's tickets so the phases start from an empty queue. Its audit rows stay: the log is append-only (CASE-9; PostgreSQL refuses the DELETE) and no queue count reads it."""
    from servicehall.queue.models import LineDayCounter, QueueEvent, Ticket, WindowState

    WindowState.objects.update(current_ticket=None, priority_streak=0)
    QueueEvent.objects.all().delete()
    Ticket.objects.all().delete()
    LineDayCounter.objects.all().delete()


def _duplicates(issued: list[str], called: list[int]) -> tuple[int, int]:
    """Numbers issued twice and tickets called twice, from the answers and from the database."""
    from servicehall.queue.models import QueueEvent, Ticket

    numbers = Counter(Ticket.objects.values_list("issued_line_id", "day", "seq"))
    call_events = Counter(QueueEvent.objects.filter(kind="call").values_list("ticket_id", flat=True))
    return (
        sum(1 for n in Counter(issued).values() if n > 1) + sum(1 for n in numbers.values() if n > 1),
        sum(1 for n in Counter(called).values() if n > 1) + sum(1 for n in call_events.values() if n > 1),
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="servicehall bench queue")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="requests per phase")
    ap.add_argument(
        "--rounds", type=int, default=10,
        help="the phases take turns in this many rounds, so a machine whose speed drifts slows each alike",
    )  # fmt: skip
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="servicehall-bench-")
    _configure(tmp)
    seed = _seed()
    server = _serve()
    from django.db import connection

    issued: list[str] = []
    called: list[int] = []
    rec_lock = threading.Lock()

    def hello(conn: _Conn, w: int, i: int):
        status, _ = conn.request("GET", "/bench-hello/")
        return True if status == 200 else status

    def queue_job(conn: _Conn, w: int, i: int):
        if i % 2 == 0:
            body = json.dumps({"item_ids": [seed["item"]]}).encode()
            status, data = conn.request(
                "POST", "/api/queue/tickets", body, {"Content-Type": "application/json"}
            )
            if status != 201:
                return status
            with rec_lock:
                issued.append(json.loads(data)["number"])
            return True
        k = w % WINDOWS
        headers = {"Cookie": seed["cookies"][k], "X-CSRFToken": seed["csrf"], "Content-Length": "0"}
        status, data = conn.request(
            "POST", f"/api/queue/windows/{seed['windows'][k]}/call-next", b"", headers
        )
        if status != 200:
            return status
        ticket = json.loads(data)["ticket"]
        if ticket is not None:
            with rec_lock:
                called.append(ticket["id"])
        return True

    def raw_job(conn: _Conn, w: int, i: int):
        if i % 2 == 0:
            status, _ = conn.request("POST", "/bench-raw/issue", b"", {"Content-Length": "0"})
            return True if status == 201 else status
        window = seed["raw_windows"][w % WINDOWS]
        status, _ = conn.request("POST", f"/bench-raw/call-next/{window}", b"", {"Content-Length": "0"})
        return True if status == 200 else status

    conns = [_Conn(server.server_address[1]) for _ in range(args.concurrency)]
    phases = {"baseline_hello": hello, "raw_sql_floor": raw_job, "queue_issue_and_call_next": queue_job}
    for job in phases.values():  # the first requests of a kind build what later ones reuse, once per process
        _run(conns, WARMUP, job)
    _reset_queue()
    issued.clear()
    called.clear()
    rounds: dict[str, list[_Round]] = {name: [] for name in phases}
    per_round = max(args.requests // args.rounds, args.concurrency)
    for _ in range(args.rounds):
        for name, job in phases.items():
            rounds[name].append(_run(conns, per_round, job))
    baseline, raw_sql, workload = (_summary(rounds[name]) for name in phases)
    server.shutdown()
    duplicates = _duplicates(issued, called)

    result = {
        "benchmark": "queue",
        "server": "django ThreadedWSGIServer on 127.0.0.1 (in-process)",
        "database": connection.vendor,
        "concurrency": args.concurrency,
        "windows": WINDOWS,
        "rounds": args.rounds,
        "baseline_hello": baseline,
        "raw_sql_floor": raw_sql,
        "queue_issue_and_call_next": workload,
        "ratio_to_hello": round(workload["requests_per_second"] / baseline["requests_per_second"], 3),
        "ratio_to_raw_sql": round(workload["requests_per_second"] / raw_sql["requests_per_second"], 3),
        "targets": {"ratio_to_raw_sql": 0.5, "statements_per_issue": 10, "statements_per_call_next": 12},
        "tickets_issued": len(issued),
        "tickets_called": len(called),
        "duplicate_numbers": duplicates[0],
        "tickets_called_twice": duplicates[1],
        "cpu_cores": os.cpu_count(),
    }
    # a phase whose requests failed measured its error answers, not its work: no ratio is honest then
    failed = {
        name: figures["errors"]
        for name, figures in zip(phases, (baseline, raw_sql, workload), strict=True)
        if figures["errors"]
    }
    if failed:
        result["failed_requests"] = failed
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["duplicate_numbers"] == 0 and result["tickets_called_twice"] == 0 and not failed else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""`servicehall bench queue --concurrency 50`: ticket issue + call-next throughput over loopback HTTP (Q-1).

Starts the Django app in-process on 127.0.0.1 with Django's threaded WSGI server, fills a throw-away
database (a temporary SQLite file, or SERVICEHALL_DATABASE_URL when set, e.g. under .ci/postgres.sh),
then drives it with N client threads: first a bare "hello" view (the baseline of the same server),
then the queue workload — each client alternates `POST /api/queue/tickets` and
`POST /api/queue/windows/{id}/call-next` on one of 10 windows. Afterwards it counts duplicates:
numbers issued twice and tickets called twice (both must be 0).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
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


def _configure(tmp: str) -> None:
    os.environ.setdefault("SERVICEHALL_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["SERVICEHALL_HOME"] = tmp
    os.environ["SERVICEHALL_DEBUG"] = "0"
    os.environ["SERVICEHALL_SECRET_KEY"] = "bench-only-" + "k" * 40
    os.environ["SERVICEHALL_SSL_REDIRECT"] = "0"
    os.environ["SERVICEHALL_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    from servicehall.cli import setup_django

    setup_django()
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import path

    def hello(request):
        return HttpResponse("hello")

    urls = types.ModuleType("servicehall_bench_urls")
    from servicehall import urls as site_urls

    urls.urlpatterns = [path("bench-hello/", hello), *site_urls.urlpatterns]
    sys.modules["servicehall_bench_urls"] = urls
    settings.ROOT_URLCONF = "servicehall_bench_urls"


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
    return {"item": item.pk, "windows": windows, "cookies": cookies, "csrf": csrf, "line": line.pk}


def _serve():
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


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


def _run(concurrency: int, total: int, job) -> dict:
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    counter = iter(range(total))
    start_gate = threading.Barrier(concurrency + 1)

    def worker(w: int) -> None:
        conn = _Conn(PORT)
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
    lat = sorted(latencies)
    return {
        "requests": len(lat),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(lat) / elapsed, 1),
        "latency_ms_p50": round(statistics.median(lat) * 1000, 1),
        "latency_ms_p95": round(lat[int(0.95 * (len(lat) - 1))] * 1000, 1),
        "errors": dict(errors),
    }


PORT = 0


def main(argv: list[str]) -> int:
    global PORT
    ap = argparse.ArgumentParser(prog="servicehall bench queue")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="requests per phase")
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="servicehall-bench-")
    _configure(tmp)
    seed = _seed()
    server = _serve()
    PORT = server.server_address[1]
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

    baseline = _run(args.concurrency, args.requests, hello)
    workload = _run(args.concurrency, args.requests, queue_job)
    server.shutdown()

    from servicehall.queue.models import QueueEvent, Ticket

    numbers = Counter(Ticket.objects.values_list("issued_line_id", "day", "seq"))
    call_events = Counter(QueueEvent.objects.filter(kind="call").values_list("ticket_id", flat=True))
    result = {
        "benchmark": "queue",
        "server": "django ThreadedWSGIServer on 127.0.0.1 (in-process)",
        "database": connection.vendor,
        "concurrency": args.concurrency,
        "windows": WINDOWS,
        "baseline_hello": baseline,
        "queue_issue_and_call_next": workload,
        "ratio_to_hello": round(workload["requests_per_second"] / baseline["requests_per_second"], 3),
        "tickets_issued": len(issued),
        "tickets_called": len(called),
        "duplicate_numbers": sum(1 for n in Counter(issued).values() if n > 1)
        + sum(1 for n in numbers.values() if n > 1),
        "tickets_called_twice": sum(1 for n in Counter(called).values() if n > 1)
        + sum(1 for n in call_events.values() if n > 1),
        "cpu_cores": os.cpu_count(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["duplicate_numbers"] == 0 and result["tickets_called_twice"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

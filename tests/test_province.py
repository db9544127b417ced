"""Province topology (省级部署): Redis, two app servers on one database, a Celery worker.

Marked `redis`: `make test` skips them; `.ci/run` runs them in its Redis stage (it installs redis-server):
    pytest -m redis tests/test_province.py
Everything runs as real processes on loopback: redis-server, two gunicorn servers (gthread, as shipped)
sharing one SQLite file, and `servicehall worker`.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.redis

SRC = Path(__file__).resolve().parents[1] / "src"
PYTHON = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on {port} within {timeout} s")


SETUP = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from servicehall.queue.tests.factories import hall
from servicehall.cases import services as cases
from servicehall.cases.tests.factories import Hall, local

h = hall(code="prov", lines=1, windows=1)
client = Client()
client.force_login(h.staff[0].user)
# A case accepted long ago with a two-day promise: the sweep owes it its cards (SUP-1).
ch = Hall(promised_days=2)
case = cases.register_case(actor=ch.staff, item=ch.item, applicant_name="张三", window=ch.window,
                           at=local(2025, 9, 30, 10))
cases.accept_case(case_id=case.pk, actor=ch.staff, at=local(2025, 9, 30, 10))
print(json.dumps({"item": h.items[0].pk, "window": h.windows[0].pk,
                  "session": client.cookies["sessionid"].value}))
"""


class Topology:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.redis_port = _free_port()
        self.procs: list[subprocess.Popen] = []
        redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "servicehall.settings",
            "SERVICEHALL_HOME": str(root),
            "SERVICEHALL_DATABASE_URL": f"sqlite:///{root / 'servicehall.sqlite3'}",
            "SERVICEHALL_REDIS_URL": redis_url,
            "SERVICEHALL_CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "SERVICEHALL_THROTTLE_TICKETS": "1000/m",
        }

    def start(self, args: list[str], log: str, **extra: str) -> subprocess.Popen:
        out = open(self.root / log, "wb")  # noqa: SIM115  closed with the process at teardown
        proc = subprocess.Popen(
            args, env={**self.env, **extra}, cwd=self.root, stdout=out, stderr=subprocess.STDOUT
        )
        self.procs.append(proc)
        return proc

    def run(self, code: str) -> str:
        script = "import django; django.setup()\n" + code
        done = subprocess.run(
            [PYTHON, "-c", script], env=self.env, cwd=self.root, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def app_server(self, name: str) -> int:
        port = _free_port()
        proc = self.start(
            [PYTHON, "-m", "gunicorn", "servicehall.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--worker-class", "gthread", "--workers", "1", "--threads", "8", "--timeout", "60"],
            f"{name}.log",
        )  # fmt: skip
        _wait_port(port, proc, f"app server {name}")
        return port

    def log(self, name: str) -> str:
        return (self.root / name).read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def topology(tmp_path_factory) -> Iterator[tuple[Topology, dict]]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    top = Topology(tmp_path_factory.mktemp("province"))
    try:
        redis = top.start(
            [server, "--port", str(top.redis_port), "--save", "", "--appendonly", "no"], "redis.log"
        )
        _wait_port(top.redis_port, redis, "redis-server")
        subprocess.run(
            [PYTHON, "-m", "servicehall.cli", "migrate", "-v0"],
            env=top.env,
            cwd=top.root,
            check=True,
            timeout=180,
        )
        seed = json.loads(top.run(SETUP).strip().splitlines()[-1])
        yield top, seed
    finally:
        top.stop()


def _post(port: int, path: str, body: dict | None = None, session: str = "") -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Content-Type": "application/json"}
    if session:
        headers |= {"Cookie": f"sessionid={session}; csrftoken={'p' * 32}", "X-CSRFToken": "p" * 32}
    conn.request("POST", path, body=json.dumps(body or {}), headers=headers)
    r = conn.getresponse()
    return r.status, json.loads(r.read() or b"{}")


def test_q_1__number_called_on_one_app_server_reaches_a_display_on_another(topology):
    """Q-1 叫号屏跨服务器: a display streaming from server B hears a ticket issued and called through
    server A, through Redis pub/sub (no shared process, no polling)."""
    top, seed = topology
    port_a, port_b = top.app_server("a"), top.app_server("b")
    frames: list[str] = []
    opened = threading.Event()

    def listen() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port_b, timeout=30)
        conn.request("GET", "/display/prov/stream/?seconds=15")
        r = conn.getresponse()
        assert r.status == 200
        block = ""
        while True:
            raw = r.fp.readline()
            if not raw:
                return
            line = raw.decode()
            if line.strip() == "":
                frames.append(block)
                if "event: hello" in block:
                    opened.set()
                if "event: call" in block or "event: bye" in block:
                    return
                block = ""
            else:
                block += line

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    assert opened.wait(20), top.log("b.log")
    time.sleep(0.5)  # B's Redis listener has subscribed
    status, ticket = _post(port_a, "/api/queue/tickets", {"item_ids": [seed["item"]]})
    assert status == 201, ticket
    status, called = _post(port_a, f"/api/queue/windows/{seed['window']}/call-next", session=seed["session"])
    assert status == 200, called
    reader.join(15)
    events = {f.split("event: ")[1].split("\n")[0]: f for f in frames if "event: " in f}
    assert "issue" in events, frames
    assert "call" in events, (frames, top.log("a.log"), top.log("b.log"))
    data = json.loads(events["call"].split("data: ", 1)[1])
    assert (data["number"], data["window_number"]) == (ticket["number"], "1")


def test_sup_1__sweep_runs_in_the_celery_worker(topology):
    """SUP-1 巡检 through the task queue: a sweep queued from one process is run by `servicehall worker`
    and issues the overdue case's cards in the shared database."""
    top, _seed = topology
    db = top.root / "servicehall.sqlite3"

    def cards() -> int:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("select count(*) from supervision_card").fetchone()[0])

    assert cards() == 0
    worker = top.start([PYTHON, "-m", "servicehall.cli", "worker", "--concurrency", "1"], "worker.log")
    top.run(
        "from servicehall.core.tasks import queued\n"
        "from servicehall.supervision.jobs import sweep_task\n"
        "assert queued()\n"
        "sweep_task.delay()\n"
    )
    deadline = time.monotonic() + 45
    while cards() == 0:
        assert worker.poll() is None, top.log("worker.log")
        assert time.monotonic() < deadline, top.log("worker.log")
        time.sleep(0.5)
    assert cards() >= 1
    assert "supervision.sweep" in top.log("worker.log")


def _timed_issue(port: int, item: int) -> float:
    started = time.perf_counter()
    status, body = _post(port, "/api/queue/tickets", {"item_ids": [item]})
    assert status == 201, body
    return time.perf_counter() - started


def test_q_1__eight_open_displays_leave_ticket_issue_at_normal_latency(topology):
    """Q-1 取号不被叫号屏拖慢: on the shipped production config (gunicorn -c servicehall.ops.gunicorn_conf,
    gthread), eight open display streams do not hold the workers: tickets are issued as fast as with none
    (with sync workers and no threads they waited for the workers to time out)."""
    top, seed = topology
    port = _free_port()
    proc = top.start(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "python:servicehall.ops.gunicorn_conf",
            "servicehall.wsgi:application",
        ],
        "shipped.log",
        SERVICEHALL_BIND=f"127.0.0.1:{port}",
        SERVICEHALL_DEBUG="1",
    )
    _wait_port(port, proc, "shipped gunicorn")
    _timed_issue(port, seed["item"])  # warm every code path once
    quiet = sorted(_timed_issue(port, seed["item"]) for _ in range(15))

    streams: list[http.client.HTTPResponse] = []
    for _ in range(8):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/display/prov/stream/?seconds=12")
        r = conn.getresponse()
        assert r.status == 200
        r.fp.readline()  # the stream is open and holds its thread
        streams.append(r)
    busy = sorted(_timed_issue(port, seed["item"]) for _ in range(15))
    for r in streams:
        r.close()
    p50_quiet, p50_busy = quiet[len(quiet) // 2], busy[len(busy) // 2]
    assert busy[-1] < 2.0, f"slowest issue with 8 displays open: {busy[-1]:.2f} s"
    assert p50_busy < 2 * p50_quiet + 0.05, f"p50 {p50_quiet * 1000:.0f} ms → {p50_busy * 1000:.0f} ms"
    print(f"issue p50 {p50_quiet * 1000:.1f} ms quiet, {p50_busy * 1000:.1f} ms with 8 displays open")

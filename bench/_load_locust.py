"""Locust users for `servicehall bench load` (run by bench/load.py, not on its own).

200 citizens take tickets and watch them, 30 windows call next, 20 window staff register cases, one hall
display holds the live stream. Every request is recorded (kind, start, latency, status, the id it wrote
or the key it tried to write) and the records are written as JSON lines when locust quits, so the bench
can compare them with the database.
"""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid

from locust import HttpUser, between, events, task

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
RECORDS: list[dict] = []
_windows = itertools.count()
_staff = itertools.count()


def record(kind: str, started: float, status: int, response=None, **extra) -> None:
    if response is not None and status == 0:
        extra["error"] = (
            f"{type(response.error).__name__}: {response.error}"[:160] if response.error else "no response"
        )
    RECORDS.append(
        {"kind": kind, "at": started, "ms": (time.time() - started) * 1000, "status": status, **extra}
    )


@events.quitting.add_listener
def _write_records(environment, **kwargs) -> None:
    with open(CONFIG["records"], "w", encoding="utf-8") as out:
        for row in RECORDS:
            out.write(json.dumps(row) + "\n")


def _json(response) -> dict:
    try:
        return response.json()
    except ValueError:
        return {}


class _Client(HttpUser):
    """One fresh connection per request, as nginx talks to gunicorn in the shipped site (no upstream
    keep-alive). Reusing an idle keep-alive connection straight to gunicorn races its 5 s keep-alive close:
    the server resets a request sent as it closes (seen as a few "connection reset" errors in long runs)."""

    abstract = True

    def on_start(self) -> None:
        self.client.headers["Connection"] = "close"


class _Staff(_Client):
    abstract = True

    def login(self, session_key: str) -> None:
        # Sessions are made by the bench (a password hash per login would measure PBKDF2, not the hall).
        self.client.cookies.set("sessionid", session_key)
        self.client.cookies.set("csrftoken", CONFIG["csrf"])
        self.headers = {"X-CSRFToken": CONFIG["csrf"], "Content-Type": "application/json"}


class Citizen(_Client):
    """Takes a ticket at the kiosk, then watches its status; now and then takes another."""

    fixed_count = CONFIG["citizens"]
    wait_time = between(4, 10)

    def on_start(self) -> None:
        super().on_start()
        self.ticket_id = None

    @task(1)
    def take_ticket(self) -> None:
        started = time.time()
        with self.client.post(
            "/api/queue/tickets",
            json={"item_ids": [CONFIG["item_id"]], "hall": CONFIG["hall"]},
            name="ticket",
            catch_response=True,
            timeout=60,
        ) as r:
            body = _json(r)
            record("ticket", started, r.status_code, r, id=body.get("id"), number=body.get("number"))
            if r.status_code == 201:
                self.ticket_id = body.get("id")
                r.success()

    @task(3)
    def watch_ticket(self) -> None:
        if self.ticket_id is None:
            return
        started = time.time()
        with self.client.get(
            f"/api/queue/tickets/{self.ticket_id}", name="ticket status", catch_response=True, timeout=60
        ) as r:
            record("ticket status", started, r.status_code, r)
            if r.status_code == 200:
                r.success()


class WindowClerk(_Staff):
    """A window calling the next citizen (the previous one is finished by the call)."""

    fixed_count = CONFIG["windows_n"]
    wait_time = between(3, 8)

    def on_start(self) -> None:
        super().on_start()
        window = CONFIG["windows"][next(_windows) % len(CONFIG["windows"])]
        self.window_id = window["id"]
        self.login(window["session"])

    @task
    def call_next(self) -> None:
        started = time.time()
        with self.client.post(
            f"/api/queue/windows/{self.window_id}/call-next",
            headers=self.headers,
            name="call next",
            catch_response=True,
            timeout=60,
        ) as r:
            ticket = _json(r).get("ticket") or {}
            record("call", started, r.status_code, r, window=self.window_id, id=ticket.get("id"))
            if r.status_code == 200:
                r.success()


class Registrar(_Staff):
    """Window staff registering a case (申报登记); the applicant's name carries a key to find it again."""

    fixed_count = CONFIG["staff_n"]
    wait_time = between(5, 15)

    def on_start(self) -> None:
        super().on_start()
        self.login(CONFIG["registrars"][next(_staff) % len(CONFIG["registrars"])])

    @task
    def register(self) -> None:
        key = "压测" + uuid.uuid4().hex[:16]
        started = time.time()
        with self.client.post(
            "/api/cases/",
            json={"item_id": CONFIG["item_id"], "applicant_name": key, "applicant_id_kind": "other",
                  "applicant_id_no": "LOAD-" + key[2:], "applicant_phone": "13800000000"},
            headers=self.headers,
            name="register case",
            catch_response=True,
            timeout=60,
        ) as r:  # fmt: skip
            record("case", started, r.status_code, r, id=_json(r).get("id"), key=key)
            if r.status_code == 201:
                r.success()


class HallDisplay(HttpUser):
    """The hall's screen: holds the live stream, reconnects when it ends (as the page's EventSource does)."""

    fixed_count = CONFIG["displays"]
    wait_time = between(0.5, 1)

    @task
    def stream(self) -> None:
        started = time.time()
        events_seen = 0
        status = 0
        try:
            with self.client.get(
                f"/display/{CONFIG['hall']}/stream/?seconds={CONFIG['stream_seconds']}",
                stream=True,
                name="display stream",
                catch_response=True,
                timeout=60,
            ) as r:
                status = r.status_code
                for line in r.iter_lines():
                    if line.startswith(b"event:"):
                        events_seen += 1
                r.success()
        except Exception as exc:  # a dropped stream (server killed) is recorded, not raised
            record("display", started, 0, events=events_seen, error=type(exc).__name__)
            return
        record("display", started, status, events=events_seen)

"""Live-event fan-out (事件推送): what one app process commits, streams in every process hear.

A stream subscribes to a channel (the hall display: one channel per centre) and waits on it without
touching the database; a service publishes after its transaction commits. Three transports, chosen by
`SERVICEHALL_EVENT_BUS` (settings pick the default):

- ``local``: in this process only (the demo server, tests).
- ``file``: one machine, several worker processes, no extra service. The publisher hands the message to
  its own process's streams and touches a signal file per channel; a watcher thread in every other
  process notices the file change (a `stat`, not a query) and wakes that channel's streams, which then
  read what is new from the database.
- ``redis``: several app servers. Messages go through Redis pub/sub; one listener thread per process
  fans them out to the local streams, payload included, so a wake-up costs no query at all.

A subscriber receives dicts (the published payload) or ``None`` ("something changed, look it up").
"""

from __future__ import annotations

import collections
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

Message = dict[str, Any] | None
WATCH_SECONDS = 0.25


class Subscription:
    """One stream's inbox; `drain()` never blocks, `wait()` blocks a thread until something arrives."""

    def __init__(self, hub: Hub, channel: str) -> None:
        self.hub, self.channel = hub, channel
        self._inbox: collections.deque[Message] = collections.deque(maxlen=1000)
        self._ready = threading.Event()

    def deliver(self, message: Message) -> None:
        self._inbox.append(message)
        self._ready.set()

    def drain(self) -> list[Message]:
        self._ready.clear()
        out = []
        while self._inbox:
            out.append(self._inbox.popleft())
        return out

    def wait(self, timeout: float) -> None:
        self._ready.wait(timeout)

    def close(self) -> None:
        self.hub.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Hub:
    """The per-process registry of subscriptions and the transport behind it."""

    def __init__(self, transport: str, *, redis_url: str = "", signal_dir: Path | None = None) -> None:
        self.transport = transport
        self.redis_url = redis_url
        self.signal_dir = signal_dir
        self._subs: dict[str, set[Subscription]] = collections.defaultdict(set)
        self._lock = threading.Lock()
        self._listener: threading.Thread | None = None
        self._seen: dict[str, tuple[int, int, int]] = {}
        self._redis: Any = None

    # -- subscribing ----------------------------------------------------------------------------------
    def subscribe(self, channel: str) -> Subscription:
        sub = Subscription(self, channel)
        with self._lock:
            self._subs[channel].add(sub)
            if self.transport != "local" and (self._listener is None or not self._listener.is_alive()):
                target = self._listen_redis if self.transport == "redis" else self._watch_files
                self._listener = threading.Thread(target=target, name=f"bus-{self.transport}", daemon=True)
                self._listener.start()
        if self.transport == "file":
            self._seen.setdefault(channel, self._stat(channel))
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.get(sub.channel, set()).discard(sub)

    def subscriber_count(self, channel: str | None = None) -> int:
        with self._lock:
            if channel is not None:
                return len(self._subs.get(channel, ()))
            return sum(len(s) for s in self._subs.values())

    def deliver(self, channel: str, message: Message) -> None:
        with self._lock:
            subs = list(self._subs.get(channel, ()))
        for sub in subs:
            sub.deliver(message)

    # -- publishing -----------------------------------------------------------------------------------
    def publish(self, channel: str, payload: dict[str, Any]) -> None:
        """Hand `payload` to every subscriber of `channel`; a transport failure is logged, never raised
        (the event is committed and a display resyncs on its next reconnect)."""
        try:
            if self.transport == "redis":
                self._client().publish(f"servicehall:{channel}", json.dumps(payload, ensure_ascii=False))
                return
            self.deliver(channel, payload)
            if self.transport == "file":
                self._touch(channel)
        except Exception:
            log.exception("event bus: could not publish on %s", channel)

    # -- redis ----------------------------------------------------------------------------------------
    def _client(self) -> Any:
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self.redis_url)
        return self._redis

    def _listen_redis(self) -> None:
        import redis

        while True:
            try:
                client: Any = redis.Redis.from_url(self.redis_url)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe("servicehall:*")
                # After a broken connection anything may have been missed: let every stream look it up.
                for channel in list(self._subs):
                    self.deliver(channel, None)
                for raw in pubsub.listen():
                    if raw.get("type") != "pmessage":
                        continue
                    channel = raw["channel"].decode().removeprefix("servicehall:")
                    try:
                        message: Message = json.loads(raw["data"])
                    except ValueError:
                        message = None
                    self.deliver(channel, message)
            except Exception:
                log.warning("event bus: Redis listener lost its connection; retrying", exc_info=True)
                time.sleep(1.0)

    # -- signal files ---------------------------------------------------------------------------------
    def _path(self, channel: str) -> Path:
        assert self.signal_dir is not None
        return self.signal_dir / channel

    def _stat(self, channel: str) -> tuple[int, int, int]:
        try:
            st = os.stat(self._path(channel))
        except FileNotFoundError:
            return (0, 0, 0)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _touch(self, channel: str) -> None:
        path = self._path(channel)
        try:
            fh = open(path, "a+b")  # noqa: SIM115  # closed by the `with` below
        except FileNotFoundError:  # the first event of a fresh installation: make the folder once
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(path, "a+b")  # noqa: SIM115  # as above
        with fh:
            # Alternate the size so a change shows even where mtime is coarse.
            fh.truncate(0 if fh.tell() else 1)
            fh.flush()
        # The watcher wakes this process's streams too (they dedupe by event id): marking our own write as
        # seen could hide another process's write that landed at the same moment.

    def _watch_files(self) -> None:
        while True:
            time.sleep(WATCH_SECONDS)
            with self._lock:
                channels = [c for c, s in self._subs.items() if s]
            for channel in channels:
                now = self._stat(channel)
                if now != self._seen.get(channel):
                    self._seen[channel] = now
                    self.deliver(channel, None)


_hub: Hub | None = None
_hub_lock = threading.Lock()


def hub() -> Hub:
    """This process's hub, built from settings on first use."""
    global _hub
    with _hub_lock:
        if _hub is None:
            transport = getattr(settings, "SERVICEHALL_EVENT_BUS", "local")
            if transport not in {"local", "file", "redis"}:
                raise ValueError(f"SERVICEHALL_EVENT_BUS must be local, file or redis, not {transport!r}")
            _hub = Hub(
                transport,
                redis_url=getattr(settings, "SERVICEHALL_REDIS_URL", ""),
                signal_dir=Path(getattr(settings, "SERVICEHALL_EVENT_DIR", "var/events")),
            )
        return _hub


def publish(channel: str, payload: dict[str, Any]) -> None:
    hub().publish(channel, payload)


def subscribe(channel: str) -> Subscription:
    return hub().subscribe(channel)

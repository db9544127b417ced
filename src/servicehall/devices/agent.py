"""The ID-card local agent (身份证读卡服务): a tiny HTTP server on the counter PC or kiosk that answers the
card on the reader to one servicehall origin (002/篇3 §6; protocol in docs/id-reader.md).

It binds to loopback only, answers only requests whose Origin is the configured servicehall address (CORS and
Private Network Access headers for that origin alone), refuses other Host headers (DNS rebinding), sends
`Cache-Control: no-store`, and logs method, path and status only — a card's content never reaches a log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from servicehall.devices.idcard import CardReader, InvalidCard, ReaderUnavailable, checked

PROTOCOL_VERSION = 1
log = logging.getLogger("servicehall.idagent")


def _handler(
    reader: CardReader, origins: frozenset[str], adapter: str, today: Callable[[], dt.date]
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "servicehall-id-agent"
        sys_version = ""

        def log_message(self, format: str, *args: object) -> None:
            # http.server logs the request line to stderr; ours names method, path and status only.
            pass

        def _send(self, status: int, body: dict[str, object] | None, *, preflight: bool = False) -> None:
            origin = self.headers.get("Origin", "")
            # logged before the answer leaves: a caller that has its answer can rely on the line being written
            log.info("%s %s %s", self.command, self.path.split("?")[0], status)
            self.send_response(status)
            if origin in origins:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")
                if preflight:
                    self.send_header("Access-Control-Allow-Methods", "GET")
                    self.send_header("Access-Control-Max-Age", "600")
                    if self.headers.get("Access-Control-Request-Private-Network") == "true":
                        self.send_header("Access-Control-Allow-Private-Network", "true")
            self.send_header("Cache-Control", "no-store")
            payload = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
            if body is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _refused(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            if host not in {"127.0.0.1", "localhost", "[::1]"}:
                self._send(421, {"error": "wrong_host", "message": "只接受本机地址"})
                return True
            if self.headers.get("Origin", "") not in origins:
                self._send(403, {"error": "origin", "message": "该网页无权读取身份证"})
                return True
            return False

        def do_OPTIONS(self) -> None:
            if not self._refused():
                self._send(204, None, preflight=True)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if self._refused():
                return
            if path == "/v1/status":
                try:
                    reader.read_card()
                    state = "ready"
                except ReaderUnavailable:
                    state = "unavailable"
                self._send(200, {"protocol": PROTOCOL_VERSION, "adapter": adapter, "reader": state})
            elif path == "/v1/card":
                self._card()
            else:
                self._send(404, {"error": "not_found", "message": "无此接口"})

        def _card(self) -> None:
            try:
                card = reader.read_card()
            except ReaderUnavailable as exc:
                self._send(503, {"error": "no_reader", "message": str(exc)})
                return
            if card is None:
                self._send(404, {"error": "no_card", "message": "请将身份证放在读卡器感应区"})
                return
            try:
                card = checked(card, today=today())
            except InvalidCard as exc:
                self._send(422, {"error": "invalid_card", "message": f"证件号码校验未通过：{exc}"})
                return
            self._send(200, {"protocol": PROTOCOL_VERSION, "card": card.as_json(today())})

    return Handler


def make_server(
    *,
    reader: CardReader,
    origins: Iterable[str],
    port: int,
    adapter: str,
    today: Callable[[], dt.date] = dt.date.today,
) -> ThreadingHTTPServer:
    """The agent bound to 127.0.0.1:`port` (0 picks a free port); serve it with `serve_forever()`."""
    allowed = frozenset(o.rstrip("/") for o in origins)
    return ThreadingHTTPServer(("127.0.0.1", port), _handler(reader, allowed, adapter, today))


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="id-agent", daemon=True)
    thread.start()
    return thread

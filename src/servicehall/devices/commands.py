"""`servicehall id-agent`: the reference ID-card local agent (002/篇3 §6, docs/id-reader.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

from servicehall.core.errors import InputError
from servicehall.devices.agent import make_server
from servicehall.devices.idcard import ADAPTERS, CardReader, SdkReader, SimulatorReader

DEFAULT_PORT = 17321


def _origin(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        raise InputError("--origin", f"应为 servicehall 的网址，如 https://hall.example.gov.cn：{value!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _run(args: argparse.Namespace) -> int:
    if not args.origin:
        raise InputError("--origin", "请指定允许读卡的 servicehall 网址（可重复）")
    origins = [_origin(o) for o in args.origin]
    reader: CardReader
    if args.simulate:
        reader, adapter = SimulatorReader(Path(args.simulate)), "simulator"
    else:
        reader, adapter = SdkReader(args.adapter), args.adapter
    if not 0 < args.port < 65536:
        raise InputError("--port", f"端口应在 1–65535 之间：{args.port}")
    try:
        server = make_server(reader=reader, origins=origins, port=args.port, adapter=adapter)
    except OSError as exc:
        raise InputError("--port", f"无法监听 127.0.0.1:{args.port}：{exc.strerror}") from None
    print(
        f"id-agent ({adapter}) on http://127.0.0.1:{args.port}/v1/card for {', '.join(origins)}", flush=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("id-agent", help="ID-card reader local agent for the counter PC or kiosk")
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--simulate", metavar="FILE", help="simulator: a JSON file stands for the card on the reader"
    )
    source.add_argument(
        "--adapter", choices=ADAPTERS, default="sdk", help="vendor adapter (none ships configured)"
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"loopback port (default {DEFAULT_PORT})")
    p.add_argument(
        "--origin", action="append", default=[], help="servicehall address allowed to read (repeatable)"
    )
    p.set_defaults(func=_run)

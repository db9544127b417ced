"""`servicehall bench NAME ...`: runs `bench/NAME.py` from the source checkout (see bench/README.md).

Each bench module has `main(argv) -> int` and prints one JSON object with its figures and the ratio
to its baseline.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from servicehall.core.errors import InputError

# A checkout's bench/ folder, or the copy an installed wheel puts under <venv>/share/servicehall/bench.
_CHECKOUT_BENCH = Path(__file__).resolve().parents[3] / "bench"
BENCH_DIR = (
    _CHECKOUT_BENCH if _CHECKOUT_BENCH.is_dir() else Path(sys.prefix) / "share" / "servicehall" / "bench"
)


def available() -> list[str]:
    if not BENCH_DIR.is_dir():
        return []
    return sorted(p.stem.replace("_", "-") for p in BENCH_DIR.glob("*.py") if not p.stem.startswith("_"))


def run(args: argparse.Namespace) -> int:
    path = BENCH_DIR / f"{args.name.replace('-', '_')}.py"
    if not path.is_file():
        raise InputError(
            "bench", f"no benchmark named {args.name!r}; available: {', '.join(available()) or 'none'}"
        )
    spec = importlib.util.spec_from_file_location(f"servicehall_bench_{path.stem}", path)
    # a .py file always has a spec and a loader
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return int(module.main(list(args.rest)) or 0)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="run a benchmark from bench/ and print JSON (e.g. bench language)")
    p.add_argument("name", help="benchmark name: " + ", ".join(available()))
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for that benchmark")
    p.set_defaults(func=run)

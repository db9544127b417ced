"""Reading rating files (评价数据): CSV (UTF-8 with or without BOM, or GB18030) or .xlsx. Django-free.

One size-capped reader for the summary CLI, the provincial 好差评 import and uploads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from servicehall.core.errors import InputError
from servicehall.core.uploads import UploadLimits, csv_rows, decode_text, xlsx_rows

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500_000
_LIMITS = UploadLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_unpacked_bytes=20 * MAX_BYTES)


def read_table(path: Path | str, *, data: bytes | None = None, name: str | None = None) -> list[list[Any]]:
    """Every row of the file, header first; InputError naming the file when it is too big or unreadable."""
    path = Path(path)
    label = name or str(path)
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(label, f"cannot read: {exc.strerror or exc}") from None
        if size > MAX_BYTES:
            raise InputError(label, f"file is {size} bytes; the limit is {MAX_BYTES} (split it by month)")
        data = path.read_bytes()
    elif len(data) > MAX_BYTES:
        raise InputError(label, f"file is {len(data)} bytes; the limit is {MAX_BYTES} (split it by month)")
    suffix = Path(label).suffix.lower()
    rows = list(_xlsx_rows(data, label) if suffix in {".xlsx", ".xlsm"} else _csv_rows(data, label))
    if len(rows) > MAX_ROWS + 1:
        raise InputError(f"{label}, row {MAX_ROWS + 2}", f"more than {MAX_ROWS} rows; split the file")
    return rows


def _csv_rows(data: bytes, label: str) -> Iterator[list[Any]]:
    yield from csv_rows(decode_text(data, label), label, _LIMITS)


def _xlsx_rows(data: bytes, label: str) -> Iterator[list[Any]]:
    for row in xlsx_rows(data, label, _LIMITS):
        yield [_xlsx_cell(v) for v in row]


def _xlsx_cell(value: Any) -> Any:
    from datetime import datetime

    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}" if value.second else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value

"""Spreadsheet exports (导出): one place that keeps cell text from running as a formula (INT-2).

Every export — xlsx or CSV, page, API or command line — writes its cells through this module:
`csv_writer()` for CSV, `save_workbook()` / `workbook_bytes()` for openpyxl workbooks (they sweep every
cell just before saving, so a sheet built with `ws.append` or `ws.cell` is covered), `safe_cell()` for a
single value. Text starting with `= + - @`, a tab or a carriage return gets a leading apostrophe, the
OWASP "CSV injection" defence, so `=HYPERLINK(...)` in a staff name stays text. Numbers, dates and
booleans pass unchanged. Imports nothing from Django.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` unless it is text a spreadsheet would evaluate; then the text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """`csv.writer` whose rows go through `safe_cell`."""

    def __init__(self, stream: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **kwargs: Any) -> SafeCsvWriter:
    """The CSV writer every export uses (same arguments as `csv.writer`)."""
    return SafeCsvWriter(stream, **kwargs)


def csv_text(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> str:
    """A whole CSV document; with a UTF-8 BOM by default so Excel on Chinese Windows reads it as UTF-8."""
    buf = io.StringIO()
    csv_writer(buf).writerows(rows)
    return ("\ufeff" if bom else "") + buf.getvalue()


def neutralise_workbook(wb: Workbook) -> Workbook:
    """Make every text cell of `wb` safe (in place): formulas become the text they were written as."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                    cell.value = "'" + value
                    cell.data_type = "s"
    return wb


def save_workbook(wb: Workbook, target: Path | str | BinaryIO) -> None:
    neutralise_workbook(wb).save(target if not isinstance(target, Path) else str(target))


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    save_workbook(wb, buf)
    return buf.getvalue()

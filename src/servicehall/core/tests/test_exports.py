"""One helper neutralises spreadsheet formulas in every export (INT-2), and no export bypasses it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from servicehall.core.exports import csv_text, safe_cell, workbook_bytes

SRC = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1+A1", "@SUM(A1)", "\tx", "\rx"])
def test_int_2__formula_prefixes__get_an_apostrophe(text: str):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, 1.5, None, "王芳", "a=b", "", "'=x"])
def test_int_2__numbers_and_plain_text__unchanged(value):
    assert safe_cell(value) == value


def test_int_2__csv_text__every_cell_neutralised():
    text = csv_text([["name"], ["=cmd|' /C calc'!A0"], ["@SUM(1)"]], bom=False)
    assert text.splitlines() == ["name", "'=cmd|' /C calc'!A0", "'@SUM(1)"]


def test_int_2__workbook_bytes__formula_cell_written_as_text():
    wb = Workbook()
    wb.active.append(["=1+2", 3])
    ws = load_workbook(io.BytesIO(workbook_bytes(wb))).active
    assert ws["A1"].value == "'=1+2"
    assert ws["A1"].data_type == "s"
    assert ws["B1"].value == 3


# Writers of CSV or xlsx that are not exports, with the reason.
NOT_EXPORTS = {
    "core/exports.py": "the helper itself",
    "site/demo_activity.py": "writes the demo punch file it imports itself, never handed to a person",
}
WRITES_SHEET = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(\)")


def test_int_2__every_module_writing_csv_or_xlsx__uses_core_exports():
    """A new export that writes cells without `servicehall.core.exports` fails here (see architecture.md)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in rel or rel in NOT_EXPORTS:
            continue
        text = path.read_text(encoding="utf-8")
        if WRITES_SHEET.search(text) and "servicehall.core.exports" not in text:
            offenders.append(rel)
    assert offenders == []

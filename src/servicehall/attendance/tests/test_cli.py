"""The `servicehall attendance evaluate` contract: files in, JSON/xlsx out, clear errors for bad rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from servicehall.attendance import commands
from servicehall.core.runtime import command_runner

main = command_runner(commands)  # `servicehall ...` with this domain's commands

PUNCHES = """staff_id,time
S1,2026-03-02T08:35:00
S1,2026-03-02T12:01:00
S1,2026-03-02T14:29:00
S1,2026-03-02T17:55:00
S2,2026-03-02T08:35:01
S2,2026-03-02T12:00:00
S2,2026-03-02T14:30:00
S2,2026-03-02T17:55:01
"""
STAFF = "staff_id,name,role,unit\nS1,张三,staff,市场监管局\nS2,李四,chief_rep,税务局\n"
LEAVES = (
    "staff_id,kind,start,end,status,certificate\n"
    "S1,personal,2026-03-03,2026-03-31,approved,no\n"
    "S2,sick,2026-03-03T08:00,2026-03-31T18:30,approved,no\n"
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in {"punches": PUNCHES, "staff": STAFF, "leaves": LEAVES}.items():
        out[name] = tmp_path / f"{name}.csv"
        out[name].write_text(text, encoding="utf-8")
    return out


def evaluate(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["attendance", "evaluate", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def evaluate_march(capsys, punches: Path, *args: str, policy: str = "yuanzhou-p2") -> tuple[int, str, str]:
    """`evaluate` for March 2026 under `policy` (the yuanzhou-p2 preset unless named) with these punches."""
    return evaluate(capsys, "--policy", policy, "--punches", str(punches), "--month", "2026-03", *args)


def test_att_3__cli_json__contract_shape_and_edges(files, capsys):
    code, out, _ = evaluate_march(
        capsys,
        files["punches"],
        *("--staff", str(files["staff"]), "--leaves", str(files["leaves"]), "--format", "json"),
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["month"] == "2026-03"
    assert doc["policy"] == "yuanzhou-p2@2026.1"
    s1, s2 = doc["staff"]
    assert set(s1) == {
        "staff_id",
        "lates",
        "early_leaves",
        "missed_punches",
        "absence_days",
        "leave_days",
        "events",
    }
    # S1: 08:35:00 not late, 17:55:00 early; S2: 08:35:01 late, 17:55:01 not early
    assert (s1["staff_id"], s1["lates"], s1["early_leaves"]) == ("S1", 0, 1)
    assert (s2["staff_id"], s2["lates"], s2["early_leaves"]) == ("S2", 1, 0)
    assert s1["absence_days"] == 0
    assert s2["absence_days"] == 0
    assert s1["leave_days"] == {"personal": 21.0}
    assert s2["leave_days"] == {"personal": 21.0}  # LEAVE-3: sick > 1 day without certificate
    assert {
        "date": "2026-03-02",
        "session": "AM",
        "rule": "ATT-3",
        "detail": "in-punch 08:35:01, 5 min 1 s late",
    } in s2["events"]


def test_att_8__cli_without_leaves__unpunched_days_are_absence(files, capsys):
    code, out, _ = evaluate_march(capsys, files["punches"])
    assert code == 0
    s1 = json.loads(out)["staff"][0]
    assert s1["absence_days"] == 21.0  # 22 working days in March 2026, one punched
    assert s1["missed_punches"] == 0


def test_cli__bad_time__error_names_file_row_and_column(files, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("staff_id,time\nS1,2026-03-02T08:20:00\nS1,2026-03-02 25:61\n", encoding="utf-8")
    code, out, err = evaluate_march(capsys, bad)
    assert code == 2
    assert out == ""
    assert f"{bad}, row 3, column time" in err
    assert "Traceback" not in err


def test_cli__bad_leave_status__error_names_row_and_column(files, tmp_path, capsys):
    bad = tmp_path / "leaves.csv"
    bad.write_text("staff_id,kind,start,end,status,certificate\nS1,personal,2026-03-03,2026-03-03,ok,no\n")
    code, _, err = evaluate_march(capsys, files["punches"], "--leaves", str(bad))
    assert code == 2
    assert f"{bad}, row 2, column status" in err


def test_cli__punch_for_unknown_staff__error(files, tmp_path, capsys):
    staff = tmp_path / "staff.csv"
    staff.write_text("staff_id,name,role,unit\nS1,张三,staff,市场监管局\n", encoding="utf-8")
    code, _, err = evaluate_march(capsys, files["punches"], "--staff", str(staff))
    assert code == 2
    assert "row 6, column staff_id: 'S2' is not in" in err


def test_cli__unknown_policy__error(files, capsys):
    code, _, err = evaluate(
        capsys, "--policy", "nope", "--punches", str(files["punches"]), "--month", "2026-03"
    )
    assert code == 2
    assert "nope" in err


def test_att_5__cli_policy_file__p1_values(files, tmp_path, capsys):
    pol = tmp_path / "centre.yaml"
    pol.write_text("extends: yuanzhou-p2\nname: mine\nversion: '1'\nattendance:\n  late_after_minutes: 0\n")
    code, out, _ = evaluate_march(capsys, files["punches"], "--staff", str(files["staff"]), policy=str(pol))
    assert code == 0
    doc = json.loads(out)
    assert doc["policy"] == "mine@1"
    assert doc["staff"][0]["lates"] == 1  # 08:35:00 is late with a zero threshold


def test_att_10__cli_xlsx__monthly_sheet(files, tmp_path, capsys):
    target = tmp_path / "march.xlsx"
    code, _, _ = evaluate_march(
        capsys,
        files["punches"],
        *("--staff", str(files["staff"]), "--format", "xlsx", "--output", str(target)),
    )
    assert code == 0
    wb = load_workbook(target)
    assert wb.sheetnames == ["中心汇总", "市场监管局", "税务局", "明细"]
    header = [c.value for c in wb["税务局"][2]]
    assert header[:7] == ["工号", "姓名", "单位", "迟到(次)", "早退(次)", "漏打卡(次)", "旷工(天)"]
    row = [c.value for c in wb["税务局"][3]]
    assert row[:4] == ["S2", "李四", "税务局", 1]


def test_cli__xlsx_without_output__error(files, capsys):
    code, _, err = evaluate_march(capsys, files["punches"], "--format", "xlsx")
    assert code == 2
    assert "--output" in err


def test_cli__console_script__exit_code_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("staff_id,time\nS1,not-a-time\n", encoding="utf-8")
    env = {**os.environ, "SERVICEHALL_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    proc = subprocess.run(
        [sys.executable, "-m", "servicehall.cli", "attendance", "evaluate", "--policy", "yuanzhou-p2",
         "--punches", str(bad), "--month", "2026-03", "--format", "json"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {bad}, row 2, column time:")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "none.sqlite3").exists()  # reading the calendar never creates a database


def test_att_3__cli_json_detail_zh__extra_key_detail_kept(files, capsys):
    code, out, _ = evaluate_march(capsys, files["punches"], "--staff", str(files["staff"]), "--detail-zh")
    assert code == 0
    s1, s2 = json.loads(out)["staff"]
    assert {
        "date": "2026-03-02",
        "session": "AM",
        "rule": "ATT-3",
        "detail": "in-punch 08:35:01, 5 min 1 s late",
        "detail_zh": "上班打卡 08:35:01，迟到 5 分 1 秒 (ATT-3)",
    } in s2["events"]
    assert all({"date", "session", "rule", "detail", "detail_zh"} == set(e) for e in s1["events"])


def test_att_3__cli_json_default__events_without_detail_zh(files, capsys):
    code, out, _ = evaluate_march(capsys, files["punches"], "--staff", str(files["staff"]))
    assert code == 0
    events = json.loads(out)["staff"][1]["events"]
    assert events
    assert all(set(e) == {"date", "session", "rule", "detail"} for e in events)

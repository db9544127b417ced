"""The `servicehall bonus compute` contract (EVAL-5): files in, JSON / xlsx out, errors naming the row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from servicehall.accountability import commands
from servicehall.core.runtime import command_runner
from servicehall.policy_versions import commands as policy_commands

main = command_runner(commands, policy_commands)  # `servicehall ...` with this domain's commands

STAFF = (
    "staff_id,name,role,unit,window\n"
    "S1,张三,staff,公安局,W1\n"
    'S2,=HYPERLINK("x"),staff,公安局,W2\n'
    "S3,王五,chief_rep,税务局,W3\n"
)
EVENTS = (
    "date,kind,level,staff_id\n"
    "2026-02-03,finding,street,S1\n"
    "2026-01-10,complaint,,S3\n"
    "2026-03-30,finding,district,S2\n"
    "2026-04-01,finding,city,S2\n"
)


def write(tmp_path: Path, staff: str = STAFF, events: str = EVENTS) -> tuple[Path, Path]:
    s, e = tmp_path / "staff.csv", tmp_path / "events.csv"
    s.write_text(staff, encoding="utf-8")
    e.write_text(events, encoding="utf-8")
    return s, e


def run(capsys, staff: Path, events: Path, *extra: str, policy: str = "centre-000") -> tuple[int, str, str]:
    code = main(
        [
            "bonus",
            "compute",
            "--policy",
            policy,
            "--staff",
            str(staff),
            "--events",
            str(events),
            "--quarter",
            "2026Q1",
            *extra,
        ]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def test_eval_5__cli_json__shape_and_amounts(tmp_path, capsys):
    """EVAL-5: JSON {quarter, policy, staff[{staff_id, base, deductions, paid, recommended_extra_deduction}]}."""
    code, out, err = run(capsys, *write(tmp_path), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["quarter"] == "2026Q1"
    assert doc["policy"] == "centre-000@2026.1"
    first = doc["staff"][0]
    assert set(first) == {"staff_id", "base", "deductions", "paid", "recommended_extra_deduction"}
    assert first["base"] == 300
    assert [(d["date"], d["kind"], d["level"], d["amount"]) for d in first["deductions"]] == [
        ("2026-01-10", "complaint", "", 0),
        ("2026-02-03", "finding", "street", 100),
        ("2026-03-30", "finding", "district", 200),
    ]  # in date order; the April event is outside the quarter
    assert [s["paid"] for s in doc["staff"]] == [0, 0, 0]
    assert [s["recommended_extra_deduction"] for s in doc["staff"]] == [100, 200, 0]
    assert "deductions.complaint is not set" in doc["warnings"][0]
    assert "warning:" in err


def test_eval_5__cli_xlsx__payroll_and_itemised_sheet(tmp_path, capsys):
    """EVAL-5: the payroll sheet has one row per person, the second sheet every deduction; no formulas."""
    target = tmp_path / "bonus.xlsx"
    code, _, err = run(capsys, *write(tmp_path), "--format", "xlsx", "--output", str(target))
    assert code == 0, err
    wb = load_workbook(target)
    pay, items = wb["发放表"], wb["扣减明细"]
    rows = list(pay.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["S1", "S2", "S3"]
    assert rows[0][4:] == (300, 300, 0, 100)
    assert rows[1][1] == '\'=HYPERLINK("x")'  # neutralised, stays text
    assert items.max_row == 1 + 3 * 3


def test_eval_5__cli_xlsx_without_output__error(tmp_path, capsys):
    code, _, err = run(capsys, *write(tmp_path), "--format", "xlsx")
    assert code == 2
    assert err.startswith("error: --output")


@pytest.mark.parametrize(
    ("events", "where"),
    [
        ("date,kind,level,staff_id\n2026-02-30,finding,street,S1\n", "row 2, column date"),
        (
            "date,kind,level,staff_id\n2026-02-03,finding,street,S1\n2026-02-03,praise,,S1\n",
            "row 3, column kind",
        ),
        ("date,kind,level,staff_id\n2026-02-03,finding,,S1\n", "row 2, column level"),
        ("date,kind,level,staff_id\n2026-02-03,complaint,city,S1\n", "row 2, column level"),
        ("date,kind,level,staff_id\n2026-02-03,finding,city,S9\n", "row 2, column staff_id"),
        ("date,kind,staff_id\n", "row 1"),
    ],
)
def test_eval_5__cli_bad_event_row__exit_2_naming_file_row_column(tmp_path, capsys, events: str, where: str):
    """EVAL-5: a bad row is refused with file, row (header = 1) and column; nothing is printed on stdout."""
    staff, path = write(tmp_path, events=events)
    code, out, err = run(capsys, staff, path, "--format", "json")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert f"events.csv, {where}" in err


def test_eval_5__cli_bad_staff_row__exit_2(tmp_path, capsys):
    staff, events = write(tmp_path, staff="staff_id,name,role,unit,window\nS1,a,staff,u,w\nS1,b,staff,u,w\n")
    code, _, err = run(capsys, staff, events, "--format", "json")
    assert code == 2
    assert "staff.csv, row 3, column staff_id" in err


def test_eval_5__cli_policy_refuses_unset_complaint_amount__exit_2(tmp_path, capsys):
    """EVAL-5: a centre policy with unset_complaint_amount: refuse refuses the quarter with a complaint."""
    policy = tmp_path / "centre.yaml"
    policy.write_text(
        "name: my-centre\nversion: '1'\nextends: centre-000\n"
        "evaluation:\n  conduct_bonus:\n    unset_complaint_amount: refuse\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, *write(tmp_path), "--format", "json", policy=str(policy))
    assert code == 2
    assert out == ""
    assert "EVAL-5" in err
    assert "events.csv, row 3" in err


@pytest.mark.parametrize("preset", ["yuanzhou-p2", "yuanzhou-p1", "centre-000"])
def test_eval_5__policy_check__warns_about_the_unset_complaint_amount(capsys, preset: str):
    """EVAL-5: every preset leaves the complaint amount blank like the seed, and `policy check` says so."""
    assert main(["policy", "check", preset]) == 0
    assert "warning: evaluation.conduct_bonus.deductions.complaint is not set" in capsys.readouterr().out

"""`servicehall ratings summary` on every preset (EVAL-1): JSON shape, errors with row and column, exit 2."""

from __future__ import annotations

import json

import pytest

from servicehall.core.runtime import command_runner
from servicehall.evaluation import commands

main = command_runner(commands)  # `servicehall ...` with this domain's commands

CSV = """rated_at,unit,window,staff_id,level,service_id,channel,device
2026-03-02 09:00,U2,1,S1,very_satisfied,T1,device,D1
2026-03-02 09:10,U2,1,S1,dissatisfied,T1,device,D1
2026-03-02 09:11,U2,1,S1,satisfied,T1,device,D1
2026-03-02 09:05,U1,3,S3,satisfied,,web,
2026-02-28 23:59,U1,3,S3,satisfied,T9,web,
2026-03-03 10:00,U1,3,S4,dissatisfied,T10,web,
2026-03-03 10:00,U1,3,S4,very_satisfied,T11,web,
"""


@pytest.mark.parametrize("preset", ["yuanzhou-p2", "yuanzhou-p1", "centre-000"])
def test_eval_1__summary_cli__same_figures_on_every_preset(preset, tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    path.write_text(CSV, encoding="utf-8")
    rc = main(["ratings", "summary", "--policy", preset, "--ratings", str(path), "--month", "2026-03",
               "--format", "json"])  # fmt: skip
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["month"] == "2026-03"
    assert out["policy"].startswith(preset + "@")
    assert out["units"] == [
        {"unit": "U1", "counted": 3, "good": 2, "bad": 1, "satisfaction_rate": 0.6667},
        {"unit": "U2", "counted": 1, "good": 0, "bad": 1, "satisfaction_rate": 0.0},
    ]
    assert [r["row"] for r in out["rejected"]] == [4]  # row 3 was replaced, not rejected
    assert out["flags"] == []


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("2026-03-02 09:00,U1,1,S1,great,,,", "row 3, column level"),
        ("2026-03-32 09:00,U1,1,S1,satisfied,,,", "row 3, column rated_at"),
    ],
)
def test_eval_1__summary_cli__bad_row__exit_2_naming_row_and_column(line, where, tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    path.write_text(CSV.splitlines()[0] + "\n2026-03-02 09:00,U1,1,S1,satisfied,,,\n" + line + "\n")
    rc = main(["ratings", "summary", "--policy", "yuanzhou-p2", "--ratings", str(path), "--month", "2026-03"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("error: ")
    assert where in err


def test_eval_1__summary_cli__burst_flag_from_the_policy_threshold(tmp_path, capsys):
    lines = [CSV.splitlines()[0]] + [
        f"2026-03-02 09:0{i},U1,1,S1,satisfied,T{i},device,PAD" for i in range(6)
    ]
    path = tmp_path / "ratings.csv"
    path.write_text("\n".join(lines) + "\n")
    assert (
        main(["ratings", "summary", "--policy", "centre-000", "--ratings", str(path), "--month", "2026-03"])
        == 0
    )
    flags = json.loads(capsys.readouterr().out)["flags"]
    assert flags[0]["kind"] == "device_burst"
    assert flags[0]["detail"]["count"] == 6


def test_eval_1__summary_cli__policy_file_sets_the_replace_window(tmp_path, capsys):
    policy = tmp_path / "centre.yaml"
    policy.write_text(
        "name: my-centre\nversion: '1'\nextends: yuanzhou-p2\nevaluation:\n  ratings:\n    replace_minutes: 5\n",
        encoding="utf-8",
    )
    path = tmp_path / "ratings.csv"
    path.write_text(CSV, encoding="utf-8")
    assert (
        main(["ratings", "summary", "--policy", str(policy), "--ratings", str(path), "--month", "2026-03"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["policy"] == "my-centre@1"
    assert [r["row"] for r in out["rejected"]] == [3, 4]  # 10 and 11 minutes after the first: both too late
    u2 = next(u for u in out["units"] if u["unit"] == "U2")
    assert (u2["good"], u2["bad"]) == (1, 0)  # the first rating (very_satisfied) stands

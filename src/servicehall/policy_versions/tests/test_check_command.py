"""`servicehall policy check|show|presets|docs` through the console entry point (no database)."""

from __future__ import annotations

import pytest
import yaml

from servicehall.core.runtime import command_runner
from servicehall.policy.docs import render_reference
from servicehall.policy.loader import load_policy, preset_names
from servicehall.policy_versions import commands

main = command_runner(commands)  # `servicehall ...` with this domain's commands

TIERS_OUT_OF_ORDER = (
    "leave:\n  approval_tiers:\n"
    "    - {max_days: 3, approvers: [centre]}\n"
    "    - {max_days: 1, approvers: [centre]}\n"
)
VALID = "extends: yuanzhou-p2\nname: my-centre\nversion: '2026.2'\ntitle: 某某县政务服务中心\n"


def check(path, capsys) -> tuple[int, str]:
    code = main(["policy", "check", str(path)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def test_check__valid_file__exit_0_with_summary(write_policy, capsys):
    code, out = check(write_policy(VALID), capsys)
    assert code == 0
    assert "OK — my-centre@2026.2 某某县政务服务中心" in out
    assert "extends:" in out
    assert "yuanzhou-p2" in out
    assert "leave:" in out
    assert "approval_tiers=" in out


@pytest.mark.parametrize("name", preset_names())
def test_check__every_shipped_preset__exit_0(name: str, capsys):
    code, out = check(name, capsys)
    assert code == 0, out


def test_att_3__negative_late_threshold__exit_1_with_path_value_and_rule(write_policy, capsys):
    code, out = check(write_policy(VALID + "attendance:\n  late_after_minutes: -3\n"), capsys)
    assert code == 1
    assert "attendance.late_after_minutes: -3 is negative (ATT-3)" in out


def test_check__wrong_type__exit_1_with_path_and_rule(write_policy, capsys):
    code, out = check(write_policy(VALID + "attendance:\n  late_after_minutes: five\n"), capsys)
    assert code == 1
    line = next(line for line in out.splitlines() if "attendance.late_after_minutes" in line)
    assert "'five' has the wrong type" in line
    assert line.endswith("(ATT-3)")


def test_check__unknown_key_typo__exit_1_with_path_and_rule(write_policy, capsys):
    code, out = check(write_policy(VALID + "attendance:\n  late_aftre_minutes: 5\n"), capsys)
    assert code == 1
    assert "attendance.late_aftre_minutes: 5 is not a known key (typo?) (ATT)" in out


def test_check__unknown_top_level_section__exit_1(write_policy, capsys):
    code, out = check(write_policy(VALID + "attendence:\n  late_after_minutes: 5\n"), capsys)
    assert code == 1
    assert "attendence: " in out
    assert "is not a known key" in out


def test_leave_1__approval_tiers_out_of_order__exit_1_with_path_and_rule(write_policy, capsys):
    code, out = check(write_policy(VALID + TIERS_OUT_OF_ORDER), capsys)
    assert code == 1
    line = next(line for line in out.splitlines() if "leave.approval_tiers" in line)
    assert line.strip().startswith("leave.approval_tiers: ")
    assert line.endswith("(LEAVE-1)")


def test_check__all_four_mistakes__every_error_printed_one_per_line(write_policy, capsys):
    text = (
        VALID
        + (
            "attendance:\n  late_after_minutes: -3\n  late_aftre_minutes: 5\n"
            "supervision:\n  yellow_card_lead_working_days: two\n"
        )
        + TIERS_OUT_OF_ORDER
    )
    code, out = check(write_policy(text), capsys)
    assert code == 1
    assert "4 error(s)" in out
    paths = [line.strip().split(":")[0] for line in out.splitlines()[1:]]
    assert sorted(paths) == sorted(
        [
            "attendance.late_after_minutes",
            "attendance.late_aftre_minutes",
            "supervision.yellow_card_lead_working_days",
            "leave.approval_tiers",
        ]
    )


def test_check__yaml_syntax_error__exit_1_no_traceback(write_policy, capsys):
    code, out = check(write_policy("name: x\n  version: [1\n"), capsys)
    assert code == 1
    assert "not valid YAML" in out


def test_check__missing_file__exit_1_no_traceback(tmp_path, capsys):
    code, out = check(tmp_path / "nope.yaml", capsys)
    assert code == 1
    assert "nope.yaml" in out
    assert "no such policy file" in out


def test_show__preset__resolved_yaml_in_utf8(capsys):
    assert main(["policy", "show", "centre-000"]) == 0
    out = capsys.readouterr().out
    assert "非常满意" in out  # allow_unicode: no \u escapes
    data = yaml.safe_load(out)
    assert data["name"] == "centre-000"
    assert data["evaluation"]["assessment_periods"] == ["quarter", "half_year", "year"]
    assert load_policy("centre-000").model_dump(mode="json") == data


def test_show__invalid_file__exit_1(write_policy, capsys):
    assert main(["policy", "show", str(write_policy(VALID + "evaluation: {grades: []}\n"))]) == 1
    assert "evaluation.grades" in capsys.readouterr().out


def test_presets__lists_name_version_title(capsys):
    assert main(["policy", "presets"]) == 0
    out = capsys.readouterr().out
    for name in preset_names():
        policy = load_policy(name)
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert policy.version in line
        assert policy.title in line


def test_docs__command_prints_the_reference(capsys):
    assert main(["policy", "docs"]) == 0
    assert capsys.readouterr().out == render_reference()

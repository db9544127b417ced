"""`servicehall cases due` (CASE-5) and the shipped policy values of the case sections."""

from __future__ import annotations

import pytest

from servicehall.cases import commands
from servicehall.cases.policies import preset_policies
from servicehall.core.runtime import command_runner

main = command_runner(commands)  # `servicehall ...` with this domain's commands


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["cases", "due", *args])
    out = capsys.readouterr()
    return code, out.out.strip(), out.err.strip()


def test_case_5__cli_example_prints_2025_10_09(capsys):
    assert run(capsys, "--accepted", "2025-09-30 10:00", "--days", "1") == (0, "2025-10-09", "")


def test_case_5__cli_after_closing_time_counts_from_next_working_day(capsys):
    assert run(capsys, "--accepted", "2025-09-30 18:30", "--days", "1")[1] == "2025-10-10"
    assert (
        run(capsys, "--accepted", "2025-09-30 17:30", "--days", "1", "--closing", "17:00")[1] == "2025-10-10"
    )


def test_case_5__cli_pauses_and_extension_across_2026_national_day(capsys):
    # Wed Sep 30 + 5: Oct 8, 9, 10 (make-up Sat), 12, 13; pausing Oct 8–9 and extending 2 → Oct 19.
    assert run(capsys, "--accepted", "2026-09-30 10:00", "--days", "5")[1] == "2026-10-13"
    args = [
        "--accepted",
        "2026-09-30 10:00",
        "--days",
        "5",
        "--pause",
        "2026-10-08:2026-10-09",
        "--extend",
        "2",
    ]
    assert run(capsys, *args)[1] == "2026-10-19"


def test_case_5__cli_repeated_pauses(capsys):
    args = ["--accepted", "2025-09-15 09:00", "--days", "3", "--pause", "2025-09-16:2025-09-16"]
    assert run(capsys, *args, "--pause", "2025-09-17:2025-09-17")[1] == "2025-09-22"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--accepted", "30/09/2025", "--days", "1"], "accepted"),
        (["--accepted", "2025-09-30 10:00", "--days", "1", "--pause", "2025-10-09"], "pause"),
        (["--accepted", "2025-09-30 10:00", "--days", "-1"], "--days"),
        (["--accepted", "2025-09-30 10:00", "--days", "1", "--closing", "6pm"], "--closing"),
    ],
)
def test_case_5__cli_bad_input__exit_2_with_field(capsys, args, field):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {field}")


def test_case_5__cli_year_outside_calendar__refused(capsys):
    code, _, err = run(capsys, "--accepted", "2099-09-30 10:00", "--days", "1")
    assert code == 2
    assert "2099" in err


@pytest.mark.parametrize("preset", ["yuanzhou-p2", "yuanzhou-p1", "centre-000"])
def test_case_2__presets_carry_the_seed_values(preset):
    cases = preset_policies(preset).cases
    assert cases.notice_deadline_working_days == 5  # CASE-2
    assert cases.joint_limit_working_days == 45  # 行政许可法 art. 42
    assert cases.joint_extension_cap_working_days == 15
    assert cases.promised_extension_cap_working_days == 10
    assert cases.remedies.reconsideration_days == 60  # CASE-7
    assert cases.remedies.litigation_months == 6


def test_case_5__centre_000_closes_at_17():
    assert preset_policies("centre-000").cases.closing_time.hour == 17
    assert preset_policies("yuanzhou-p2").cases.closing_time.hour == 18

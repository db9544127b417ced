"""Golden months (黄金样本): the engine's full output on generated months equals the committed fixture.

The fixture was written by the engine before its evaluation was split into named steps per rule family
(ATT-2 assignment, ATT-3/5 lates and early leaves, ATT-6/7/8 missing punches, ATT-4/6 month rules,
ATT-5/11 inspections, LEAVE-3 leave days), so the split changed no count, no event and no sentence.
"""

from __future__ import annotations

import pytest

from servicehall.attendance.tests.month_data import CASES, evaluate_case, read_fixture

FIXTURE = read_fixture()


@pytest.mark.parametrize(("seed", "variant"), CASES, ids=[f"{s}-{v}" for s, v in CASES])
def test_att_2_to_att_11__generated_month__same_output_as_before_the_split(seed: int, variant: str):
    """ATT-2..ATT-11 and LEAVE-3 over a generated month: every result and event as in the fixture."""
    expected = FIXTURE[f"{seed}-{variant}"]
    got = evaluate_case(seed, variant)
    assert len(got) == len(expected)
    for want, have in zip(expected, got, strict=True):
        assert have == want, f"staff {want['staff_id']} differs"


def test_golden_fixture__covers_every_rule_family():
    """The fixture exercises each rule the engine applies, so the comparison above can catch a change."""
    rules = {e[2] for results in FIXTURE.values() for r in results for e in r["events"]}
    assert rules >= {"ATT-3", "ATT-4", "ATT-5", "ATT-6", "ATT-7", "ATT-8", "ATT-11", "LEAVE-3"}

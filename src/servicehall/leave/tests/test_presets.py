"""The shipped presets carry their seeds' approval tables (LEAVE-1) and the shared quota/cover values."""

from __future__ import annotations

import pytest

from servicehall.policy.loader import PolicyError, load_policy, validate_policy_data


def _tiers(name: str) -> list[tuple[float | None, list[str]]]:
    return [(t.max_days, list(t.approvers)) for t in load_policy(name).leave.approval_tiers]


def test_leave_1__p2_preset__four_tiers():
    assert _tiers("yuanzhou-p2") == [
        (1, ["centre"]),
        (3, ["unit_leader", "centre"]),
        (7, ["unit_leader", "county_office"]),
        (None, ["unit_principal_leader", "county_leader"]),
    ]


def test_leave_1__p1_preset__two_tiers_quota_inherited():
    assert _tiers("yuanzhou-p1") == [(1, ["centre"]), (None, ["unit_leader", "chief_rep", "centre"])]
    leave = load_policy("yuanzhou-p1").leave
    assert (leave.monthly_quota["staff"].max_days, leave.monthly_quota["staff"].max_times) == (3, 3)
    assert leave.cover_max_months == 1


def test_leave_1__centre_000__unit_leader_then_centre_files():
    assert _tiers("centre-000") == [(None, ["unit_leader"])]
    assert load_policy("centre-000").leave.approval_tiers[0].files_with == ["centre"]


def test_leave_1__tier_list_out_of_order__policy_error_names_path_and_rule():
    data = {
        "name": "x",
        "version": "1",
        "leave": {
            "approval_tiers": [
                {"max_days": 3, "approvers": ["centre"]},
                {"max_days": 1, "approvers": ["centre"]},
            ]
        },
    }
    with pytest.raises(PolicyError) as err:
        validate_policy_data(data)
    text = str(err.value)
    assert "leave.approval_tiers" in text
    assert "LEAVE-1" in text

"""Loading, extends, deep merge and error formatting (no database)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from servicehall.core.errors import InputError
from servicehall.policy.base import PolicyRuleError
from servicehall.policy.loader import (
    PolicyError,
    _problem,
    _rule_in_message,
    deep_merge,
    load_policy,
    load_policy_text,
    resolve_policy,
)


def test_deep_merge__mappings_merge_key_by_key():
    base = {"a": {"x": 1, "y": {"p": 1, "q": 2}}, "b": 1}
    merged = deep_merge(base, {"a": {"y": {"q": 3}}})
    assert merged == {"a": {"x": 1, "y": {"p": 1, "q": 3}}, "b": 1}


def test_deep_merge__lists_replace_as_a_whole():
    assert deep_merge({"tiers": [1, 2, 3]}, {"tiers": [7]}) == {"tiers": [7]}


def test_deep_merge__null_is_a_value_and_replaces():
    assert deep_merge({"a": {"x": 1}}, {"a": None}) == {"a": None}


def test_deep_merge__a_mapping_replaces_a_scalar_and_back():
    assert deep_merge({"a": 1}, {"a": {"x": 1}}) == {"a": {"x": 1}}
    assert deep_merge({"a": {"x": 1}}, {"a": 2}) == {"a": 2}


def test_deep_merge__does_not_modify_its_arguments():
    base, override = {"a": {"x": 1}}, {"a": {"y": 2}}
    before = copy.deepcopy((base, override))
    deep_merge(base, override)
    assert (base, override) == before


def test_extends__override_one_value_keeps_the_rest(write_policy):
    path = write_policy(
        "extends: yuanzhou-p2\nname: my-centre\nversion: '2026.2'\n"
        "evaluation:\n  conduct_bonus:\n    deductions:\n      complaint: 50\n"
    )
    policy, base = load_policy(path), load_policy("yuanzhou-p2")
    assert policy.ref == "my-centre@2026.2"
    assert policy.evaluation.conduct_bonus.deductions.complaint == 50
    assert policy.evaluation.conduct_bonus.deductions.city == base.evaluation.conduct_bonus.deductions.city
    assert policy.evaluation.grades == base.evaluation.grades
    assert policy.conduct == base.conduct


def test_extends__a_file_extends_a_file_relative_to_itself(write_policy, tmp_path):
    (tmp_path / "sub").mkdir()
    write_policy(
        "extends: yuanzhou-p1\nname: county\nversion: '1'\n"
        "supervision:\n  yellow_card_lead_working_days: 2\n",
        "sub/county.yaml",
    )
    town = write_policy("extends: county.yaml\nname: town\nversion: '1'\n", "sub/town.yaml")
    resolved = resolve_policy(town)
    assert resolved.chain[0] == str(town)
    assert resolved.chain[-2:] == ["yuanzhou-p1", "yuanzhou-p2"]
    policy = load_policy(town)
    assert policy.name == "town"
    assert policy.supervision.yellow_card_lead_working_days == 2


def test_extends__circular_chain__error_not_recursion(write_policy):
    write_policy("extends: b.yaml\nname: a\nversion: '1'\n", "a.yaml")
    b = write_policy("extends: a.yaml\nname: b\nversion: '1'\n", "b.yaml")
    with pytest.raises(PolicyError) as err:
        load_policy(b)
    assert "circular" in str(err.value)


def test_extends__unknown_parent__names_it(write_policy):
    path = write_policy("extends: no-such-preset\nname: x\nversion: '1'\n")
    with pytest.raises(InputError) as err:
        load_policy(path)
    assert "no-such-preset" in str(err.value)


def test_yaml__duplicate_key__refused(write_policy):
    path = write_policy("extends: yuanzhou-p2\nname: x\nname: y\nversion: '1'\n")
    with pytest.raises(InputError) as err:
        load_policy(path)
    assert "'name' appears twice" in str(err.value)
    assert ":3:" in str(err.value)  # line of the second key


def test_yaml__syntax_error__line_and_column(write_policy):
    path = write_policy("name: x\nversion: [1\n")
    with pytest.raises(InputError) as err:
        load_policy(path)
    assert "not valid YAML" in str(err.value)
    assert f"{path}:" in str(err.value)


def test_yaml__not_a_mapping__refused(write_policy):
    with pytest.raises(InputError, match="mapping"):
        load_policy(write_policy("- a\n- b\n"))


def test_load_policy_text__preset_by_extends():
    assert load_policy_text("extends: centre-000\n") == load_policy("centre-000")


def test_errors__every_error_is_collected_with_path_and_rule():
    text = (
        "extends: yuanzhou-p2\nname: x\nversion: '1'\n"
        "supervision:\n  yellow_card_lead_working_days: -1\n  red_card_after_due_days: 0\n"
        "evaluation:\n  criticisms_blocking_excellence: many\n"
    )
    with pytest.raises(PolicyError) as err:
        load_policy_text(text, source="x.yaml")
    lines = [str(p) for p in err.value.problems]
    assert "supervision.yellow_card_lead_working_days: -1 is negative (SUP-1)" in lines
    assert "supervision.red_card_after_due_days: 0 is not a known key (typo?) (SUP)" in lines
    assert any(
        line.startswith("evaluation.criticisms_blocking_excellence: 'many' has the wrong type")
        and "(EVAL-6)" in line
        for line in lines
    )
    assert len(lines) == 3


def test_org_3__a_and_b_absent_together__refused_with_rule():
    with pytest.raises(PolicyError) as err:
        load_policy_text(
            "extends: yuanzhou-p2\norganisation:\n  ab_posts:\n    may_be_absent_together: true\n"
        )
    (problem,) = err.value.problems
    assert problem.path == "organisation.ab_posts.may_be_absent_together"
    assert problem.rule == "ORG-3"


def test_org_5__application_deadline_outside_rotation_month__model_validator_path():
    with pytest.raises(PolicyError) as err:
        load_policy_text(
            "extends: yuanzhou-p2\norganisation:\n  rotation:\n    application_deadline: '11-20'\n"
        )
    (problem,) = err.value.problems
    assert (
        str(problem)
        == "organisation.rotation.application_deadline: '11-20' must fall in the rotation month (12) (ORG-5)"
    )


def test_eval_5__negative_deduction__refused():
    with pytest.raises(PolicyError) as err:
        load_policy_text(
            "extends: yuanzhou-p2\nevaluation:\n  conduct_bonus:\n    deductions: {district: -200}\n"
        )
    assert [str(p) for p in err.value.problems] == [
        "evaluation.conduct_bonus.deductions.district: -200 is negative (EVAL-5)"
    ]


def test_eval_1__scale_with_only_satisfied_levels__refused():
    text = (
        "extends: yuanzhou-p2\nevaluation:\n  rating_levels:\n"
        "    - {code: good, label: 好, satisfied: true}\n    - {code: fine, label: 还行, satisfied: true}\n"
    )
    with pytest.raises(PolicyError) as err:
        load_policy_text(text)
    (problem,) = err.value.problems
    assert (problem.path, problem.rule) == ("evaluation.rating_levels", "EVAL-1")


def test_con__duplicate_prohibition_code__refused():
    text = (
        "extends: yuanzhou-p2\nconduct:\n  prohibitions:\n"
        "    - {code: eating, label: 吃东西}\n    - {code: eating, label: 吃零食}\n"
    )
    with pytest.raises(PolicyError) as err:
        load_policy_text(text)
    (problem,) = err.value.problems
    assert (problem.path, problem.rule) == ("conduct.prohibitions", "CON")
    assert "eating" in problem.message


def test_con__bad_code__pattern_error_on_the_item():
    text = "extends: yuanzhou-p2\nconduct:\n  prohibitions:\n    - {code: Eating Lunch, label: 吃东西}\n"
    with pytest.raises(PolicyError) as err:
        load_policy_text(text)
    (problem,) = err.value.problems
    assert problem.path == "conduct.prohibitions[0].code"
    assert problem.rule == "CON"


@pytest.mark.parametrize(
    ("message", "rule", "text"),
    [
        ("LEAVE-1: tiers must increase", "LEAVE-1", "tiers must increase"),
        ("tiers must increase (LEAVE-1)", "LEAVE-1", "tiers must increase"),
        ("late_half_day_minutes must exceed (ATT-3, ATT-5)", "ATT-3", "late_half_day_minutes must exceed"),
        ("ATTENTION: not a rule", None, "ATTENTION: not a rule"),
        ("plain message", None, "plain message"),
    ],
)
def test_errors__rule_id_in_a_plain_value_error_message(message: str, rule: str | None, text: str):
    assert _rule_in_message(message) == (rule, text)


def test_errors__policy_rule_error_appends_its_field_to_the_path():
    err = {
        "type": "value_error",
        "loc": ("leave",),
        "msg": "Value error, out of order",
        "ctx": {"error": PolicyRuleError("LEAVE-1", "out of order", field="approval_tiers")},
    }
    problem = _problem(err, {"leave": {"approval_tiers": [{"max_days": 3}, {"max_days": 1}]}})
    assert str(problem) == "leave.approval_tiers: [{max_days: 3}, {max_days: 1}] out of order (LEAVE-1)"


def test_errors__pydantic_custom_error_with_rule_in_context():
    exc = PydanticCustomError("tiers_order", "tiers out of order", {"rule": "LEAVE-1"})
    err = {"type": exc.type, "loc": ("leave", "approval_tiers"), "msg": exc.message(), "ctx": exc.context}
    problem = _problem(err, {})
    assert (problem.path, problem.rule, problem.message) == (
        "leave.approval_tiers",
        "LEAVE-1",
        "tiers out of order",
    )


_keys = st.sampled_from(["a", "b", "c"])
_trees = st.recursive(
    st.none() | st.integers(-3, 3) | st.lists(st.integers(0, 3), max_size=3),
    lambda children: st.dictionaries(_keys, children, max_size=3),
    max_leaves=8,
)
_maps = st.dictionaries(_keys, _trees, max_size=3)


@given(base=_maps, override=_maps)
def test_deep_merge__override_wins_on_every_leaf_and_base_keys_survive(base, override):
    merged = deep_merge(base, override)
    assert set(merged) == set(base) | set(override)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            assert merged[key] == deep_merge(base[key], value)
        else:
            assert merged[key] == value
    for key in set(base) - set(override):
        assert merged[key] == base[key]


@given(data=_maps)
def test_deep_merge__empty_override_and_empty_base_are_identities(data):
    assert deep_merge(data, {}) == data
    assert deep_merge({}, data) == data

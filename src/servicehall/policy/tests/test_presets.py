"""Every shipped preset validates, extends what it should, and documents where its values come from."""

from __future__ import annotations

import re

import pytest

from servicehall.policy.loader import PRESETS_DIR, load_policy, preset_names, resolve_policy
from servicehall.policy.schema import SECTIONS, Policy

SHIPPED = ["centre-000", "yuanzhou-p1", "yuanzhou-p2"]
MY_SECTIONS = ["organisation", "supervision", "evaluation", "conduct"]


def test_presets__the_three_seed_presets_are_shipped():
    assert set(SHIPPED) <= set(preset_names())


@pytest.mark.parametrize("name", preset_names())
def test_preset__validates(name: str):
    policy = load_policy(name)
    assert isinstance(policy, Policy)
    assert policy.name == name
    assert policy.ref == f"{name}@{policy.version}"


@pytest.mark.parametrize("name", preset_names())
def test_preset__only_known_section_files(name: str):
    files = {p.stem for p in (PRESETS_DIR / name).glob("*.yaml")}
    assert files - {"policy"} <= set(SECTIONS)


@pytest.mark.parametrize(
    ("name", "chain"),
    [
        ("yuanzhou-p2", ["yuanzhou-p2"]),
        ("yuanzhou-p1", ["yuanzhou-p1", "yuanzhou-p2"]),
        ("centre-000", ["centre-000", "yuanzhou-p2"]),
    ],
)
def test_preset__extends_chain(name: str, chain: list[str]):
    assert resolve_policy(name).chain == chain


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("section", MY_SECTIONS)
def test_preset__every_value_line_cites_its_source(name: str, section: str):
    """Each non-empty file opens with a comment naming its seed; value lines carry or inherit a citation."""
    path = PRESETS_DIR / name / f"{section}.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.lstrip().splitlines()[0]
    assert first.startswith("#")
    assert re.search(r"\b(000|001|002|003|004)\b|篇\d|seed", text)


def test_org_5__p2_minimum_posting_one_natural_year__from_p1_section_ten():
    assert load_policy("yuanzhou-p2").organisation.rotation.min_posting_years == 1
    assert load_policy("yuanzhou-p2").organisation.rotation.application_deadline == "12-20"


def test_eval_4__centre_000__quarter_half_year_year_by_self_peer_office():
    evaluation = load_policy("centre-000").evaluation
    assert evaluation.assessment_periods == ["quarter", "half_year", "year"]
    assert evaluation.assessment_methods == ["self", "peer", "centre_office"]
    assert len(evaluation.grades) == 3


def test_eval_5__centre_000__100_a_month_quarterly_deductions_100_200_300():
    bonus = load_policy("centre-000").evaluation.conduct_bonus
    assert (bonus.yuan_per_month, bonus.paid_every) == (100, "quarter")
    assert (bonus.deductions.street, bonus.deductions.district, bonus.deductions.city) == (100, 200, 300)
    assert bonus.deductions.complaint is None  # the seed leaves the amount blank
    assert bonus.never_below_zero


@pytest.mark.parametrize("name", SHIPPED)
def test_eval_6__three_criticisms_and_three_months_training(name: str):
    evaluation = load_policy(name).evaluation
    assert evaluation.criticisms_blocking_excellence == 3
    assert evaluation.negative_impact_training_months == 3


@pytest.mark.parametrize("name", SHIPPED)
def test_eval_1__five_level_scale_best_first(name: str):
    labels = [level.label for level in load_policy(name).evaluation.rating_levels]
    assert labels == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]


@pytest.mark.parametrize("name", SHIPPED)
def test_int_1__four_prohibitions(name: str):
    codes = [p.code for p in load_policy(name).conduct.integrity_prohibitions]
    assert codes == ["private_gain", "bribery", "intermediary_business", "obstruction_delay"]


def test_con__each_preset_lists_its_own_seed():
    p2 = {p.code for p in load_policy("yuanzhou-p2").conduct.prohibitions}
    p1 = {p.code for p in load_policy("yuanzhou-p1").conduct.prohibitions}
    c000 = {p.code for p in load_policy("centre-000").conduct.prohibitions}
    assert "drinking_before_work" in p2
    assert "drinking_before_work" not in p1
    assert "foreign_storage_device" in p1
    assert "foreign_storage_device" not in p2
    assert {"eating", "smoking", "spitting_littering"} <= c000  # 000 §五
    sources = [s for p in load_policy("yuanzhou-p1").conduct.prohibitions for s in p.sources]
    assert all(s.startswith("002/篇1") for s in sources)


def test_sup_1__p1_inherits_the_yellow_card_lead_time_of_p2():
    assert (
        load_policy("yuanzhou-p1").supervision.yellow_card_lead_working_days
        == load_policy("yuanzhou-p2").supervision.yellow_card_lead_working_days
    )

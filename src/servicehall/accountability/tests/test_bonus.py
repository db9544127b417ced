"""The conduct-bonus engine (行风评议奖, EVAL-5, seed 000 §十二.2(3)): no database."""

from __future__ import annotations

from datetime import date

import pytest

from servicehall.accountability.bonus import (
    BonusEvent,
    RosterEntry,
    compute_bonus,
    parse_quarter,
)
from servicehall.core.errors import InputError, RuleViolation
from servicehall.policy.loader import load_policy
from servicehall.policy.sections.evaluation import unset_amount_warning

ROSTER = [
    RosterEntry("S1", "张三", "staff", "公安局", "W1"),
    RosterEntry("S2", "李四", "staff", "公安局", "W1"),
    RosterEntry("S3", "王五", "staff", "公安局", "W2"),
    RosterEntry("S4", "赵六", "chief_rep", "税务局", "W3"),
]
Q1 = parse_quarter("2026Q1")


def bonus_policy(**changes):
    policy = load_policy("centre-000").evaluation.conduct_bonus
    deductions = changes.pop("deductions", None)
    if deductions:
        changes["deductions"] = policy.deductions.model_copy(update=deductions)
    return policy.model_copy(update=changes)


def paid(policy, events, roster=ROSTER):
    result = compute_bonus(policy, period=Q1, roster=roster, events=events)
    return {s.staff_id: s.paid for s in result.staff}, result


def finding(day: int, level: str, who: str, month: int = 2) -> BonusEvent:
    return BonusEvent(date(2026, month, day), "finding", level, who)


def test_eval_5__base_is_three_months_of_the_monthly_amount__quarterly_rhythm():
    """EVAL-5: 每人每月100元, 一季度发放一次 → base 300 for a quarter, paid in full without events."""
    amounts, result = paid(bonus_policy(), [])
    assert {s.base for s in result.staff} == {300}
    assert amounts == {"S1": 300, "S2": 300, "S3": 300, "S4": 300}


@pytest.mark.parametrize(("level", "amount"), [("street", 100), ("district", 200), ("city", 300)])
def test_eval_5__finding_level__deducts_its_amount_from_everyone(level: str, amount: int):
    """EVAL-5: street 100, district 200, city 300 yuan from every person (扣除每人, scope centre)."""
    amounts, result = paid(bonus_policy(), [finding(3, level, "S1")])
    assert amounts == dict.fromkeys(("S1", "S2", "S3", "S4"), 300 - amount)
    assert result.staff[3].deductions[0].as_dict() == {
        "date": "2026-02-03",
        "rule": "EVAL-5",
        "kind": "finding",
        "level": level,
        "amount": amount,
    }


def test_eval_5__centre_own_finding__deducts_nothing():
    """EVAL-5: a finding by the centre itself feeds the assessment, not the bonus."""
    amounts, result = paid(bonus_policy(), [finding(3, "centre", "S1")])
    assert set(amounts.values()) == {300}
    assert result.staff[0].recommended_extra_deduction == 0


@pytest.mark.parametrize(
    ("scope", "losers"),
    [
        ("centre", {"S1", "S2", "S3", "S4"}),
        ("unit", {"S1", "S2", "S3"}),
        ("window", {"S1", "S2"}),
        ("person", {"S1"}),
    ],
)
def test_eval_5__deduction_scope__taken_from_the_roster(scope: str, losers: set[str]):
    """EVAL-5: the policy's scope decides who loses an event's amount: centre / unit / window / person."""
    amounts, _ = paid(bonus_policy(scope=scope), [finding(3, "street", "S1")])
    assert {sid for sid, value in amounts.items() if value == 200} == losers
    assert {sid for sid, value in amounts.items() if value == 300} == {"S1", "S2", "S3", "S4"} - losers


def test_eval_5__deductions_beyond_the_base__paid_stops_at_zero_and_nominal_amounts_listed():
    """EVAL-5 扣完为止: paid = max(0, base − nominal deductions); the list keeps the nominal amounts."""
    events = [finding(20, "city", "S1", month=3), finding(3, "district", "S2", month=1)]
    amounts, result = paid(bonus_policy(), events)
    assert set(amounts.values()) == {0}
    assert [d.amount for d in result.staff[0].deductions] == [200, 300]  # date order, not input order
    assert [d.on for d in result.staff[0].deductions] == [date(2026, 1, 3), date(2026, 3, 20)]


def test_eval_5__floor_each_month__a_bad_month_does_not_eat_the_others():
    """EVAL-5: with floor_each_month, a 300-yuan city finding in January costs only January's 100."""
    events = [finding(5, "city", "S1", month=1)]
    assert paid(bonus_policy(), events)[0]["S2"] == 0
    assert paid(bonus_policy(floor_each_month=True), events)[0]["S2"] == 200


def test_eval_5__unset_complaint_amount__counted_as_zero_with_a_warning():
    """EVAL-5: the seed leaves the complaint amount blank (每次扣除每人 元): 0 and a warning."""
    events = [BonusEvent(date(2026, 1, 5), "complaint", "", "S3", where="events.csv, row 2")]
    amounts, result = paid(bonus_policy(), events)
    assert set(amounts.values()) == {300}
    assert result.staff[0].deductions[0].amount == 0
    assert len(result.warnings) == 1
    assert "events.csv, row 2" in result.warnings[0]
    assert "deductions.complaint is not set" in result.warnings[0]
    assert result.as_dict()["warnings"] == list(result.warnings)
    assert "deductions.complaint is not set" in unset_amount_warning(bonus_policy())


def test_eval_5__unset_complaint_amount_and_policy_refuses__no_result():
    """EVAL-5: unset_complaint_amount=refuse → a period with a complaint is refused, naming the row."""
    events = [BonusEvent(date(2026, 1, 5), "disturbance", "", "S3", where="events.csv, row 4")]
    with pytest.raises(RuleViolation) as err:
        paid(bonus_policy(unset_complaint_amount="refuse"), events)
    assert err.value.rule_id == "EVAL-5"
    assert "events.csv, row 4" in str(err.value)
    # a period without complaints is still computed
    assert paid(bonus_policy(unset_complaint_amount="refuse"), [finding(3, "street", "S1")])[0]["S1"] == 200


def test_eval_5__complaint_amount_set__deducts_it_and_no_warning():
    """EVAL-5: once the centre sets the amount, complaints and disturbances deduct it."""
    events = [
        BonusEvent(date(2026, 1, 5), "complaint", "", "S3"),
        BonusEvent(date(2026, 1, 6), "disturbance", "", "S3"),
    ]
    amounts, result = paid(bonus_policy(deductions={"complaint": 50}), events)
    assert set(amounts.values()) == {200}
    assert result.warnings == ()
    assert unset_amount_warning(bonus_policy(deductions={"complaint": 50})) is None


def test_eval_5__person_at_fault__recommended_extra_deduction_reported_apart():
    """EVAL-5: 检查中出现问题的当事人 — the same amount again, recommended, not taken from the pool."""
    events = [finding(3, "district", "S1"), finding(4, "street", "S1"), finding(5, "city", "S4")]
    amounts, result = paid(bonus_policy(scope="person"), events)
    extra = {s.staff_id: s.recommended_extra_deduction for s in result.staff}
    assert extra == {"S1": 300, "S2": 0, "S3": 0, "S4": 300}
    assert amounts == {"S1": 0, "S2": 300, "S3": 300, "S4": 0}


def test_eval_5__complaint_extra_deduction__only_when_the_policy_says_so():
    """EVAL-5: for complaints the extra deduction is a policy option, off in the presets."""
    events = [BonusEvent(date(2026, 1, 5), "complaint", "", "S3")]
    off = paid(bonus_policy(deductions={"complaint": 50}), events)[1]
    on = paid(bonus_policy(deductions={"complaint": 50}, at_fault_extra_for_complaints=True), events)[1]
    assert [s.recommended_extra_deduction for s in off.staff] == [0, 0, 0, 0]
    assert [s.recommended_extra_deduction for s in on.staff] == [0, 0, 50, 0]


def test_eval_5__events_outside_the_quarter__ignored():
    """EVAL-5: an event of December or April does not touch the first quarter."""
    events = [
        BonusEvent(date(2025, 12, 31), "finding", "city", "S1"),
        BonusEvent(date(2026, 4, 1), "finding", "city", "S1"),
    ]
    amounts, result = paid(bonus_policy(), events)
    assert set(amounts.values()) == {300}
    assert all(not s.deductions for s in result.staff)


def test_eval_5__unknown_person_at_fault__error_names_the_row():
    """EVAL-5: a staff_id missing from the roster is an input error naming where it came from."""
    events = [BonusEvent(date(2026, 1, 5), "finding", "street", "S9", where="events.csv, row 7")]
    with pytest.raises(InputError) as err:
        paid(bonus_policy(), events)
    assert "events.csv, row 7" in str(err.value)
    assert "S9" in str(err.value)


def test_eval_5__policy_pays_yearly__a_quarter_is_refused():
    """EVAL-5: a quarter is not a payment period of a policy that pays once a year."""
    with pytest.raises(InputError, match="paid_every"):
        paid(bonus_policy(paid_every="year"), [])


def test_eval_5__monthly_rhythm__each_month_its_own_pool():
    """EVAL-5: paid every month → a January city finding leaves February and March whole."""
    amounts, _ = paid(bonus_policy(paid_every="month"), [finding(5, "city", "S1", month=1)])
    assert amounts["S1"] == 200


@pytest.mark.parametrize("text", ["2026Q5", "2026-03", "Q1", ""])
def test_eval_5__bad_quarter__input_error(text: str):
    with pytest.raises(InputError):
        parse_quarter(text)

"""Assessment scoring and grading (EVAL-4, EVAL-7): no database."""

from __future__ import annotations

from servicehall.assessment.scoring import grade, score
from servicehall.policy.loader import load_policy

POLICY = load_policy("yuanzhou-p2").evaluation.assessment
GRADES = ["excellent", "qualified", "unqualified"]


def test_eval_4__weighted_mean_of_present_inputs__absent_share_spread():
    """EVAL-4: without ratings (satisfaction absent) the other shares carry the base — the install still scores."""
    sheet = score(POLICY, {"self": 100, "peer": 80, "office": 90, "satisfaction": None})
    assert sheet.total == round((0.1 * 100 + 0.2 * 80 + 0.4 * 90) / 0.7, 2)
    line = next(x for x in sheet.lines if x.code == "satisfaction")
    assert (line.value, line.points) == (None, 0.0)


def test_eval_7__citizens_share__moves_the_score():
    """EVAL-7: the satisfaction rate weighs 0.3 of the base in the presets."""
    high = score(POLICY, {"office": 80, "satisfaction": 100}).total
    low = score(POLICY, {"office": 80, "satisfaction": 50}).total
    assert round(high - low, 2) == round(0.3 / 0.7 * 50, 2)


def test_eval_4__counts_deduct_points_per_item_and_total_stays_in_range():
    sheet = score(POLICY, {"office": 95, "absence_days": 0.5, "findings": 2, "criticisms": 20})
    points = {x.code: x.points for x in sheet.lines}
    assert (points["absence_days"], points["findings"], points["criticisms"]) == (-5.0, -6.0, -200.0)
    assert sheet.total == 0.0


def test_eval_4__thresholds__inclusive_minimums():
    grades = grade(POLICY, GRADES, {1: 90.0, 2: 89.99, 3: 60.0, 4: 59.9})
    assert grades == {1: "excellent", 2: "qualified", 3: "qualified", 4: "unqualified"}


def test_eval_4__quota__best_share_first_grade_and_eval_6_cap():
    quota = POLICY.model_copy(update={"grading": "quota", "excellent_share": 0.25})
    totals = {1: 99.0, 2: 95.0, 3: 80.0, 4: 70.0, 5: 50.0, 6: 85.0, 7: 75.0, 8: 65.0}
    grades = grade(quota, GRADES, totals, not_excellent=frozenset({1}))
    assert [pid for pid, g in grades.items() if g == "excellent"] == [2, 6]  # 1 is ineligible (EVAL-6)
    assert grades[5] == "unqualified"

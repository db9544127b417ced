"""Pure ORG-3 / ORG-5 rules: no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.org.rules import PostingOrderError, add_years, check_ab_pair, check_posting


def ab(**overrides):
    values = dict(
        post_centre_id=1,
        post_unit_id=10,
        a_id=100,
        a_centre_id=1,
        a_unit_id=10,
        b_id=101,
        b_centre_id=1,
        b_unit_id=10,
    )
    values.update(overrides)
    return check_ab_pair(**values)


def test_org_3__two_people_of_the_post_unit__accepted():
    assert ab() == []


def test_org_3__same_person_as_a_and_b__refused_on_b():
    problems = ab(b_id=100)
    assert [(p.rule_id, p.field) for p in problems] == [("ORG-3", "b_holder")]
    assert "同一人" in problems[0].message


def test_org_3__b_from_another_unit__refused():
    problems = ab(b_unit_id=11)
    assert [(p.rule_id, p.field) for p in problems] == [("ORG-3", "b_holder")]


def test_org_1__a_from_another_centre__refused():
    problems = ab(a_centre_id=2, a_unit_id=99)
    assert [(p.rule_id, p.field) for p in problems] == [("ORG-1", "a_holder")]


def test_org_5__one_full_natural_year__not_short():
    result = check_posting(posted_from=dt.date(2025, 1, 1), posted_until=dt.date(2025, 12, 31), min_years=1)
    assert result.short is False
    assert result.note == ""


def test_org_5__one_day_less_than_a_year__short_and_flagged():
    result = check_posting(posted_from=dt.date(2025, 1, 1), posted_until=dt.date(2025, 12, 30), min_years=1)
    assert result.short is True
    assert result.rule_id == "ORG-5"
    assert "2025-12-31" in result.note


def test_org_5__two_year_minimum__eighteen_months_short():
    result = check_posting(posted_from=dt.date(2025, 1, 1), posted_until=dt.date(2026, 6, 30), min_years=2)
    assert result.short is True
    assert result.earliest_end == dt.date(2026, 12, 31)


def test_org_5__end_before_start__refused():
    with pytest.raises(PostingOrderError, match="ORG-5"):
        check_posting(posted_from=dt.date(2025, 3, 1), posted_until=dt.date(2025, 2, 28), min_years=1)


def test_org_5__open_ended_posting__not_short():
    assert check_posting(posted_from=dt.date(2025, 3, 1), posted_until=None, min_years=1).short is False


def test_org_5__result_has_no_truth_value():
    with pytest.raises(TypeError):
        bool(check_posting(posted_from=None, posted_until=None, min_years=1))


def test_add_years__29_february__becomes_28_february():
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    a=st.integers(0, 1500),
    b=st.integers(0, 1500),
    years=st.integers(1, 3),
)
def test_org_5__longer_posting__never_shorter(start, a, b, years):
    def short(days: int) -> bool:
        return check_posting(
            posted_from=start, posted_until=start + dt.timedelta(days=days), min_years=years
        ).short

    assert short(max(a, b)) <= short(min(a, b))
    assert short(0) is True
    assert short(366 * years) is False

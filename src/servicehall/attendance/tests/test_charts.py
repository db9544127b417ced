"""The attendance charts' numbers (迟到统计图, ATT-3): lates per unit this month and over the months before."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from servicehall.attendance import selectors
from servicehall.attendance.models import Punch
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    centre = CentreFactory()
    tax, police = UnitFactory(centre=centre, name="税务"), UnitFactory(centre=centre, name="公安")
    return {
        "tax": tax,
        "alice": StaffFactory(centre=centre, unit=tax, staff_no="A1"),
        "amy": StaffFactory(centre=centre, unit=tax, staff_no="A2"),
        "bob": StaffFactory(centre=centre, unit=police, staff_no="B1"),
        "chief": StaffFactory(
            centre=centre, unit=tax, role=Staff.Role.CHIEF_REP, with_user=True, staff_no="A0"
        ),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }


def punch(staff: Staff, month: int, *, late_days: int) -> None:
    """Four punches on the weekdays of `month` 2026 (8:45 arrival on the first `late_days` of them)."""
    rows, lates = [], 0
    for d in range(1, 32):
        try:
            day = date(2026, month, d)
        except ValueError:
            break
        if day.weekday() >= 5 or not (8 <= d <= 27):  # stay clear of New Year and Spring Festival
            continue
        first = time(8, 45) if lates < late_days else time(8, 20)
        lates += first == time(8, 45)
        for t in (first, time(12, 2), time(14, 20), time(18, 1)):
            rows.append(
                Punch(centre=staff.centre, staff=staff, at=timezone.make_aware(datetime.combine(day, t)))
            )
    Punch.objects.bulk_create(rows)


def test_att_3__lates_by_unit__sums_the_people_of_each_unit(world):
    """ATT-3: two tax clerks late 2 and 1 times make 3 for 税务; 公安's clerk on time makes 0."""
    punch(world["alice"], 3, late_days=2)
    punch(world["amy"], 3, late_days=1)
    punch(world["bob"], 3, late_days=0)
    report = selectors.month_report(viewer=world["office"].user, month="2026-03")
    assert selectors.lates_by_unit(report) == {"税务": 3, "公安": 0}


def test_att_3__late_trend__months_from_the_first_punch__empty_month_counts_zero(world):
    """ATT-3 trend: January and March have punches, February none; the trend starts at January (no
    months before the first punch) and February is 0 for every unit rather than missing."""
    punch(world["alice"], 1, late_days=3)
    punch(world["bob"], 1, late_days=1)
    punch(world["alice"], 3, late_days=1)
    punch(world["bob"], 3, late_days=2)
    trend = selectors.late_trend(viewer=world["office"].user, month="2026-03", count=6)
    assert trend.months == ["2026-01", "2026-02", "2026-03"]
    assert trend.by_unit == {"税务": [3, 0, 1], "公安": [1, 0, 2]}
    assert trend.month_totals() == [4, 0, 3]


def test_att_3__late_trend__count_limits_the_months__chief_rep_sees_own_unit_only(world):
    """A chief representative's trend holds their unit only (scoped like the month itself)."""
    punch(world["alice"], 1, late_days=3)
    punch(world["alice"], 3, late_days=1)
    punch(world["bob"], 3, late_days=2)
    trend = selectors.late_trend(
        viewer=world["chief"].user, month="2026-03", count=2, unit_id=world["tax"].pk
    )
    assert trend.months == ["2026-02", "2026-03"]
    assert trend.by_unit == {"税务": [0, 1]}


def test_att_3__late_trend__no_punches__no_months(world):
    assert selectors.late_trend(viewer=world["office"].user, month="2026-03").months == []


def test_att_3__centre_month_page__draws_both_charts_with_their_numbers(client, world):
    punch(world["alice"], 3, late_days=2)
    client.force_login(world["office"].user)
    body = client.get("/attendance/centre/?month=2026-03").content.decode()
    assert 'id="chart-lates-now"' in body
    assert 'id="chart-lates-trend"' in body
    assert body.count("<svg") == 2
    assert '<th scope="row">税务</th><td>2</td>' in body

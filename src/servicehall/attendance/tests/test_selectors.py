"""Months evaluated from the database: scope by role, leaves from the leave domain, calendar, re-evaluation."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from servicehall.attendance import selectors
from servicehall.attendance.models import Punch
from servicehall.attendance.tests.factories import OffPostRecordFactory
from servicehall.core.errors import Forbidden
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory
from servicehall.workdays.models import CalendarDay
from servicehall.workdays.selectors import forget_calendar

pytestmark = pytest.mark.django_db
MONTH = "2026-03"
DAY = date(2026, 3, 12)


@pytest.fixture
def world():
    centre = CentreFactory()
    a, b = UnitFactory(centre=centre, name="税务"), UnitFactory(centre=centre, name="公安")
    return {
        "centre": centre,
        "a": a,
        "b": b,
        "alice": StaffFactory(centre=centre, unit=a, with_user=True, staff_no="A1"),
        "amy": StaffFactory(centre=centre, unit=a, with_user=True, staff_no="A2"),
        "bob": StaffFactory(centre=centre, unit=b, with_user=True, staff_no="B1"),
        "chief_a": StaffFactory(
            centre=centre, unit=a, role=Staff.Role.CHIEF_REP, with_user=True, staff_no="A0"
        ),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }


def punch_month(staff: Staff, skip: set[date] = frozenset(), late: set[date] = frozenset()) -> None:
    """Four punches every Monday–Friday of March 2026 (the package calendar has no March holidays)."""
    rows = []
    for d in range(1, 32):
        day = date(2026, 3, d)
        if day.weekday() >= 5 or day in skip:
            continue
        first = time(8, 45) if day in late else time(8, 20)
        for t in (first, time(12, 2), time(14, 20), time(18, 1)):
            rows.append(
                Punch(centre=staff.centre, staff=staff, at=timezone.make_aware(datetime.combine(day, t)))
            )
    Punch.objects.bulk_create(rows)


def test_att_3__month_from_database__late_found_with_evidence(world):
    punch_month(world["alice"], late={DAY})
    report = selectors.month_report(viewer=world["alice"].user, month=MONTH)
    [(staff, result)] = report.rows
    assert staff == world["alice"]
    assert (result.lates, result.absence_days) == (1, 0)
    assert str(result.events[0]) == "2026-03-12 AM: ATT-3 in-punch 08:45, 15 min late"
    assert report.policy_ref.startswith("yuanzhou-p2@")  # no published version: the default preset


def test_att_8__voided_punch__no_longer_counts(world):
    punch_month(world["alice"])
    Punch.objects.filter(staff=world["alice"], at__date=DAY).update(voided=True)
    [(_, result)] = selectors.month_report(viewer=world["alice"].user, month=MONTH).rows
    assert result.absence_days == 1.0


def test_att_8__leave_approved_afterwards__month_changes(world, monkeypatch):
    punch_month(world["alice"], skip={DAY})
    status = {"value": "pending"}

    def leaves_for_attendance(centre_id, start, end, *, policy=None):
        return [
            {
                "staff_id": world["alice"].pk,
                "kind": "personal",
                "start": DAY.isoformat(),
                "end": DAY.isoformat(),
                "status": status["value"],
                "certificate": "no",
            }
        ]

    import servicehall.leave.selectors as leave_selectors

    monkeypatch.setattr(leave_selectors, "leaves_for_attendance", leaves_for_attendance, raising=False)
    before = selectors.month_report(viewer=world["alice"].user, month=MONTH).rows[0][1]
    status["value"] = "approved"  # LEAVE-6: the form is completed afterwards with the centre's consent
    after = selectors.month_report(viewer=world["alice"].user, month=MONTH).rows[0][1]
    assert before.absence_days == 1.0
    assert (after.absence_days, after.leave_days) == (0.0, {"personal": 1.0})


def test_att_5__inspection_record__half_day_absence(world):
    punch_month(world["alice"])
    OffPostRecordFactory(staff=world["alice"], date=DAY, minutes=125)
    [(_, result)] = selectors.month_report(viewer=world["alice"].user, month=MONTH).rows
    assert result.absence_days == 0.5
    assert [e.rule for e in result.events] == ["ATT-5"]


def test_att_1__calendar_table__holiday_entered_by_the_centre_is_honoured(world):
    punch_month(world["alice"], skip={DAY})
    CalendarDay.objects.update_or_create(date=DAY, defaults={"kind": CalendarDay.Kind.HOLIDAY})
    CalendarDay.objects.update_or_create(date=date(2026, 1, 1), defaults={"kind": CalendarDay.Kind.HOLIDAY})
    forget_calendar()
    [(_, result)] = selectors.month_report(viewer=world["alice"].user, month=MONTH).rows
    assert result.absence_days == 0


def test_scope__window_staff__sees_only_themselves(world):
    report = selectors.month_report(viewer=world["alice"].user, month=MONTH)
    assert [s for s, _ in report.rows] == [world["alice"]]


def test_scope__chief_rep__sees_own_unit_only(world):
    report = selectors.month_report(viewer=world["chief_a"].user, month=MONTH)
    assert {s.staff_no for s, _ in report.rows} == {"A0", "A1", "A2"}
    with pytest.raises(Forbidden):
        selectors.month_report(viewer=world["chief_a"].user, month=MONTH, unit_id=world["b"].pk)
    with pytest.raises(Forbidden):
        selectors.staff_month(viewer=world["chief_a"].user, staff_id=world["bob"].pk, month=MONTH)


def test_scope__office__sees_the_centre_grouped_by_unit(world):
    report = selectors.month_report(viewer=world["office"].user, month=MONTH)
    assert {s.staff_no for s, _ in report.rows} == {"A0", "A1", "A2", "B1"}  # office staff are not evaluated
    assert set(report.by_unit()) == {"税务", "公安"}


def test_scope__window_staff__cannot_open_a_colleague(world):
    with pytest.raises(Forbidden):
        selectors.staff_month(viewer=world["alice"].user, staff_id=world["amy"].pk, month=MONTH)


def test_att_10__weekly_notice__findings_of_the_week_only(world):
    punch_month(world["alice"], late={date(2026, 3, 10), date(2026, 3, 17)})
    punch_month(world["amy"])
    punch_month(world["bob"])
    punch_month(world["chief_a"])
    notice = selectors.weekly_notice(viewer=world["office"].user, week_start=date(2026, 3, 11))
    assert notice["week_start"] == date(2026, 3, 9)
    [(staff, events)] = notice["rows"]
    assert staff == world["alice"]
    assert [(e.date, e.rule) for e in events] == [(date(2026, 3, 10), "ATT-3")]


def test_att_10__quarter_summary__sums_three_months(world):
    punch_month(world["alice"], late={DAY})
    rows = selectors.quarter_summary(viewer=world["alice"].user, year=2026, quarter=1)
    [row] = rows
    assert row["staff_id"] == "A1"
    assert row["lates"] == 1
    # January and February have no punches at all: every working day is absence there
    assert row["absence_days"] > 30


def test_posted_until__left_mid_month__not_judged_afterwards(world):
    alice = world["alice"]
    alice.posted_until = date(2026, 3, 6)
    alice.save()
    [(_, result)] = selectors.month_report(viewer=alice.user, month=MONTH).rows
    assert result.absence_days == 5.0  # Monday 2 – Friday 6 March, no punches

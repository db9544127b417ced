"""Kept month results (月度考勤结果): report pages read them; a punch import, a punch void, an inspection
record, a leave decision and a policy publish each make them stale, so the next read evaluates again."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.attendance import selectors, services
from servicehall.attendance.models import MonthResult, Punch
from servicehall.leave import services as leave_services
from servicehall.leave.models import LeaveStep
from servicehall.leave.tests.factories import BEFORE, CALENDAR
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory
from servicehall.policy_versions.services import publish_policy_version
from servicehall.workdays.selectors import forget_calendar

pytestmark = pytest.mark.django_db
MONTH = "2026-03"
DAY = date(2026, 3, 12)  # a Thursday
TODAY = date(2026, 4, 15)  # March is complete


@pytest.fixture
def world():
    centre = CentreFactory()
    unit = UnitFactory(centre=centre, name="税务")
    return {
        "centre": centre,
        "unit": unit,
        "alice": StaffFactory(centre=centre, unit=unit, with_user=True, staff_no="A1"),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }


def punch_lines(staff: Staff, *, skip: set[date] = frozenset(), late: set[date] = frozenset()) -> str:
    """A standard punch file: four punches every Monday–Friday of March 2026 (no holidays in March)."""
    lines = ["staff_id,time"]
    for d in range(1, 32):
        day = date(2026, 3, d)
        if day.weekday() >= 5 or day in skip:
            continue
        first = time(8, 45) if day in late else time(8, 20)
        for t in (first, time(12, 2), time(14, 20), time(18, 1)):
            lines.append(f"{staff.staff_no},{datetime.combine(day, t):%Y-%m-%d %H:%M:%S}")
    return "\n".join(lines) + "\n"


def import_file(world, text: str, name: str = "march.csv") -> None:
    services.import_punch_file(
        centre=world["centre"], data=text.encode(), filename=name, actor=world["office"].user
    )


def month_of(staff: Staff):
    report = selectors.evaluate_staff_month(
        centre_id=staff.centre_id, staff=[staff], month=MONTH, today=TODAY
    )
    return report.rows[0][1]


def test_att_3__kept_result__read_back_without_evaluating(world, monkeypatch):
    """ATT-3: a late found once is kept with its evidence; the next read does not run the engine."""
    import_file(world, punch_lines(world["alice"], late={DAY}))
    first = month_of(world["alice"])
    assert MonthResult.objects.filter(staff=world["alice"], month=date(2026, 3, 1)).count() == 1

    def no_evaluation(*args, **kwargs):
        raise AssertionError("a kept month was evaluated again")

    monkeypatch.setattr(selectors, "evaluate_month", no_evaluation)
    again = month_of(world["alice"])
    assert again == first  # same counts, leave days and events (dates, rules, params)
    assert [str(e) for e in again.events] == ["2026-03-12 AM: ATT-3 in-punch 08:45, 15 min late"]


def test_att_8__punch_import__kept_month_evaluated_again(world):
    """ATT-8: a day without punches is absence until an import brings its punches."""
    import_file(world, punch_lines(world["alice"], skip={DAY}))
    assert month_of(world["alice"]).absence_days == 1.0
    day_only = "\n".join(
        ["staff_id,time"]
        + [f"A1,{DAY:%Y-%m-%d} {t}" for t in ("08:20:00", "12:02:00", "14:20:00", "18:01:00")]
    )
    import_file(world, day_only + "\n", name="late-export.csv")
    assert month_of(world["alice"]).absence_days == 0.0


def test_att_6__punch_void__kept_month_evaluated_again(world):
    """ATT-6: voiding the out-punch of a session turns it into a missed punch."""
    import_file(world, punch_lines(world["alice"]))
    assert month_of(world["alice"]).missed_punches == 0
    punch = Punch.objects.get(
        staff=world["alice"], at=timezone.make_aware(datetime.combine(DAY, time(18, 1)))
    )
    services.void_punch(punch_id=punch.pk, reason="他人代打", actor=world["office"].user)
    after = month_of(world["alice"])
    assert after.missed_punches == 1
    assert [e.rule for e in after.events] == ["ATT-6"]


def test_att_5__inspection_record__kept_month_evaluated_again(world):
    """ATT-5: an off-post record of more than the limit recorded after a read counts at the next read."""
    import_file(world, punch_lines(world["alice"]))
    assert month_of(world["alice"]).absence_days == 0.0
    services.record_off_post(staff=world["alice"], day=DAY, minutes=130, actor=world["office"].user)
    assert month_of(world["alice"]).absence_days == 0.5


def test_att_8__leave_decision__kept_month_evaluated_again(world):
    """ATT-8 / LEAVE-1: a pending leave excuses nothing; once the centre approves it, its morning is excused."""
    import_file(world, punch_lines(world["alice"], skip={DAY}))
    leave = leave_services.apply_for_leave(
        staff=world["alice"],
        kind="personal",
        start_date=DAY,
        end_date=DAY,
        end_half="am",
        calendar=CALENDAR,
        now=BEFORE,
    )
    before = month_of(world["alice"])
    assert before.absence_days == 1.0
    assert before.leave_days == {}
    while (step := leave.steps.filter(status=LeaveStep.Status.PENDING).first()) is not None:
        leave_services.approve_leave_step(
            step_id=step.pk, approver=world["office"], signer_name="签批人", calendar=CALENDAR, now=BEFORE
        )
    after = month_of(world["alice"])
    assert after.absence_days == 0.5  # the afternoon still has no punch
    assert after.leave_days == {"personal": 0.5}


def test_att_3__policy_publish__kept_month_evaluated_again(world):
    """ATT-3: a late of 15 minutes is no longer late once a policy allowing 20 minutes is published."""
    import_file(world, punch_lines(world["alice"], late={DAY}))
    assert month_of(world["alice"]).lates == 1
    publish_policy_version(
        centre=world["centre"],
        source="extends: yuanzhou-p2\nversion: lenient\nattendance:\n  late_after_minutes: 20\n",
        effective_from=date(2026, 1, 1),
        actor=world["office"].user,
    )
    after = month_of(world["alice"])
    assert after.lates == 0
    assert after.events == ()


def test_running_month__a_new_day__evaluated_again(world):
    """The running month is judged up to yesterday: a kept result of an earlier day is not reused."""
    import_file(world, punch_lines(world["alice"], skip={date(2026, 3, 13)}))
    staff = world["alice"]
    on_13th = selectors.evaluate_staff_month(centre_id=staff.centre_id, staff=[staff], month=MONTH, today=DAY)
    assert on_13th.rows[0][1].absence_days == 0.0
    on_14th = selectors.evaluate_staff_month(
        centre_id=staff.centre_id, staff=[staff], month=MONTH, today=date(2026, 3, 14)
    )
    assert on_14th.rows[0][1].absence_days == 1.0


# -- query counts: pages read kept results with a fixed number of queries ----------------------------------


def _centre_with(n: int):
    centre = CentreFactory()
    unit = UnitFactory(centre=centre, name="税务")
    office = StaffFactory(centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True)
    people = [StaffFactory(centre=centre, unit=unit, staff_no=f"S{i:03d}") for i in range(n)]
    rows = []
    for s in people:
        for d in (2, 3, 4):
            day = date(2026, 3, d)
            rows += [
                Punch(centre=centre, staff=s, at=timezone.make_aware(datetime.combine(day, t)))
                for t in (time(8, 41), time(12, 2), time(14, 20), time(18, 1))
            ]
    Punch.objects.bulk_create(rows)
    return office


PAGES = [
    ("attendance:centre_month", {"month": MONTH}),
    ("attendance:weekly", {"week": "2026-03-02"}),
    ("attendance:month_xlsx", {"month": MONTH}),
]


def _queries(client, office, view: str, params: dict[str, str]) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office.user)
    url = reverse(view)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url, params).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url, params).status_code == 200
    return len(cold), len(warm)


@pytest.mark.parametrize(("view", "params"), PAGES, ids=[v for v, _ in PAGES])
def test_att_10__report_pages__same_queries_for_4_and_40_staff(client, view, params):
    """ATT-10 reports (month page, weekly notice, Excel summary): as many queries for 40 staff as for 4,
    both when the month is first evaluated and kept and when the kept results are read back."""
    small = _queries(client, _centre_with(4), view, params)
    forget_calendar()
    large = _queries(client, _centre_with(40), view, params)
    assert small == large
    assert large[1] < large[0]  # reading back needs fewer queries than evaluating and keeping

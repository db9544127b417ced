"""Study roll-call and meetings (集中学习点名, 例会), ATT-11 (002 篇1 §九.2–§九.3, 篇6 §13 §28)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.attendance import selectors as attendance
from servicehall.attendance.models import OffPostRecord, Punch
from servicehall.core.errors import Forbidden, RuleViolation
from servicehall.leave.models import LeaveRequest
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory
from servicehall.study.models import RollCall, Session
from servicehall.study.selectors import study_attendance, training_by_quarter
from servicehall.study.services import plan_session, take_roll_call

pytestmark = pytest.mark.django_db
TUESDAY = date(2026, 3, 10)


@pytest.fixture
def world():
    centre = CentreFactory()
    unit = UnitFactory(centre=centre, name="税务")
    return {
        "centre": centre,
        "alice": StaffFactory(centre=centre, unit=unit, with_user=True, staff_no="A1", name="王芳"),
        "bob": StaffFactory(centre=centre, unit=unit, with_user=True, staff_no="A2", name="李强"),
        "chief": StaffFactory(
            centre=centre, unit=unit, role=Staff.Role.CHIEF_REP, with_user=True, staff_no="A0"
        ),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }


def punch_march(*people: Staff) -> None:
    rows = []
    for person in people:
        for d in range(1, 32):
            day = date(2026, 3, d)
            if day.weekday() >= 5:
                continue
            for t in (time(8, 20), time(12, 2), time(14, 20), time(18, 1)):
                rows.append(
                    Punch(
                        centre=person.centre, staff=person, at=timezone.make_aware(datetime.combine(day, t))
                    )
                )
    Punch.objects.bulk_create(rows)


def session(world, kind: str, hour: int = 16) -> Session:
    starts = timezone.make_aware(datetime.combine(TUESDAY, time(hour, 0)))
    return plan_session(
        actor=world["office"].user, centre=world["centre"], kind=kind, starts_at=starts, topic="政策法规学习"
    )


def month_of(world, person: Staff):
    report = attendance.evaluate_staff_month(
        centre_id=world["centre"].pk, staff=[person], month="2026-03", today=date(2026, 4, 1)
    )
    return report.rows[0][1]


def test_att_11__missed_study_session_without_leave__half_a_day_of_absence(world):
    """ATT-11: 无故不参加学习的，按旷工半天处理 — the absence reaches the month's attendance (county preset)."""
    punch_march(world["alice"], world["bob"])
    study = session(world, Session.Kind.STUDY)
    take_roll_call(
        actor=world["office"].user, session_id=study.pk, present={world["bob"].pk, world["chief"].pk}
    )
    assert RollCall.objects.get(staff=world["alice"]).status == RollCall.Status.ABSENT
    alice, bob = month_of(world, world["alice"]), month_of(world, world["bob"])
    assert alice.absence_days == 0.5
    assert [e.rule for e in alice.events] == ["ATT-11"]
    assert bob.absence_days == 0


def test_att_11__missed_tuesday_meeting__recorded_without_absence_in_the_county_preset(world):
    """ATT-11: the Tuesday meeting (例会) is recorded with attendance; the seeds set no penalty."""
    punch_march(world["alice"])
    meeting = session(world, Session.Kind.WEEKLY_MEETING, hour=8)
    take_roll_call(actor=world["office"].user, session_id=meeting.pk, present={world["bob"].pk})
    line = RollCall.objects.get(staff=world["alice"], session=meeting)
    assert line.status == RollCall.Status.ABSENT
    assert line.attendance_record.kind == OffPostRecord.Kind.MEETING_MISSED
    assert month_of(world, world["alice"]).absence_days == 0


def test_att_11__chief_reps_meeting__expects_only_chief_reps(world):
    meeting = session(world, Session.Kind.CHIEF_MEETING)
    lines = take_roll_call(actor=world["office"].user, session_id=meeting.pk, present=set())
    assert [line.staff for line in lines] == [world["chief"]]


def test_att_11__study_missed_with_approved_leave__on_leave_and_no_absence(world):
    """ATT-11: leave for a session goes through the leave module; an approved leave excuses it."""
    punch_march(world["alice"])
    LeaveRequest.objects.create(
        centre=world["centre"],
        staff=world["alice"],
        kind="personal",
        start_date=TUESDAY,
        start_half="pm",
        end_date=TUESDAY,
        end_half="pm",
        days=Decimal("0.5"),
        status=LeaveRequest.Status.APPROVED,
        policy_ref="yuanzhou-p2@2026.1",
        filed_at=timezone.make_aware(datetime(2026, 3, 9, 9, 0)),
    )
    study = session(world, Session.Kind.STUDY)
    take_roll_call(actor=world["office"].user, session_id=study.pk, present=set())
    assert RollCall.objects.get(staff=world["alice"]).status == RollCall.Status.ON_LEAVE
    assert not OffPostRecord.objects.filter(staff=world["alice"]).exists()
    assert RollCall.objects.get(staff=world["bob"]).status == RollCall.Status.ABSENT


def test_att_11__roll_call_once__second_refused(world):
    study = session(world, Session.Kind.STUDY)
    take_roll_call(actor=world["office"].user, session_id=study.pk, present=set())
    with pytest.raises(RuleViolation):
        take_roll_call(actor=world["office"].user, session_id=study.pk, present=set())
    assert OffPostRecord.objects.count() == 3


def test_att_11__window_staff_cannot_take_the_roll(world):
    study = session(world, Session.Kind.STUDY)
    with pytest.raises(Forbidden):
        take_roll_call(actor=world["alice"].user, session_id=study.pk, present=set())


def test_att_11__study_attendance_and_quarterly_training_tracked(world):
    """ATT-11: study attendance per person feeds the assessment; training per quarter (篇6 §28)."""
    study = session(world, Session.Kind.STUDY)
    take_roll_call(actor=world["office"].user, session_id=study.pk, present={world["bob"].pk})
    stats = study_attendance(
        staff_ids=[world["alice"].pk, world["bob"].pk], start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert (stats[world["alice"].pk].missed, stats[world["bob"].pk].rate) == (1, 1.0)
    session(world, Session.Kind.TRAINING)
    assert training_by_quarter(centre_id=world["centre"].pk, year=2026) == {1: 1, 2: 0, 3: 0, 4: 0}


def test_att_11__roll_call_page__office_marks_present(world, client):
    study = session(world, Session.Kind.STUDY)
    client.force_login(world["office"].user)
    page = client.get(reverse("study:detail", args=[study.pk])).content.decode()
    assert "完成点名" in page
    client.post(reverse("study:detail", args=[study.pk]), {"present": [world["alice"].pk]})
    assert RollCall.objects.get(staff=world["alice"]).status == RollCall.Status.PRESENT
    assert "第1季度" in client.get(reverse("study:sessions")).content.decode()

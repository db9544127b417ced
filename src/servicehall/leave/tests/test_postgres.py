"""Racing approvers on PostgreSQL (SQLite ignores row locks): exactly one decision wins (LEAVE-1)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from servicehall.core.errors import DomainError
from servicehall.leave import services
from servicehall.leave.models import LeaveRequest
from servicehall.leave.tests.factories import BEFORE, CALENDAR, make_people, preset
from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
P2 = preset("yuanzhou-p2")


def test_leave_1__two_centre_admins_race__one_decision_wins():
    from datetime import date

    people = make_people()
    second_admin = StaffFactory(unit=None, centre=people["admin"].centre, role=Staff.Role.CENTRE_ADMIN)
    leave = services.apply_for_leave(
        staff=people["clerk"],
        kind="personal",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 2),
        end_half="am",
        policy=P2,
        calendar=CALENDAR,
        now=BEFORE,
    )
    step_id = leave.steps.get().pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(approver, approve):
        barrier.wait()
        try:
            if approve:
                services.approve_leave_step(step_id=step_id, approver=approver, policy=P2, calendar=CALENDAR)
            else:
                services.reject_leave_step(step_id=step_id, approver=approver, note="不同意")
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(people["admin"], True)),
        threading.Thread(target=decide, args=(second_admin, False)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["StepNotPending", "ok"]
    assert LeaveRequest.objects.get().status in {LeaveRequest.Status.APPROVED, LeaveRequest.Status.REJECTED}

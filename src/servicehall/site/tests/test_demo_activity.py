"""The demo centre's activity: cases in every state, today's queue, leave and punches, built once per module."""

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from servicehall.org.models import Centre, Staff
from servicehall.site.demo import build_demo
from servicehall.site.demo_activity import anchor_day, demo_calendar, next_working_day, working_days_before
from servicehall.workdays.calendar import DayKind, WorkCalendar


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One build for the whole module, rolled back at the end (tests run in savepoints inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo()
        yield Centre.objects.get(code="demo-county")
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    from servicehall.attendance.models import Punch, PunchImport
    from servicehall.cases.models import Case, CaseEvent, Inquiry
    from servicehall.core.models import AuditEntry
    from servicehall.leave.models import LeaveRequest
    from servicehall.queue.models import QueueEvent, Ticket

    models = (Case, CaseEvent, Inquiry, Ticket, QueueEvent, LeaveRequest, Punch, PunchImport)
    counts = {m.__name__: m.objects.count() for m in models}
    # The catalogue import logs each run (catalog.items.import); every other write must not repeat.
    counts["audit"] = AuditEntry.objects.exclude(verb="catalog.items.import").count()
    return counts


# -- dates (no database) ---------------------------------------------------------------------------------


def test_demo_anchor__today_in_a_loaded_year__is_today():
    calendar = WorkCalendar({date(2026, 1, 1): DayKind.HOLIDAY})
    assert anchor_day(calendar, today=date(2026, 6, 3)) == date(2026, 6, 3)


def test_demo_anchor__today_after_the_loaded_years__last_working_day_of_the_last_year():
    calendar = WorkCalendar({date(2026, 12, 31): DayKind.HOLIDAY, date(2026, 12, 30): DayKind.WORKDAY})
    assert anchor_day(calendar, today=date(2028, 3, 1)) == date(2026, 12, 30)


def test_demo_working_days__stop_at_an_unloaded_year():
    calendar = WorkCalendar({date(2026, 1, 1): DayKind.HOLIDAY})
    days = working_days_before(calendar, date(2026, 1, 7), 10)
    assert days == [date(2026, 1, 6), date(2026, 1, 5), date(2026, 1, 2)]


# -- the built demo --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_cases__every_state_a_supervisor_looks_at(demo):
    from servicehall.cases.enums import CaseStatus
    from servicehall.cases.models import Case
    from servicehall.cases.selectors import overdue_cases

    cases = Case.objects.filter(centre=demo)
    by_status = Counter(cases.values_list("status", flat=True))
    assert 35 <= cases.count() <= 45
    assert by_status[CaseStatus.IN_PROGRESS] >= 5
    assert by_status[CaseStatus.ACCEPTED] >= 1
    assert by_status[CaseStatus.DELIVERED] >= 5
    assert by_status[CaseStatus.DONE] >= 1
    assert by_status[CaseStatus.REFUSED] == 1
    assert by_status[CaseStatus.REPORTED] == 1
    assert 2 <= overdue_cases(centre_id=demo.pk).count() <= 3  # CASE-6
    # CASE-2: the cases waiting for 补正 each hold a one-time notice listing what is missing
    waiting = cases.filter(status=CaseStatus.CORRECTION)
    assert waiting.count() >= 1
    assert all(c.notices.filter(lines__isnull=False).exists() for c in waiting)
    # CASE-7: the refusal was reported, acknowledged by the centre and then issued
    report = cases.get(status=CaseStatus.REFUSED).refusal_reports.get()
    assert report.acknowledged_at is not None
    assert report.issued_at >= report.acknowledged_at
    # CAT-2: the 联办件 runs two unit steps in parallel, one of them done
    joint = cases.get(case_type="joint")
    assert joint.steps.count() == 2
    assert joint.steps.filter(done_at__isnull=False).count() == 1
    assert cases.filter(urgent=True).count() == 1  # CASE-11


@pytest.mark.django_db
def test_demo_inquiries__answered_referred_and_one_promise_overdue(demo):
    from servicehall.cases.models import Inquiry

    inquiries = Inquiry.objects.filter(centre=demo)
    outcomes = Counter(inquiries.values_list("outcome", flat=True))
    assert outcomes["answered"] >= 3
    assert outcomes["referred"] >= 1
    assert outcomes["promised"] >= 2
    assert all(i.referred_location for i in inquiries.filter(outcome="referred"))  # ASK-1
    overdue = inquiries.filter(replied_at__isnull=True, promised_by__lt=timezone.now())
    assert overdue.count() == 1  # ASK-2


@pytest.mark.django_db
def test_demo_queue__q_1_display_shows_waiting_and_called_numbers(demo, client):
    from servicehall.queue.models import Ticket
    from servicehall.queue.selectors import display_snapshot

    anchor = anchor_day(demo_calendar())
    if anchor == timezone.localdate():
        snapshot = client.get("/api/queue/display/demo-county/snapshot").json()
    else:  # today is outside the loaded calendar: the demo's day is the last known working day
        snapshot = display_snapshot(centre=demo, now=timezone.make_aware(datetime.combine(anchor, time(17))))
    assert snapshot["waiting_total"] >= 5
    assert sum(1 for line in snapshot["lines"] if line["waiting"]) >= 3
    assert snapshot["calls"]
    tickets = Ticket.objects.filter(centre=demo, day=anchor)
    assert tickets.filter(status=Ticket.Status.FINISHED).count() >= 5
    assert tickets.exclude(priority="").count() == 1  # one confirmed priority ticket


@pytest.mark.django_db
def test_demo_leave__pending_at_centre__covered__and_chief_rep(demo):
    from servicehall.leave.models import LeaveRequest, LeaveStep

    leaves = LeaveRequest.objects.filter(centre=demo)
    calendar = demo_calendar()
    if next_working_day(calendar, anchor_day(calendar)) is not None:  # it is filed for the next working day
        pending = leaves.get(status=LeaveRequest.Status.PENDING)
        assert pending.steps.get(status=LeaveStep.Status.PENDING).approver_role == "centre"  # LEAVE-1
    approved = leaves.filter(status=LeaveRequest.Status.APPROVED)
    assert approved.count() == 2
    assert all(lv.covers.filter(checked_in_at__isnull=False).exists() for lv in approved)  # LEAVE-5
    assert approved.filter(staff__role=Staff.Role.CHIEF_REP).exists()


@pytest.mark.django_db
def test_demo_attendance__att_2_last_month_has_results_with_evidence(demo):
    from servicehall.attendance.selectors import month_report
    from servicehall.leave.models import LeaveRequest

    anchor = anchor_day(demo_calendar())
    last_month = (anchor.replace(day=1) - timedelta(days=1)).replace(day=1)
    office = Staff.objects.get(centre=demo, staff_no="O0001")
    report = month_report(viewer=office, month=last_month)
    assert len(report.rows) == 80
    results = [r for _, r in report.rows]
    with_events = [r for r in results if r.events]
    assert with_events  # some lates and missed punches ...
    assert len(with_events) < len(results)  # ... but mostly on time
    assert sum(r.lates for r in results) >= 5
    assert sum(r.missed_punches for r in results) >= 1
    assert sum(r.absence_days for r in results) <= 5  # realistic: absences are rare
    covered = LeaveRequest.objects.filter(centre=demo, status="approved").first()
    if covered.start_date >= last_month:  # ATT-8: the approved leave shows as leave, not as absence
        leaver = {s.pk: r for s, r in report.rows}[covered.staff_id]
        assert leaver.leave_days.get("personal", 0) >= 1


@pytest.mark.django_db
def test_demo__second_build_adds_nothing(demo):
    before = _counts()
    build_demo()
    assert _counts() == before


@pytest.mark.django_db
def test_demo__every_page_in_each_roles_menu_renders_with_the_activity(demo, client):
    from django.urls import NoReverseMatch, reverse

    from servicehall.site.demo import DEMO_PASSWORD
    from servicehall.site.navigation import all_entries

    broken, visited = [], 0
    for username in ("office", "supervisor", "chief", "staff", "auditor"):
        assert client.login(username=username, password=DEMO_PASSWORD)
        role = Staff.objects.get(user__username=username).role
        for _group, _label, name, roles in all_entries():
            if roles and role not in roles:
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            status = client.get(url).status_code
            visited += 1
            if status >= 500:
                broken.append((username, url, status))
        client.logout()
    assert visited >= 30
    assert not broken

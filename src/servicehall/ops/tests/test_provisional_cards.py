"""Supervision cards counted from a provisional due date (暂定办结期限, CASE-5, SUP-1): a case accepted on
28 December 2026 with a 5-working-day limit runs into 2027, whose calendar is not loaded. Its cards are
scheduled and raised all the same, marked provisional (暂定) for staff, and recounted with the case when
the year's notice is loaded (1–4 January 2027 off in the test notice)."""

from __future__ import annotations

from datetime import date

import pytest

from servicehall.cases import services as cases
from servicehall.cases.tests.factories import Hall, local
from servicehall.core.models import AuditEntry
from servicehall.ops.rollover import load_notice_and_recount
from servicehall.ops.tests.test_rollover import TEST_NOTICE_2027, _december_2026  # noqa: F401 (autouse: now is 2026-12-28)
from servicehall.org.models import Staff
from servicehall.org.tests.factories import UserFactory
from servicehall.supervision.jobs import run_sweep
from servicehall.supervision.models import Card, CardSchedule, CardStatus
from servicehall.workdays.notice import parse_notice

pytestmark = pytest.mark.django_db


def _accepted(hall: Hall):
    case = cases.register_case(
        actor=hall.staff,
        item=hall.item,
        applicant_name="张三",
        window=hall.window,
        at=local(2026, 12, 28, 10),
    )
    return cases.accept_case(case_id=case.pk, actor=hall.staff, at=local(2026, 12, 28, 10))


def _schedules(case) -> dict[str, CardSchedule]:
    return {s.colour: s for s in CardSchedule.objects.filter(case=case, trigger="deadline")}


def test_case_5__cards_of_a_provisional_due_date_are_scheduled_and_marked_provisional():
    hall = Hall(promised_days=5)
    case = _accepted(hall)
    assert (case.due_on, case.due_provisional) == (date(2027, 1, 5), True)
    run_sweep(at=local(2026, 12, 28, 11))
    rows = _schedules(case)
    # D = 2027-01-05 on weekdays only (1 January off); yellow one working day before, red the day after D
    assert rows["yellow"].due_at == local(2027, 1, 4, 0, 0)
    assert rows["red"].due_at == local(2027, 1, 6, 0, 0)
    assert all(r.provisional for r in rows.values())
    assert rows["red"].evidence["unloaded_years"] == [2027]


def test_sup_1__card_raised_from_a_provisional_date_is_provisional_and_shown_as_such(client):
    hall = Hall(promised_days=5)
    hall.office.role = Staff.Role.SUPERVISOR
    hall.office.save()
    case = _accepted(hall)
    assert run_sweep(at=local(2027, 1, 4, 0, 0))["issued"] == 1
    card = Card.objects.get(case=case)
    assert (card.colour, card.provisional, card.due_date) == ("yellow", True, date(2027, 1, 5))
    hall.office.user = UserFactory()
    hall.office.save(update_fields=["user"])
    client.force_login(hall.office.user)
    assert "暂定" in client.get(f"/supervision/cards/{card.pk}/").content.decode()
    assert "暂定" in client.get("/supervision/?day=2027-01-04").content.decode()


def test_case_5__notice_loaded__pending_cards_recounted_and_early_card_withdrawn_audited():
    hall = Hall(promised_days=5)
    case = _accepted(hall)
    run_sweep(at=local(2027, 1, 4, 0, 0))  # the provisional yellow card is raised on 4 January
    yellow = Card.objects.get(case=case)
    load_notice_and_recount(notice=parse_notice(TEST_NOTICE_2027), source_name="2027.txt")
    case.refresh_from_db()
    assert (case.due_on, case.due_provisional) == (date(2027, 1, 6), False)
    rows = _schedules(case)
    assert not any(r.provisional for r in rows.values())
    assert rows["red"].due_at == local(2027, 1, 7, 0, 0)  # 1–4 January off: D = 6 January
    assert rows["yellow"].due_at == local(2027, 1, 5, 0, 0)
    yellow.refresh_from_db()
    # raised on the 4th, due only on the 5th once the year is known: raised too early, withdrawn
    assert (yellow.provisional, yellow.status, yellow.due_date) == (
        False,
        CardStatus.WITHDRAWN,
        date(2027, 1, 6),
    )
    assert not yellow.counts
    audit = AuditEntry.objects.get(verb="supervision.card.recount", target_id=str(yellow.pk))
    assert audit.data["rule"] == "CASE-5"
    # the sweep does not raise the yellow card again, and raises the red one at its recounted instant
    assert run_sweep(at=local(2027, 1, 6, 23, 59))["issued"] == 0
    assert run_sweep(at=local(2027, 1, 7, 0, 0))["issued"] == 1
    red = Card.objects.get(case=case, colour="red")
    assert not red.provisional


def test_case_5__card_due_inside_loaded_year_is_not_provisional():
    hall = Hall(promised_days=2)
    case = _accepted(hall)  # 12-29, 12-30: all inside 2026
    run_sweep(at=local(2026, 12, 28, 11))
    assert case.due_provisional is False
    assert not any(r.provisional for r in _schedules(case).values())

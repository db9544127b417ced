"""Queue services on the default database (Q-1..Q-4, ORG-6, CASE-11)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.models import AuditEntry
from servicehall.org.models import Window
from servicehall.org.tests.factories import StaffFactory, UnitFactory
from servicehall.policy.loader import load_policy
from servicehall.queue import services
from servicehall.queue.config import using_policy
from servicehall.queue.models import Appointment, LineWindow, QueueEvent, Ticket
from servicehall.queue.selectors import people_ahead, queue_statistics

TZ = ZoneInfo("Asia/Shanghai")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
ELDER_ID = "11010519491231002X"  # born 1949-12-31


def at(minutes: float) -> datetime:
    return MON + timedelta(minutes=minutes)


def policy(**values):
    return load_policy("yuanzhou-p2").queue.model_copy(update=values)


def issue(hall, n=1, *, line=0, minute=0.0, **kw):
    return [
        services.issue_ticket(item_ids=[hall.items[line].pk], now=at(minute + i * 0.01), **kw)
        for i in range(n)
    ]


def test_q_1__numbers_count_up_per_line_with_prefix(hall):
    a = issue(hall, 3)
    b = issue(hall, 1, line=1)
    assert [t.number for t in a] == ["A001", "A002", "A003"]
    assert b[0].number == "B001"


def test_q_1__numbers_reset_next_day(hall):
    issue(hall, 2)
    nxt = services.issue_ticket(item_ids=[hall.items[0].pk], now=at(24 * 60))
    assert nxt.number == "A001"
    assert nxt.day == date(2026, 3, 3)


def test_q_1__without_daily_reset_numbers_keep_counting(hall):
    with using_policy(policy(daily_reset=False)):
        issue(hall, 2)
        assert services.issue_ticket(item_ids=[hall.items[0].pk], now=at(24 * 60)).number == "A003"


def test_q_1__ticket_tells_people_ahead_and_estimated_wait(hall):
    issue(hall, 4)
    t = issue(hall, 1, minute=1)[0]
    assert t.people_ahead_at_issue == 4
    # 2 idle windows serve 2 lines each (share 0.5), default 8 min, no times observed yet (cv 1):
    # calls at 0, 0, then one per 16 min per window; the 5th call's median is where 2 + t/8 = 4.5 -> 20.
    # With no times observed the mean is the default, so at 4 ahead the policy's rule weighs 0.95: the 2
    # people beyond the free windows x 8 min / 1 window-equivalent = 16 -> 0.05 * 20 + 0.95 * 16 = 16.2
    assert t.estimated_wait_minutes == pytest.approx(16.2, abs=0.01)


def test_q_4__remaining_time_of_a_running_service_enters_the_estimate(hall):
    from servicehall.queue.selectors import line_windows

    issue(hall, 1)
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(0))
    loads = line_windows(line_id=hall.lines[0].pk, now=at(3))
    assert [w.share for w in loads] == [0.5, 0.5]
    assert sorted(w.elapsed if w.elapsed is not None else -1.0 for w in loads) == [-1.0, pytest.approx(3.0)]
    # 2 ahead: with both windows idle the median would be where 2 + t/8 = 2.5 -> 4 min; one window is
    # busy with a service 3 minutes old, so it is longer
    waiting = issue(hall, 3, minute=3)[-1]
    assert waiting.people_ahead_at_issue == 2
    assert waiting.estimated_wait_minutes > 4


@pytest.mark.parametrize("group", ["", "green_channel"], ids=["ordinary", "priority"])
def test_q_4__wait_printed_at_issue_equals_the_live_estimate_right_after(hall, group):
    """Q-4: the slip's people ahead and wait, read before the number is taken (outside the write lock),
    equal the ticket's live estimate read right after — priority tickets overtaking included (Q-3)."""
    from servicehall.queue.selectors import ticket_wait

    issue(hall, 4)
    issue(hall, 1, minute=0.5, priority="green_channel", actor=hall.staff[0])
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(1))
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(7))  # one service observed
    issue(hall, 2, minute=8)
    ticket = issue(hall, 1, minute=9, priority=group, actor=hall.staff[0])[0]
    live = ticket_wait(ticket=ticket, now=at(9))
    assert ticket.people_ahead_at_issue == live.ahead
    assert ticket.estimated_wait_minutes == pytest.approx(live.minutes)


def test_q_4__live_ticket_reads_the_slow_inputs_once_per_few_seconds(
    hall, monkeypatch, django_assert_num_queries
):
    """Q-4: during a rush, a live ticket (issued now) reuses the line's open windows and recent service
    times read by the last one within LIVE_INPUTS_SECONDS; people ahead are always counted afresh, and a
    busy window's elapsed time is taken now."""
    from servicehall.queue import selectors

    clock = [1000.0]
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock[0])
    item = [hall.items[0].pk]
    first = services.issue_ticket(item_ids=item)
    # line and item, people ahead, then the write: number, ticket, its item, the event, inside a savepoint
    with django_assert_num_queries(8):
        second = services.issue_ticket(item_ids=item)
    assert second.people_ahead_at_issue == first.people_ahead_at_issue + 1
    # a window closes: the next ticket within the interval still sees it open ...
    Window.objects.filter(pk__in=[w.pk for w in hall.windows]).update(status=Window.Status.PAUSED)
    assert services.issue_ticket(item_ids=item).estimated_wait_minutes is not None
    # ... and once the interval has passed, no open window: no estimate
    clock[0] += selectors.LIVE_INPUTS_SECONDS
    assert services.issue_ticket(item_ids=item).estimated_wait_minutes is None
    # a ticket with a given time (an import, a test) always reads afresh
    Window.objects.filter(pk__in=[w.pk for w in hall.windows]).update(status=Window.Status.OPEN)
    assert services.issue_ticket(item_ids=item, now=timezone.now()).estimated_wait_minutes is not None


def test_q_1__items_of_different_lines_refused(hall):
    with pytest.raises(InputError) as err:
        services.issue_ticket(item_ids=[hall.items[0].pk, hall.items[1].pk], now=at(0))
    assert err.value.where == "item_ids"
    assert not Ticket.objects.exists()


def test_q_2__elderly_by_id_number_gets_priority_and_id_is_not_stored(hall):
    t = issue(hall, 1, id_number=ELDER_ID)[0]
    assert t.priority == "elderly"
    assert t.priority_basis == Ticket.Basis.ID_NUMBER
    assert ELDER_ID not in str(Ticket.objects.filter(pk=t.pk).values().first())


def test_q_2__under_70_by_id_number__refused_nothing_written(hall):
    with using_policy(policy(elderly_min_age=80)), pytest.raises(RuleViolation) as err:
        issue(hall, 1, id_number=ELDER_ID)
    assert err.value.rule_id == "Q-2"
    assert not Ticket.objects.exists()


def test_q_2__disabled_priority_from_kiosk_needs_staff(hall):
    with pytest.raises(RuleViolation) as err:
        issue(hall, 1, priority="disabled")
    assert err.value.rule_id == "Q-2"
    t = issue(hall, 1, priority="disabled", actor=hall.staff[0])[0]
    assert t.priority == "disabled"
    assert t.priority_confirmed_by == hall.staff[0]


def test_case_11__staff_puts_waiting_ticket_on_green_channel(hall):
    t = issue(hall, 3)[2]
    services.confirm_priority(ticket_id=t.pk, group="green_channel", actor=hall.staff[0])
    called = services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(5))
    assert called.pk == t.pk


def test_q_1__call_next_fifo_and_marks_window(hall):
    a1, _a2 = issue(hall, 2)
    t = services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(3))
    assert t.pk == a1.pk
    assert t.status == Ticket.Status.CALLED
    assert t.window == hall.windows[0]
    ev = QueueEvent.objects.filter(kind="call").last()
    assert ev.data["text"] == "请 A001 号到 1 号窗口办理"  # LANG-2 courtesy in the announcement


def test_q_1__call_next_closes_previous_as_finished(hall):
    a1, _ = issue(hall, 2)
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(3))
    services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(10))
    a1.refresh_from_db()
    assert a1.status == Ticket.Status.FINISHED
    assert a1.finished_at == at(10)


def test_q_1__empty_queue__call_next_returns_none(hall):
    assert services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(3)) is None


def test_q_3__starvation_cap__ordinary_ticket_served_after_n_priority_calls(hall):
    with using_policy(policy(starvation_cap=2)):
        normal = issue(hall, 1)[0]
        prio = issue(hall, 4, minute=1, priority="green_channel", actor=hall.staff[0])
        w = hall.windows[0].pk
        called = [services.call_next(window_id=w, actor=hall.staff[0], now=at(10 + i)) for i in range(4)]
    assert [t.pk for t in called] == [prio[0].pk, prio[1].pk, normal.pk, prio[2].pk]
    assert QueueEvent.objects.filter(kind="call", ticket=normal).get().data["cap_applied"] is True


def test_q_3__starvation_cap_3_default(hall):
    normal = issue(hall, 1)[0]
    issue(hall, 5, minute=1, id_number=ELDER_ID)
    w = hall.windows[0].pk
    called = [services.call_next(window_id=w, actor=hall.staff[0], now=at(10 + i)) for i in range(4)]
    assert [t.is_priority for t in called] == [True, True, True, False]
    assert called[3].pk == normal.pk


def test_q_1__recall_counts_and_announces_again(hall):
    issue(hall, 1)
    w = hall.windows[0].pk
    services.call_next(window_id=w, actor=hall.staff[0], now=at(1))
    t = services.recall(window_id=w, actor=hall.staff[0])
    assert t.recall_count == 1
    assert QueueEvent.objects.filter(kind="recall", ticket=t).count() == 1


def test_q_1__skip_returns_once_then_no_show(hall):
    t1, t2 = issue(hall, 2)
    w = hall.windows[0].pk
    services.call_next(window_id=w, actor=hall.staff[0], now=at(1))
    s = services.skip(window_id=w, actor=hall.staff[0], now=at(2))
    assert s.status == Ticket.Status.WAITING
    assert s.skip_count == 1
    assert s.queued_at == at(2)
    assert services.call_next(window_id=w, actor=hall.staff[0], now=at(3)).pk == t2.pk
    assert services.call_next(window_id=w, actor=hall.staff[0], now=at(4)).pk == t1.pk
    s = services.skip(window_id=w, actor=hall.staff[0], now=at(5))
    assert s.status == Ticket.Status.NO_SHOW
    assert services.call_next(window_id=w, actor=hall.staff[0], now=at(6)) is None


def test_q_1__transfer_keeps_original_time(hall):
    a1 = issue(hall, 1)[0]
    b = issue(hall, 2, line=1, minute=1)
    w1, w2 = hall.windows
    services.call_next(window_id=w1.pk, actor=hall.staff[0], now=at(2))
    moved = services.transfer(window_id=w1.pk, actor=hall.staff[0], to_line_id=hall.lines[1].pk, now=at(3))
    assert moved.line == hall.lines[1]
    assert moved.number == "A001"
    assert moved.queued_at == at(0)
    assert people_ahead(ticket=moved) == 0
    assert services.call_next(window_id=w2.pk, actor=hall.staff[1], now=at(4)).pk == a1.pk
    assert b[0].status == Ticket.Status.WAITING


def test_ask_1__transfer_to_window_names_its_location(hall):
    issue(hall, 1)
    w1, w2 = hall.windows
    Window.objects.filter(pk=w2.pk).update(floor="2楼", location="东区")
    services.call_next(window_id=w1.pk, actor=hall.staff[0], now=at(1))
    t = services.transfer(window_id=w1.pk, actor=hall.staff[0], to_window_id=w2.pk, now=at(2))
    assert t.target_window_id == w2.pk
    ev = QueueEvent.objects.get(kind="transfer")
    assert ev.data["where"] == "2号窗口（2楼 东区）"
    # only the target window may call it
    assert services.call_next(window_id=w1.pk, actor=hall.staff[0], now=at(3)) is None
    assert services.call_next(window_id=w2.pk, actor=hall.staff[1], now=at(3)).pk == t.pk


def test_q_1__finish_links_case_and_prompts_rating(hall):
    issue(hall, 1)
    w = hall.windows[0].pk
    services.call_next(window_id=w, actor=hall.staff[0], now=at(1))
    t = services.finish(window_id=w, actor=hall.staff[0], now=at(9))
    assert t.status == Ticket.Status.FINISHED
    assert t.finished_at == at(9)
    ev = QueueEvent.objects.get(kind="finish")
    assert ev.data["rating_prompt"] is True
    assert ev.data["staff_id"] == hall.staff[0].pk


def test_q_1__finish_without_ticket_in_hand__refused(hall):
    with pytest.raises(RuleViolation) as err:
        services.finish(window_id=hall.windows[0].pk, actor=hall.staff[0])
    assert err.value.rule_id == "Q-1"


def test_org_6__pause_needs_message_redirect_or_resume_time(hall):
    w1, w2 = hall.windows
    with pytest.raises(RuleViolation) as err:
        services.pause_window(window_id=w1.pk, actor=hall.staff[0])
    assert err.value.rule_id == "ORG-6"
    services.pause_window(window_id=w1.pk, actor=hall.staff[0], redirect_window_id=w2.pk)
    w1.refresh_from_db()
    assert w1.status == Window.Status.PAUSED
    assert QueueEvent.objects.get(kind="pause").data["sign"] == "1号窗口暂停服务，请到2号窗口办理"
    assert AuditEntry.objects.filter(verb="org.window.pause").exists()


def test_org_6__paused_window_cannot_call(hall):
    issue(hall, 1)
    w1 = hall.windows[0]
    services.pause_window(
        window_id=w1.pk,
        actor=hall.staff[0],
        message="临时离岗",
        resume_at=timezone.now() + timedelta(minutes=10),
    )
    with pytest.raises(RuleViolation) as err:
        services.call_next(window_id=w1.pk, actor=hall.staff[0], now=at(1))
    assert err.value.rule_id == "ORG-6"
    services.resume_window(window_id=w1.pk, actor=hall.staff[0])
    assert services.call_next(window_id=w1.pk, actor=hall.staff[0], now=at(2)) is not None


def test_q_1__staff_of_other_unit_cannot_operate_window(hall):
    other = StaffFactory(unit=UnitFactory(centre=hall.centre))
    with pytest.raises(Forbidden):
        services.call_next(window_id=hall.windows[0].pk, actor=other)


def test_q_1__window_serves_first_order_line_first(hall):
    w = hall.windows[0]
    LineWindow.objects.filter(window=w, line=hall.lines[0]).update(order=2)
    issue(hall, 1, line=0)
    b = issue(hall, 1, line=1, minute=5)[0]
    assert services.call_next(window_id=w.pk, actor=hall.staff[0], now=at(6)).pk == b.pk


# -- appointments (Q-2) ----------------------------------------------------------------------


_PHONES = itertools.count(13800000001)


def book(hall, day=date(2026, 3, 2), start=time(10, 0), now=MON, phone: str | None = None):
    return services.book_appointment(
        line_id=hall.lines[0].pk,
        day=day,
        slot_start=start,
        name="张三",
        phone=phone or str(next(_PHONES)),
        now=now,
    )


def test_q_2__one_phone_cannot_book_more_than_policy_slots_a_day(hall):
    """One phone booked all 56 slots of a day when the demo was attacked (Q-2 appointments_per_phone_per_day)."""
    with using_policy(policy(appointments_per_phone_per_day=2)):
        book(hall, start=time(9, 0), phone="13912345678")
        book(hall, start=time(10, 0), phone="139 1234 5678")  # the same number, written differently
        with pytest.raises(RuleViolation) as err:
            book(hall, start=time(11, 0), phone="+8613912345678")
        book(hall, day=date(2026, 3, 3), phone="13912345678")  # another day is fine
    assert err.value.rule_id == "Q-2"
    assert Appointment.objects.filter(day=date(2026, 3, 2)).count() == 2


@pytest.mark.parametrize("phone", ["12", "0571-87654321", "abc"])
def test_q_2__booking_needs_a_mobile_phone(hall, phone):
    with pytest.raises(InputError):
        book(hall, phone=phone)
    assert not Appointment.objects.exists()


def test_q_2__slot_capacity_from_policy(hall):
    with using_policy(policy(appointment_slot_capacity=2)):
        book(hall)
        book(hall)
        with pytest.raises(RuleViolation) as err:
            book(hall)
    assert err.value.rule_id == "Q-2"
    assert Appointment.objects.count() == 2


def test_q_2__weekend_appointment_allowed_by_policy(hall):
    sat = date(2026, 3, 7)
    assert book(hall, day=sat).day == sat
    with using_policy(policy(weekend_appointments=False)), pytest.raises(RuleViolation):
        book(hall, day=sat)


def test_q_2__slot_not_on_the_grid__refused(hall):
    with pytest.raises(InputError) as err:
        book(hall, start=time(10, 10))
    assert err.value.where == "slot_start"


def test_q_2__check_in_gives_priority_ticket(hall):
    appt = book(hall)
    issue(hall, 3)
    t = services.check_in(code=appt.code.lower(), now=MON.replace(hour=9, minute=45))
    assert t.priority == "appointment"
    assert t.priority_basis == Ticket.Basis.APPOINTMENT
    appt.refresh_from_db()
    assert appt.status == Appointment.Status.CHECKED_IN
    assert appt.ticket == t
    assert services.call_next(window_id=hall.windows[0].pk, actor=hall.staff[0], now=at(50)).pk == t.pk


def test_q_2__check_in_too_early_or_too_late__refused(hall):
    appt = book(hall)
    with pytest.raises(RuleViolation):
        services.check_in(code=appt.code, now=MON.replace(hour=9, minute=29))
    with pytest.raises(RuleViolation):
        services.check_in(code=appt.code, now=MON.replace(hour=10, minute=16))
    assert not Ticket.objects.exists()


def test_q_2__no_show_recorded_after_checkin_window(hall):
    appt = book(hall)
    assert services.record_no_shows(now=MON.replace(hour=10, minute=15)) == 0
    assert services.record_no_shows(now=MON.replace(hour=10, minute=16)) == 1
    appt.refresh_from_db()
    assert appt.status == Appointment.Status.NO_SHOW


# -- statistics ---------------------------------------------------------------------------------


def test_q_1__statistics_wait_service_no_show_abandoned(hall):
    _t1, _t2, _t3 = issue(hall, 3)
    w = hall.windows[0].pk
    services.call_next(window_id=w, actor=hall.staff[0], now=at(10))  # t1 waited 10
    services.finish(window_id=w, actor=hall.staff[0], now=at(16))  # served 6
    services.call_next(window_id=w, actor=hall.staff[0], now=at(20))  # t2 waited ~20
    services.finish(window_id=w, actor=hall.staff[0], now=at(24))  # served 4
    rows = queue_statistics(centre_id=hall.centre.pk, first=MON.date(), last=MON.date(), group_by="line",
                            today=date(2026, 3, 3))  # fmt: skip
    (row,) = rows
    assert row.key == "A"
    assert row.tickets == 3
    assert row.served == 2
    assert row.avg_wait == pytest.approx(15.0, abs=0.1)
    assert row.avg_service == pytest.approx(5.0)
    assert row.abandoned == 1  # t3 still waiting when the day ended
    by_staff = queue_statistics(centre_id=hall.centre.pk, first=MON.date(), last=MON.date(), group_by="staff")
    assert {r.key for r in by_staff} == {hall.staff[0].staff_no, "—"}

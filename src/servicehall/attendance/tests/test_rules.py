"""The attendance engine, rule by rule (no database). Defaults are the 篇2 county values."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicehall.attendance.rules import evaluate_month
from servicehall.policy.sections.attendance import AttendancePolicy
from servicehall.workdays.calendar import DayKind, WorkCalendar, YearNotLoaded

P2 = AttendancePolicy()  # 08:30–12:00 / 14:30–18:00
# March 2026 with two invented entries so the tests do not depend on a State Council notice:
# Monday 9 March is a holiday, Saturday 14 March a make-up workday (调休).
HOLIDAY = date(2026, 3, 9)
MAKEUP = date(2026, 3, 14)
CAL = WorkCalendar({HOLIDAY: DayKind.HOLIDAY, MAKEUP: DayKind.MAKEUP_WORKDAY}, years=[2026])
DAY = date(2026, 3, 12)  # a Thursday
NORMAL = (time(8, 20), time(12, 2), time(14, 21), time(18, 3))


def working_days(cal: WorkCalendar = CAL) -> list[date]:
    return cal.workdays_in(date(2026, 3, 1), date(2026, 3, 31))


def month_punches(overrides: dict[date, tuple[time, ...]] | None = None, sid: str = "S1", cal=CAL):
    """Four clean punches every working day, except the days in `overrides` (their punches instead)."""
    overrides = overrides or {}
    out = []
    for d in working_days(cal):
        for t in overrides.get(d, NORMAL):
            out.append((sid, datetime.combine(d, t)))
    return out


def run(overrides=None, *, policy=P2, leaves=(), off_post=(), cal=CAL, staff=None):
    [result] = evaluate_month(
        policy,
        cal,
        "2026-03",
        staff or [{"staff_id": "S1"}],
        month_punches(overrides, cal=cal),
        leaves,
        off_post,
    )
    return result


def on(day: date, *times: time) -> dict[date, tuple[time, ...]]:
    return {day: times}


def rules_of(result) -> list[str]:
    return [e.rule for e in result.events]


# -- a clean month ----------------------------------------------------------------------------------------


def test_att_1__clean_month__nothing_found():
    r = run()
    assert (r.lates, r.early_leaves, r.missed_punches, r.absence_days) == (0, 0, 0, 0.0)
    assert r.events == ()
    assert r.workdays == len(working_days()) == 22  # 22 weekdays − 1 holiday + 1 make-up day


# -- ATT-3 late / early leave edges -------------------------------------------------------------------------


def test_att_3__punch_at_0835_00__not_late():
    r = run(on(DAY, time(8, 35, 0), time(12, 0), time(14, 30), time(18, 0)))
    assert r.lates == 0
    assert r.events == ()


def test_att_3__punch_at_0835_01__late():
    r = run(on(DAY, time(8, 35, 1), time(12, 0), time(14, 30), time(18, 0)))
    assert r.lates == 1
    assert [(e.date, e.session, e.rule) for e in r.events] == [(DAY, "AM", "ATT-3")]


def test_att_3__late_event__reads_as_evidence():
    r = run(on(DAY, time(8, 41), time(12, 0), time(14, 30), time(18, 0)))
    assert str(r.events[0]) == "2026-03-12 AM: ATT-3 in-punch 08:41, 11 min late"
    assert r.as_dict()["events"][0] == {
        "date": "2026-03-12",
        "session": "AM",
        "rule": "ATT-3",
        "detail": "in-punch 08:41, 11 min late",
    }


def test_att_3__out_punch_at_1755_00__early_leave():
    r = run(on(DAY, time(8, 30), time(12, 0), time(14, 30), time(17, 55, 0)))
    assert r.early_leaves == 1
    assert str(r.events[0]) == "2026-03-12 PM: ATT-3 out-punch 17:55, 5 min early (early leave)"


def test_att_3__out_punch_at_1755_01__not_early():
    r = run(on(DAY, time(8, 30), time(12, 0), time(14, 30), time(17, 55, 1)))
    assert r.early_leaves == 0
    assert r.events == ()


def test_att_3__pm_session_late__counted_against_1430():
    r = run(on(DAY, time(8, 30), time(12, 0), time(14, 36), time(18, 0)))
    assert r.lates == 1
    assert r.events[0].session == "PM"


@given(a=st.integers(0, 6300), b=st.integers(0, 6300))  # up to 10:15, the midpoint to 12:00
@settings(max_examples=40, deadline=None)
def test_att_3__later_in_punch__never_less_late(a: int, b: int):
    def badness(seconds: int) -> tuple[int, float]:
        t = (datetime.combine(DAY, time(8, 30)) + timedelta(seconds=seconds)).time()
        r = run(on(DAY, t, time(12, 0), time(14, 30), time(18, 0)))
        return (r.lates + 2 * r.absence_days, r.absence_days)

    lo, hi = sorted((a, b))
    assert badness(lo) <= badness(hi)


@given(seconds=st.integers(-1800, 3 * 3600))
@settings(max_examples=60, deadline=None)
def test_att_3_att_5__in_punch_offset__classified_by_thresholds(seconds: int):
    t = (datetime.combine(DAY, time(8, 30)) + timedelta(seconds=seconds)).time()
    r = run(on(DAY, t, time(12, 0), time(14, 30), time(18, 0)))
    if seconds <= 300:
        assert (r.lates, r.absence_days) == (0, 0)
    elif seconds < 3600:
        assert (r.lates, r.absence_days) == (1, 0)
    elif seconds <= 3 * 3600 and t < time(10, 15):  # still nearest to the 08:30 in-point
        assert (r.lates, r.absence_days) == (0, 0.5)


# -- ATT-5 a late of an hour / off post -----------------------------------------------------------------------


def test_att_5__late_60_minutes__half_day_absence_not_a_late():
    r = run(on(DAY, time(9, 30), time(12, 0), time(14, 30), time(18, 0)))
    assert (r.lates, r.absence_days) == (0, 0.5)
    assert rules_of(r) == ["ATT-5"]
    assert "60 min late" in r.events[0].detail


def test_att_5__late_59_min_59_s__still_a_late():
    r = run(on(DAY, time(9, 29, 59), time(12, 0), time(14, 30), time(18, 0)))
    assert (r.lates, r.absence_days) == (1, 0)


def test_att_5__off_post_exactly_two_hours__not_absence_in_p2():
    r = run(off_post=[{"staff_id": "S1", "date": DAY, "minutes": 120, "note": "巡查"}])
    assert r.absence_days == 0


def test_att_5__off_post_over_two_hours_same_day__half_day_absence():
    recs = [
        {"staff_id": "S1", "date": DAY, "minutes": 70, "note": "上午巡查"},
        {"staff_id": "S1", "date": DAY.isoformat(), "minutes": 51, "note": "下午巡查"},
    ]
    r = run(off_post=recs)
    assert r.absence_days == 0.5
    assert rules_of(r) == ["ATT-5"]
    assert "121 min" in r.events[0].detail


def test_att_5__p1_threshold_one_hour__61_minutes_is_absence():
    p1 = AttendancePolicy(off_post_half_day_minutes=60)
    assert run(policy=p1, off_post=[{"staff_id": "S1", "date": DAY, "minutes": 60}]).absence_days == 0
    assert run(policy=p1, off_post=[{"staff_id": "S1", "date": DAY, "minutes": 61}]).absence_days == 0.5


# -- ATT-4 monthly cumulative ----------------------------------------------------------------------------------


def late_days(n: int) -> dict[date, tuple[time, ...]]:
    days = working_days()[:n]
    return {d: (time(8, 40), time(12, 0), time(14, 30), time(18, 0)) for d in days}


def test_att_4__three_lates__no_absence():
    r = run(late_days(3))
    assert (r.lates, r.absence_days) == (3, 0)


def test_att_4__four_lates__half_day_absence():
    r = run(late_days(4))
    assert (r.lates, r.absence_days) == (4, 0.5)
    [month] = [e for e in r.events if e.rule == "ATT-4"]
    assert month.date == working_days()[3]  # dated by the fourth late
    assert month.session is None


def test_att_4__lates_and_early_leaves__add_up():
    days = working_days()
    over = {
        days[0]: (time(8, 40), time(12, 0), time(14, 30), time(17, 50)),  # late + early
        days[1]: (time(8, 30), time(11, 50), time(14, 30), time(18, 0)),  # early
        days[2]: (time(8, 30), time(12, 0), time(14, 40), time(18, 0)),  # late
    }
    r = run(over)
    assert (r.lates, r.early_leaves, r.absence_days) == (2, 2, 0.5)


def test_att_4__eight_lates__once_a_month_by_default():
    assert run(late_days(8)).absence_days == 0.5


def test_att_4__eight_lates__every_group_option__one_day():
    r = run(late_days(8), policy=AttendancePolicy(cumulative_every_group=True))
    assert r.absence_days == 1.0
    assert rules_of(r).count("ATT-4") == 2


# -- ATT-6 / ATT-7 missed punches -----------------------------------------------------------------------------


def missed_outs(n: int) -> dict[date, tuple[time, ...]]:
    """n sessions missing their out-punch (AM then PM of consecutive days)."""
    out: dict[date, tuple[time, ...]] = {}
    for i, d in enumerate(working_days()):
        k = min(2, n - 2 * i)
        if k <= 0:
            break
        out[d] = (time(8, 30), time(14, 30)) if k == 2 else (time(8, 30), time(14, 30), time(18, 0))
    return out


@pytest.mark.parametrize(("missed", "absence"), [(3, 0.0), (4, 0.5), (7, 0.5), (8, 1.0)])
def test_att_6__missed_punch_table(missed: int, absence: float):
    r = run(missed_outs(missed))
    assert r.missed_punches == missed
    assert r.absence_days == absence


def test_att_6__missed_in_punch__counts_like_a_missed_out():
    r = run(on(DAY, time(12, 1), time(14, 30), time(18, 0)))
    assert r.missed_punches == 1
    assert r.events[0].detail == "missed in-punch (start 08:30)"


def test_att_7__strict_reading__single_punch_session_is_absence():
    strict = AttendancePolicy(single_punch_is_absence=True)
    r = run(on(DAY, time(8, 30), time(14, 30), time(18, 0)), policy=strict)
    assert (r.missed_punches, r.absence_days) == (0, 0.5)
    assert rules_of(r) == ["ATT-7"]


def test_att_7__off_by_default():
    assert AttendancePolicy().single_punch_is_absence is False


# -- ATT-8 absence, leave -------------------------------------------------------------------------------------


def test_att_8__no_punch_all_day__one_day_absence():
    r = run(on(DAY))
    assert r.absence_days == 1.0
    assert [(e.session, e.rule) for e in r.events] == [("AM", "ATT-8"), ("PM", "ATT-8")]


ISO_DAY = DAY.isoformat()


def leave(kind="personal", start=ISO_DAY, end=ISO_DAY, status="approved", certificate="no"):
    return {
        "staff_id": "S1",
        "kind": kind,
        "start": start,
        "end": end,
        "status": status,
        "certificate": certificate,
    }


def test_att_8__approved_leave__excuses_and_counts_leave_days():
    r = run(on(DAY), leaves=[leave()])
    assert r.absence_days == 0
    assert r.leave_days == {"personal": 1.0}


def test_att_8__pending_leave__excuses_nothing():
    r = run(on(DAY), leaves=[leave(status="pending")])
    assert r.absence_days == 1.0
    assert r.leave_days == {}
    assert "pending" in r.events[0].detail


def test_att_8__rejected_leave__excuses_nothing():
    assert run(on(DAY), leaves=[leave(status="rejected")]).absence_days == 1.0


def test_att_8__half_day_leave_am__pm_still_checked():
    lv = leave(start=f"{DAY}T08:00", end=f"{DAY}T12:30")
    r = run(on(DAY, time(14, 40), time(18, 0)), leaves=[lv])
    assert (r.lates, r.missed_punches, r.absence_days) == (1, 0, 0)
    assert r.leave_days == {"personal": 0.5}


def test_att_8__official_business__excuses_like_leave():
    r = run(on(DAY), leaves=[leave(kind="business")])
    assert r.absence_days == 0
    assert r.leave_days == {"business": 1.0}


def test_att_8__leave_approved_afterwards__re_evaluation_changes_the_month():
    before = run(on(DAY), leaves=[leave(status="pending")])
    after = run(on(DAY), leaves=[leave(status="approved")])  # LEAVE-6: completed afterwards
    assert (before.absence_days, after.absence_days) == (1.0, 0.0)


def test_leave_3__sick_two_days_without_certificate__counts_as_personal():
    nxt = DAY + timedelta(days=1)
    r = run({DAY: (), nxt: ()}, leaves=[leave(kind="sick", end=nxt.isoformat(), certificate="no")])
    assert r.absence_days == 0  # still excused
    assert r.leave_days == {"personal": 2.0}
    assert "LEAVE-3" in rules_of(r)


def test_leave_3__sick_two_days_with_certificate__stays_sick():
    nxt = DAY + timedelta(days=1)
    r = run({DAY: (), nxt: ()}, leaves=[leave(kind="sick", end=nxt.isoformat(), certificate="yes")])
    assert r.leave_days == {"sick": 2.0}


def test_leave_3__sick_one_day_without_certificate__stays_sick():
    assert run(on(DAY), leaves=[leave(kind="sick", certificate="no")]).leave_days == {"sick": 1.0}


# -- ATT-1 calendar -----------------------------------------------------------------------------------------------


def test_att_1__holiday__no_punch_is_not_absence():
    assert HOLIDAY not in working_days()
    r = run()  # month_punches() punches nothing on the holiday
    assert r.absence_days == 0


def test_att_1__holiday_punches__ignored():
    punches = [*month_punches(), ("S1", datetime.combine(HOLIDAY, time(9, 50)))]
    [r] = evaluate_month(P2, CAL, "2026-03", [{"staff_id": "S1"}], punches)
    assert r.events == ()


def test_att_1__makeup_workday__no_punch_is_absence():
    r = run({MAKEUP: ()})
    assert r.absence_days == 1.0
    assert {e.date for e in r.events} == {MAKEUP}


def test_att_1__weekday_override__one_session_on_fridays():
    pol = AttendancePolicy(weekday_sessions={"fri": [{"code": "AM", "start": "08:30", "end": "12:00"}]})
    fri = date(2026, 3, 13)
    r = run({fri: (time(8, 30), time(12, 0))}, policy=pol)
    assert r.absence_days == 0
    assert r.sessions == 2 * 22 - sum(1 for d in working_days() if d.weekday() == 4)


def test_att_1__year_not_loaded__refused():
    with pytest.raises(YearNotLoaded):
        evaluate_month(P2, CAL, "2027-03", None, [])


# -- ATT-2 punch points ----------------------------------------------------------------------------------------


def test_att_2__duplicate_reads__collapse_to_the_first():
    # 17:54:50 then 17:56:00: one burst, the first counts → early leave
    r = run(on(DAY, time(8, 30), time(12, 0), time(14, 30), time(17, 54, 50), time(17, 56)))
    assert r.early_leaves == 1


def test_att_2__nearest_point__midday_punches_split_at_1315():
    # 13:15:00 is exactly halfway between 12:00 and 14:30: it belongs to the earlier (AM out) point
    r = run(on(DAY, time(8, 30), time(13, 15), time(14, 20), time(18, 0)))
    assert r.events == ()
    r = run(on(DAY, time(8, 30), time(13, 15, 1), time(18, 0)))
    assert r.missed_punches == 1  # 13:15:01 is the PM in-punch; AM out is missing
    assert r.events[0].detail == "missed out-punch (end 12:00)"


def test_att_2__punch_window__far_punch_ignored():
    pol = AttendancePolicy(punch_window_minutes=60)
    r = run(on(DAY, time(10, 0), time(12, 0), time(14, 30), time(18, 0)), policy=pol)
    assert r.missed_punches == 1  # 10:00 is 90 min from 08:30: stray
    assert run(on(DAY, time(10, 0), time(12, 0), time(14, 30), time(18, 0))).absence_days == 0.5  # ATT-5


def test_att_2__first_in_and_last_out_count():
    r = run(on(DAY, time(8, 10), time(8, 40), time(11, 50), time(12, 10), time(14, 30), time(18, 0)))
    assert (r.lates, r.early_leaves) == (0, 0)


# -- ATT-11 weekly meeting ------------------------------------------------------------------------------------------


def test_att_11__missed_study_session__half_day_absence():
    """ATT-11: 无故不参加学习的，按旷工半天处理 (002 篇1 §九.3)."""
    r = run(off_post=[{"staff_id": "S1", "date": date(2026, 3, 10), "kind": "study_missed", "minutes": 0}])
    assert r.absence_days == 0.5
    assert rules_of(r) == ["ATT-11"]


def test_att_11__missed_tuesday_meeting__no_absence_in_the_county_preset():
    """ATT-11: the seeds set no penalty for the Tuesday meeting (例会) or the chief reps' meeting."""
    for kind in ("meeting_missed", "chief_meeting_missed"):
        r = run(off_post=[{"staff_id": "S1", "date": date(2026, 3, 10), "kind": kind, "minutes": 0}])
        assert r.absence_days == 0
        assert rules_of(r) == []


def test_att_11__centre_penalises_its_meeting__absence_from_its_policy():
    """ATT-11: a centre whose own rule penalises the meeting sets weekly_meeting.absence_days."""
    pol = P2.model_copy(update={"weekly_meeting": P2.weekly_meeting.model_copy(update={"absence_days": 0.5})})
    r = run(policy=pol, off_post=[{"staff_id": "S1", "date": date(2026, 3, 10), "kind": "meeting_missed"}])
    assert r.absence_days == 0.5


def test_att_11__study_disabled__nothing():
    pol = AttendancePolicy(study_sessions={"enabled": False})
    r = run(policy=pol, off_post=[{"staff_id": "S1", "date": date(2026, 3, 10), "kind": "study_missed"}])
    assert r.absence_days == 0


# -- shape and scale ---------------------------------------------------------------------------------------------------


def test_staff_active_from__days_before_joining__not_absent():
    [r] = evaluate_month(P2, CAL, "2026-03", [{"staff_id": "S1", "active_from": date(2026, 3, 16)}], [])
    assert r.absence_days == len([d for d in working_days() if d >= date(2026, 3, 16)])


def test_until__running_month__later_days_not_judged():
    [r] = evaluate_month(P2, CAL, "2026-03", [{"staff_id": "S1"}], [], until=date(2026, 3, 3))
    assert r.absence_days == 2.0


def test_staff_none__everyone_in_the_punches():
    res = evaluate_month(P2, CAL, "2026-03", None, month_punches(sid="B") + month_punches(sid="A"))
    assert [r.staff_id for r in res] == ["A", "B"]


def test_runner__forked_workers__same_results_as_one_process():
    """The runner's forked workers return what the engine returns alone (ATT-3 lates included)."""
    from servicehall.attendance import runner

    punches = []
    staff = []
    for i in range(6):
        sid = f"S{i}"
        staff.append({"staff_id": sid})
        punches += month_punches(on(DAY + timedelta(days=i % 2), time(8, 40 + i)), sid=sid)
    one = evaluate_month(P2, CAL, "2026-03", staff, punches)
    two = runner.evaluate_month(P2, CAL, "2026-03", staff, punches, workers=2, parallel_min_staff=2)
    three = runner.evaluate_month(P2, CAL, "2026-03", staff, punches, workers=3, parallel_min_staff=2)
    assert [r.as_dict() for r in one] == [r.as_dict() for r in two] == [r.as_dict() for r in three]
    assert [r.events for r in one] == [r.events for r in three]
    assert [r.lates for r in one] == [1, 1, 1, 1, 1, 1]


def test_runner__collector_state__restored_after_the_batch():
    import gc

    from servicehall.attendance import runner

    assert gc.isenabled()
    runner.evaluate_month(P2, CAL, "2026-03", [{"staff_id": "S1"}], month_punches())
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_result__has_no_truth_value():
    with pytest.raises(TypeError):
        bool(run())


def test_engine__pure_python__imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, servicehall.attendance.rules, servicehall.attendance.formats, "
        "servicehall.attendance.export, servicehall.attendance.sources; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_att_8__leave_bounds_with_offset__read_as_beijing_time():
    lv = leave(start="2026-03-12T00:30:00+00:00", end="2026-03-12T04:30:00+00:00")  # 08:30–12:30 in Beijing
    r = run(on(DAY, time(14, 30), time(18, 0)), leaves=[lv])
    assert (r.absence_days, r.leave_days) == (0, {"personal": 0.5})


@given(
    skipped=st.sets(st.integers(0, 21), max_size=6),
    leave_day=st.integers(0, 21),
    status=st.sampled_from(["approved", "pending", "rejected"]),
)
@settings(max_examples=30, deadline=None)
def test_att_8__a_leave__never_adds_absence_and_only_approved_removes_it(skipped, leave_day, status):
    days = working_days()
    over = {days[i]: () for i in skipped}
    without = run(over)
    day = days[leave_day].isoformat()
    with_leave = run(over, leaves=[leave(start=day, end=day, status=status)])
    assert with_leave.absence_days <= without.absence_days
    if status != "approved":
        assert with_leave.absence_days == without.absence_days

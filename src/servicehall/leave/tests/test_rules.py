"""Pure leave rules (no database): LEAVE-1..6 and ORG-3."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.core.errors import InputError, RuleViolation
from servicehall.leave import rules
from servicehall.leave.rules import AM, PM, LeaveSpan
from servicehall.policy.sections.leave import LeavePolicy
from servicehall.workdays.calendar import WorkCalendar

P2 = LeavePolicy()  # defaults = 篇2
CAL = WorkCalendar({date(2026, 4, 6): "holiday"}, years=[2026])
MON = date(2026, 3, 2)


def test_leave_1__span_half_days__counted_in_working_days():
    assert rules.leave_days(CAL, LeaveSpan(MON, MON, AM, AM)) == 0.5
    assert rules.leave_days(CAL, LeaveSpan(MON, MON, PM, PM)) == 0.5
    assert rules.leave_days(CAL, LeaveSpan(MON, date(2026, 3, 3), PM, AM)) == 1.0
    # Fri..Mon: the weekend does not count
    assert rules.leave_days(CAL, LeaveSpan(date(2026, 3, 6), date(2026, 3, 9))) == 2.0
    # Fri 3 April .. Tue 7 April: weekend and the Qingming holiday do not count
    assert rules.leave_days(CAL, LeaveSpan(date(2026, 4, 3), date(2026, 4, 7))) == 2.0


def test_leave_1__end_before_start__input_error():
    with pytest.raises(InputError):
        LeaveSpan(MON, MON, PM, AM)


@pytest.mark.parametrize(
    ("days", "approvers"),
    [
        (0.5, ["centre"]),
        (1, ["centre"]),
        (1.5, ["unit_leader", "centre"]),
        (3, ["unit_leader", "centre"]),
        (3.5, ["unit_leader", "county_office"]),
        (7, ["unit_leader", "county_office"]),
        (7.5, ["unit_principal_leader", "county_leader"]),
        (60, ["unit_principal_leader", "county_leader"]),
    ],
)
def test_leave_1__p2_tier_bounds_inclusive(days, approvers):
    assert rules.approval_chain(P2, days).approvers == approvers


def test_leave_1__over_7_days__needs_seal_and_written_explanation():
    chain = rules.approval_chain(P2, 8)
    assert chain.requires == ["seal", "written_explanation"]
    assert chain.files_with == ["centre"]


def test_leave_1__longer_than_last_bounded_tier__refused():
    policy = LeavePolicy(approval_tiers=[{"max_days": 1, "approvers": ["centre"]}])
    with pytest.raises(RuleViolation) as err:
        rules.approval_chain(policy, 2)
    assert err.value.rule_id == "LEAVE-1"


def test_leave_1__tiers_out_of_order__policy_error_cites_rule():
    with pytest.raises(ValueError, match="LEAVE-1: tiers must be in increasing max_days order"):
        LeavePolicy(
            approval_tiers=[
                {"max_days": 3, "approvers": ["centre"]},
                {"max_days": 1, "approvers": ["centre"]},
            ]
        )
    with pytest.raises(ValueError, match="LEAVE-1: only the last tier"):
        LeavePolicy(
            approval_tiers=[
                {"max_days": None, "approvers": ["centre"]},
                {"max_days": 9, "approvers": ["centre"]},
            ]
        )


def _quota(role, kind="personal", days=1.0, used_days=0.0, used_times=0, **kw):
    return rules.check_quota(
        P2, role=role, kind=kind, month=(2026, 3), days=days, used_days=used_days, used_times=used_times, **kw
    )


def test_leave_2__staff_third_time__allowed_fourth_time__refused():
    assert _quota("staff", days=0.5, used_days=1.0, used_times=2) == []
    found = _quota("staff", days=0.5, used_days=1.5, used_times=3)
    assert [f.code for f in found] == ["quota_times"]
    assert found[0].rule_id == "LEAVE-2"


def test_leave_2__staff_days__3_allowed_3_5_refused():
    assert _quota("staff", days=1.0, used_days=2.0, used_times=1) == []
    assert [f.code for f in _quota("staff", days=1.5, used_days=2.0, used_times=1)] == ["quota_days"]


def test_leave_2__chief_rep_5_days_or_5_times():
    assert _quota("chief_rep", days=1.0, used_days=4.0, used_times=4) == []
    assert [f.code for f in _quota("chief_rep", days=1.0, used_days=4.0, used_times=5)] == ["quota_times"]
    assert [f.code for f in _quota("chief_rep", days=2.0, used_days=4.0, used_times=1)] == ["quota_days"]


@pytest.mark.parametrize("kind", ["annual", "marriage", "maternity", "family_visit", "funeral", "business"])
def test_leave_2__statutory_kinds__exempt(kind):
    found = _quota("staff", kind=kind, days=20, used_days=3, used_times=3)
    assert all(not f.blocking for f in found)


def test_leave_2__training_week_with_document__exempt_without__counted():
    assert all(
        not f.blocking for f in _quota("staff", kind="training", days=5, calendar_days=7, has_document=True)
    )
    assert any(
        f.blocking for f in _quota("staff", kind="training", days=5, calendar_days=7, has_document=False)
    )
    assert any(
        f.blocking for f in _quota("staff", kind="training", days=4, calendar_days=6, has_document=True)
    )


@given(used=st.integers(0, 6), days=st.sampled_from([0.5, 1, 1.5, 2, 3, 4]))
def test_leave_2__more_used__never_less_refused(used, days):
    fewer = bool(_quota("staff", days=days, used_days=0, used_times=used))
    more = bool(_quota("staff", days=days, used_days=0, used_times=used + 1))
    assert fewer <= more


def test_leave_3__sick_1_day__no_certificate_needed():
    assert rules.kind_at_return(P2, kind="sick", days=1, certificate=False) == ("sick", None)


def test_leave_3__sick_1_5_days_without_certificate__becomes_personal():
    kind, finding = rules.kind_at_return(P2, kind="sick", days=1.5, certificate=False)
    assert kind == "personal"
    assert finding.rule_id == "LEAVE-3"
    assert rules.kind_at_return(P2, kind="sick", days=1.5, certificate=True) == ("sick", None)


def test_leave_4__annual_part_4_5_days__refused_5__allowed():
    assert [f.rule_id for f in rules.check_annual_split(P2, kind="annual", days=4.5)] == ["LEAVE-4"]
    assert rules.check_annual_split(P2, kind="annual", days=5) == []
    assert rules.check_annual_split(P2, kind="annual", days=3, remaining=3) == []  # the last part left
    assert rules.check_annual_split(P2, kind="personal", days=1) == []


@pytest.mark.parametrize(
    ("kind", "days", "single", "needed"),
    [
        ("personal", 0.5, False, False),
        ("personal", 1, False, True),
        ("sick", 0.5, True, True),
        ("annual", 0.5, False, True),
        ("training", 0.5, False, True),
    ],
)
def test_leave_5__cover_required(kind, days, single, needed):
    found = rules.cover_required(P2, kind=kind, days=days, single_staff_window=single)
    assert (found is not None) == needed
    if found:
        assert found.rule_id == "LEAVE-5"


def test_leave_5__cover_one_month__allowed_one_day_more__refused():
    assert rules.check_cover_length(P2, start=date(2026, 3, 2), end=date(2026, 4, 1)) == []
    found = rules.check_cover_length(P2, start=date(2026, 3, 2), end=date(2026, 4, 2))
    assert [f.code for f in found] == ["cover_too_long"]


def test_leave_5__cover_arriving_after_duty_start__gap_is_unauthorised():
    span = LeaveSpan(MON, date(2026, 3, 3))
    due = rules.duty_start(span, [time(8, 30), time(14, 30)])
    assert due == datetime(2026, 3, 2, 8, 30)
    assert rules.cover_gap(span=span, check_in=datetime(2026, 3, 2, 8, 30), duty_from=due) is None
    assert rules.cover_gap(span=span, check_in=datetime(2026, 3, 2, 9, 40), duty_from=due) == (
        datetime(2026, 3, 2, 0, 0),
        datetime(2026, 3, 2, 9, 40),
    )
    assert rules.cover_gap(span=span, check_in=None, duty_from=due) == (span.start_at, span.end_at)


def test_org_3__overlapping_leave_of_other_holder__conflict():
    mine = LeaveSpan(MON, MON, PM, PM)
    theirs = rules.OtherAbsence(7, "不动产登记", LeaveSpan(MON, MON, PM, PM))
    morning = rules.OtherAbsence(7, "不动产登记", LeaveSpan(MON, MON, AM, AM))
    assert [f.rule_id for f in rules.ab_conflict(P2, span=mine, others=[theirs])] == ["ORG-3"]
    assert rules.ab_conflict(P2, span=mine, others=[morning]) == []


def test_leave_6__filed_after_start__refused_unless_special_approval():
    due = datetime(2026, 3, 2, 8, 30)
    assert (
        rules.check_filing_time(
            P2, duty_from=due, filed_at=datetime(2026, 3, 2, 8, 0), special_approval=False
        )
        == []
    )
    late = rules.check_filing_time(
        P2, duty_from=due, filed_at=datetime(2026, 3, 3, 8, 0), special_approval=False
    )
    assert [(f.rule_id, f.blocking) for f in late] == [("LEAVE-6", True)]
    ok = rules.check_filing_time(
        P2, duty_from=due, filed_at=datetime(2026, 3, 3, 8, 0), special_approval=True
    )
    assert [(f.rule_id, f.blocking) for f in ok] == [("LEAVE-6", False)]


# -- what staff read: Chinese first, the rule ID in front, English after -------------------------------


def test_leave_5__cover_required__refusal_reads_chinese_with_rule_id():
    found = rules.cover_required(P2, kind="personal", days=1)
    assert found.message == "请假1天（≥1天）须安排顶岗"
    assert str(found.violation()) == "LEAVE-5: 请假1天（≥1天）须安排顶岗 (a leave of 1 day(s) needs a cover)"


def test_leave_3__sick_without_certificate__note_in_chinese():
    kind, found = rules.kind_at_return(P2, kind="sick", days=2, certificate=False)
    assert kind == "personal"
    assert str(found).startswith("LEAVE-3: 病假2天未提供诊断证明书，按事假处理 (")


def test_leave_2__quota_exempt_note__names_the_kind_in_chinese():
    [note] = rules.check_quota(
        P2, role="staff", kind="marriage", month=(2026, 3), days=3, used_days=0, used_times=0
    )
    assert note.message == "婚假不计入月度请假限额"


def test_findings__chinese_message_has_no_english_words():
    """The Chinese part of every finding is Chinese; English only in the gloss after it."""
    span = LeaveSpan(MON, MON)
    other = rules.OtherAbsence(staff_id=2, post="综合窗口", span=span)
    findings = [
        *rules.check_quota(
            P2, role="staff", kind="personal", month=(2026, 3), days=9, used_days=3, used_times=9
        ),
        *rules.check_annual_split(P2, kind="annual", days=0.5),
        rules.cover_required(P2, kind="annual", days=0.5),
        rules.cover_required(P2, kind="personal", days=2),
        rules.cover_required(P2, kind="personal", days=0.5, single_staff_window=True),
        *rules.check_cover_length(P2, start=MON, end=date(2026, 5, 1)),
        *rules.ab_conflict(P2, span=span, others=[other]),
        *rules.check_filing_time(
            P2,
            duty_from=datetime(2026, 3, 2, 8, 30),
            filed_at=datetime(2026, 3, 2, 9),
            special_approval=False,
        ),
        rules.kind_at_return(P2, kind="sick", days=3, certificate=False)[1],
    ]
    assert {f.rule_id for f in findings} == {"LEAVE-2", "LEAVE-3", "LEAVE-4", "LEAVE-5", "LEAVE-6", "ORG-3"}
    for f in findings:
        assert not re.search(r"[A-Za-z]", f.message.replace("A、B角", "")), f.message
        assert f.en
        assert str(f) == f"{f.rule_id}: {f.message} ({f.en})"

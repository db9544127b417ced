"""Leave services against the database: approval per tier, quotas, A/B, cover, sick return, late filing."""

from __future__ import annotations

from datetime import date

import pytest

from servicehall.core.errors import Forbidden, RuleViolation
from servicehall.core.models import AuditEntry
from servicehall.leave import services
from servicehall.leave.errors import StepNotPending
from servicehall.leave.models import CoverAssignment, LeaveRequest, LeaveStep
from servicehall.leave.selectors import cover_gaps, leaves_for_attendance, pending_steps_for
from servicehall.leave.services import CoverInput
from servicehall.leave.tests.factories import BEFORE, CALENDAR, at, make_people, preset
from servicehall.org.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

P2 = preset("yuanzhou-p2")
P1 = preset("yuanzhou-p1")
MON = date(2026, 3, 2)


def d(n: int) -> date:
    """The n-th day of March 2026 (2 March is a Monday)."""
    return date(2026, 3, n)


def apply(staff, *, policy=P2, now=BEFORE, **kw):
    kw.setdefault("kind", "personal")
    return services.apply_for_leave(staff=staff, policy=policy, calendar=CALENDAR, now=now, **kw)


def file_late(centre_admin, staff, *, now, **kw):
    """LEAVE-6 事后补办 entered by `centre_admin` for `staff` (a personal leave unless `kind` is given)."""
    kw.setdefault("kind", "personal")
    return services.file_late_with_special_approval(
        centre_admin=centre_admin, staff=staff, policy=P2, calendar=CALENDAR, now=now, **kw
    )


def cover_for(start: date, end: date, name: str = "顶岗人") -> CoverInput:
    return CoverInput(start_date=start, end_date=end, name=name)


def approve_all(leave, people, *, policy=P2):
    """Sign every step in order as the right person; returns the roles signed."""
    signed = []
    while True:
        step = leave.steps.filter(status=LeaveStep.Status.PENDING).first()
        if step is None:
            return signed
        approver = people["chief"] if step.approver_role == "chief_rep" else people["admin"]
        services.approve_leave_step(
            step_id=step.pk,
            approver=approver,
            signer_name="纸质签批人",
            policy=policy,
            calendar=CALENDAR,
            now=BEFORE,
        )
        signed.append(step.approver_role)


@pytest.fixture
def people():
    return make_people()


# -- LEAVE-1 --------------------------------------------------------------------------------------------


def test_leave_1__half_day__centre_approves(people):
    leave = apply(people["clerk"], start_date=MON, end_date=MON, end_half="am")
    assert float(leave.days) == 0.5
    assert approve_all(leave, people) == ["centre"]
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    assert leave.policy_ref == "yuanzhou-p2@test"


def test_leave_1__three_days__unit_leader_then_centre_files(people):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(4), cover=cover_for(d(2), d(4)))
    assert leave.requires == ["seal"]
    assert leave.files_with == ["centre"]
    assert approve_all(leave, people) == ["unit_leader", "centre"]
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    assert leave.steps.get(order=1).signer_name == "纸质签批人"


def test_leave_1__five_days__unit_leader_then_county_office(people):
    leave = apply(people["clerk"], kind="annual", start_date=d(2), end_date=d(6), cover=cover_for(d(2), d(6)))
    assert approve_all(leave, people) == ["unit_leader", "county_office"]
    assert leave.files_with == ["centre"]


def test_leave_1__over_seven_days__principal_leader_and_county_leader(people):
    leave = apply(
        people["clerk"], kind="marriage", start_date=d(2), end_date=d(11), cover=cover_for(d(2), d(11))
    )
    assert float(leave.days) == 8
    assert leave.requires == ["seal", "written_explanation"]
    assert approve_all(leave, people) == ["unit_principal_leader", "county_leader"]


def test_leave_1__p1_two_tier__unit_leader_chief_rep_centre(people):
    short = apply(people["clerk"], policy=P1, start_date=d(2), end_date=d(2), end_half="am")
    assert approve_all(short, people, policy=P1) == ["centre"]
    long = apply(
        people["colleague"], policy=P1, start_date=d(9), end_date=d(10), cover=cover_for(d(9), d(10))
    )
    assert approve_all(long, people, policy=P1) == ["unit_leader", "chief_rep", "centre"]


def test_leave_1__external_signature_without_signer_name__refused(people):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    step = leave.steps.get(order=1)
    with pytest.raises(Exception, match="签批人"):
        services.approve_leave_step(step_id=step.pk, approver=people["admin"], policy=P2, calendar=CALENDAR)
    step.refresh_from_db()
    assert step.status == LeaveStep.Status.PENDING


def test_leave_1__window_staff_cannot_approve_centre_step(people):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(2), end_half="am")
    step = leave.steps.get()
    with pytest.raises(Forbidden):
        services.approve_leave_step(
            step_id=step.pk, approver=people["colleague"], policy=P2, calendar=CALENDAR
        )


def test_leave_1__second_approver_on_decided_step__refused(people):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(2), end_half="am")
    step = leave.steps.get()
    services.approve_leave_step(step_id=step.pk, approver=people["admin"], policy=P2, calendar=CALENDAR)
    with pytest.raises(StepNotPending):
        services.reject_leave_step(step_id=step.pk, approver=people["admin"], note="不同意")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def test_leave_1__reject_with_comment__request_rejected_rest_skipped(people):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    first = leave.steps.get(order=1)
    services.reject_leave_step(
        step_id=first.pk, approver=people["admin"], note="业务繁忙", signer_name="单位领导甲"
    )
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REJECTED
    assert leave.steps.get(order=2).status == LeaveStep.Status.SKIPPED


def test_leave_1__pending_steps__chief_rep_sees_only_own_unit(people):
    other = make_people()
    mine = apply(people["clerk"], policy=P1, start_date=d(9), end_date=d(10), cover=cover_for(d(9), d(10)))
    theirs = apply(other["clerk"], policy=P1, start_date=d(9), end_date=d(10), cover=cover_for(d(9), d(10)))
    for leave in (mine, theirs):
        step = leave.steps.get(order=1)
        admin = people["admin"] if leave is mine else other["admin"]
        services.approve_leave_step(
            step_id=step.pk, approver=admin, signer_name="甲", policy=P1, calendar=CALENDAR
        )
    assert [s.request_id for s in pending_steps_for(viewer=people["chief"])] == [mine.pk]
    with pytest.raises(Forbidden):
        services.approve_leave_step(
            step_id=theirs.steps.get(order=2).pk, approver=people["chief"], policy=P1, calendar=CALENDAR
        )


# -- LEAVE-2 --------------------------------------------------------------------------------------------


def test_leave_2__staff_fourth_time_in_month__refused_and_nothing_written(people):
    for day in (2, 3, 4):
        apply(people["clerk"], start_date=d(day), end_date=d(day), end_half="am")
    before = (LeaveRequest.objects.count(), LeaveStep.objects.count(), AuditEntry.objects.count())
    with pytest.raises(RuleViolation) as err:
        apply(people["clerk"], start_date=d(5), end_date=d(5), end_half="am")
    assert err.value.rule_id == "LEAVE-2"
    assert "3次" in err.value.message
    assert (LeaveRequest.objects.count(), LeaveStep.objects.count(), AuditEntry.objects.count()) == before


def test_leave_2__staff_over_three_days__refused(people):
    apply(people["clerk"], start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    with pytest.raises(RuleViolation, match="LEAVE-2") as err:
        apply(people["clerk"], start_date=d(9), end_date=d(10), cover=cover_for(d(9), d(10)))
    assert err.value.facts["code"] == "quota_days"
    apply(people["clerk"], start_date=d(9), end_date=d(9), cover=cover_for(d(9), d(9)))  # 3 days exactly


def test_leave_2__chief_rep_five_times__allowed_sixth__refused(people):
    chief = people["chief"]
    for day in (2, 3, 4, 5, 6):
        apply(chief, start_date=d(day), end_date=d(day), end_half="am")
    with pytest.raises(RuleViolation, match="LEAVE-2"):
        apply(chief, start_date=d(9), end_date=d(9), end_half="am")


def test_leave_2__chief_rep_over_five_days__refused(people):
    chief = people["chief"]
    apply(chief, start_date=d(2), end_date=d(5), cover=cover_for(d(2), d(5)))
    with pytest.raises(RuleViolation, match="LEAVE-2") as err:
        apply(chief, start_date=d(9), end_date=d(10), cover=cover_for(d(9), d(10)))
    assert err.value.facts["code"] == "quota_days"


def test_leave_2__statutory_leave_on_top_of_full_quota__allowed(people):
    for day in (2, 3, 4):
        apply(people["clerk"], start_date=d(day), end_date=d(day), end_half="am")
    leave = apply(
        people["clerk"], kind="funeral", start_date=d(9), end_date=d(11), cover=cover_for(d(9), d(11))
    )
    assert leave.status == LeaveRequest.Status.PENDING


def test_leave_2__rejected_leave__not_counted(people):
    leaves = [apply(people["clerk"], start_date=d(day), end_date=d(day), end_half="am") for day in (2, 3, 4)]
    services.reject_leave_step(step_id=leaves[0].steps.get().pk, approver=people["admin"], note="不同意")
    third = apply(people["clerk"], start_date=d(5), end_date=d(5), end_half="am")
    assert third.status == LeaveRequest.Status.PENDING
    # the rejected one freed its place, not more: the next one is over the three-a-month quota again
    with pytest.raises(RuleViolation, match="LEAVE-2"):
        apply(people["clerk"], start_date=d(6), end_date=d(6), end_half="am")


# -- LEAVE-4 --------------------------------------------------------------------------------------------


def test_leave_4__annual_part_of_three_days__refused(people):
    with pytest.raises(RuleViolation) as err:
        apply(people["clerk"], kind="annual", start_date=d(2), end_date=d(4), cover=cover_for(d(2), d(4)))
    assert err.value.rule_id == "LEAVE-4"
    assert not LeaveRequest.objects.exists()


# -- ORG-3 ----------------------------------------------------------------------------------------------


def test_org_3__a_and_b_absent_at_once__refused(people):
    post = PostFactory(
        unit=people["clerk"].unit,
        centre=people["clerk"].centre,
        a_holder=people["clerk"],
        b_holder=people["colleague"],
    )
    apply(post.b_holder, start_date=d(3), end_date=d(3), end_half="am")
    with pytest.raises(RuleViolation) as err:
        apply(post.a_holder, start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    assert err.value.rule_id == "ORG-3"
    assert LeaveRequest.objects.filter(staff=post.a_holder).count() == 0
    apply(post.a_holder, start_date=d(3), end_date=d(3), start_half="pm")  # the afternoon is free


def test_org_3__cancelled_leave_frees_slot__other_holder_then_blocks(people):
    post = PostFactory(
        unit=people["clerk"].unit,
        centre=people["clerk"].centre,
        a_holder=people["clerk"],
        b_holder=people["colleague"],
    )
    first = apply(post.a_holder, start_date=d(2), end_date=d(2), end_half="am")
    services.cancel_leave(leave_id=first.pk, actor=post.a_holder, now=BEFORE)
    b_leave = apply(post.b_holder, start_date=d(2), end_date=d(2), end_half="am")
    with pytest.raises(RuleViolation, match="ORG-3"):
        apply(post.a_holder, start_date=d(2), end_date=d(2), end_half="am")
    assert b_leave.status == LeaveRequest.Status.PENDING


# -- LEAVE-5 --------------------------------------------------------------------------------------------


def test_leave_5__one_day_without_cover__refused(people):
    with pytest.raises(RuleViolation) as err:
        apply(people["clerk"], start_date=d(2), end_date=d(2))
    assert err.value.rule_id == "LEAVE-5"
    assert not LeaveRequest.objects.exists()
    assert not CoverAssignment.objects.exists()


def test_leave_5__half_day_at_single_staff_window__needs_cover():
    people = make_people(second_window_staff=False)
    with pytest.raises(RuleViolation, match="LEAVE-5"):
        apply(people["clerk"], start_date=d(2), end_date=d(2), end_half="am")
    apply(people["clerk"], start_date=d(2), end_date=d(2), end_half="am", cover=cover_for(d(2), d(2)))


def test_leave_5__training_half_day__needs_cover(people):
    with pytest.raises(RuleViolation, match="LEAVE-5"):
        apply(people["clerk"], kind="training", start_date=d(2), end_date=d(2), end_half="am")


def test_leave_5__cover_longer_than_one_month__refused(people):
    with pytest.raises(RuleViolation) as err:
        apply(
            people["clerk"],
            kind="maternity",
            start_date=d(2),
            end_date=date(2026, 6, 5),
            cover=cover_for(d(2), date(2026, 4, 2)),
        )
    assert err.value.rule_id == "LEAVE-5"
    assert "1个月" in err.value.message
    leave = apply(
        people["clerk"],
        kind="maternity",
        start_date=d(2),
        end_date=date(2026, 6, 5),
        cover=cover_for(d(2), date(2026, 4, 1)),
    )
    with pytest.raises(RuleViolation, match="LEAVE-5"):
        services.assign_cover(
            leave_id=leave.pk,
            actor=people["admin"],
            policy=P2,
            cover=cover_for(date(2026, 4, 2), date(2026, 5, 2)),
        )
    assert leave.covers.count() == 1
    services.assign_cover(
        leave_id=leave.pk,
        actor=people["admin"],
        policy=P2,
        cover=cover_for(date(2026, 4, 2), date(2026, 5, 1)),
    )
    assert leave.covers.count() == 2


def _approved_with_cover(people, **kw):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)), **kw)
    approve_all(leave, people)
    leave.refresh_from_db()
    return leave


def test_leave_5__cover_checked_in_before_start__whole_leave_excused(people):
    leave = _approved_with_cover(people)
    services.cover_check_in(
        cover_id=leave.covers.get().pk, actor=people["admin"], at=at(d(2), 8, 20), policy=P2
    )
    rows = leaves_for_attendance(leave.centre_id, d(1), d(31), policy=P2)
    assert rows == [
        {
            "staff_id": leave.staff_id,
            "kind": "personal",
            "start": "2026-03-02T00:00:00",
            "end": "2026-03-04T00:00:00",
            "status": "approved",
            "certificate": "no",
        }
    ]
    assert cover_gaps(leave.centre_id, d(1), d(31), policy=P2) == []


def test_leave_5__cover_arrives_late__gap_is_unauthorised(people):
    leave = _approved_with_cover(people)
    services.cover_check_in(
        cover_id=leave.covers.get().pk, actor=people["admin"], at=at(d(2), 10, 15), policy=P2
    )
    [row] = leaves_for_attendance(leave.centre_id, d(1), d(31), policy=P2)
    assert (row["status"], row["start"]) == ("approved", "2026-03-02T10:15:00")  # excused from the arrival on
    assert cover_gaps(leave.centre_id, d(1), d(31), policy=P2) == [
        {
            "staff_id": leave.staff_id,
            "leave_id": leave.pk,
            "start": "2026-03-02T00:00:00",
            "end": "2026-03-02T10:15:00",
            "rule": "LEAVE-5",
        }
    ]


def test_leave_5__cover_never_arrived__leave_excuses_nothing(people):
    leave = _approved_with_cover(people)
    [row] = leaves_for_attendance(leave.centre_id, d(1), d(31), policy=P2)
    assert row["status"] == "pending"


def test_leave_5__pending_leave__reported_pending(people):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(2), end_half="am")
    [row] = leaves_for_attendance(leave.centre_id, d(1), d(31), policy=P2)
    assert row["status"] == "pending"
    assert row["end"] == "2026-03-02T12:00:00"


# -- LEAVE-3 --------------------------------------------------------------------------------------------


def test_leave_3__sick_two_days_without_certificate__becomes_personal_and_logged(people):
    leave = apply(people["clerk"], kind="sick", start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    approve_all(leave, people)
    services.record_return(leave_id=leave.pk, actor=people["clerk"], policy=P2)
    leave.refresh_from_db()
    assert (leave.kind, leave.original_kind) == ("personal", "sick")
    entry = AuditEntry.objects.get(verb="leave.sick_converted")
    assert entry.data["rule"] == "LEAVE-3"


def test_leave_3__sick_two_days_certificate_at_return__stays_sick(people):
    leave = apply(people["clerk"], kind="sick", start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    approve_all(leave, people)
    services.record_return(
        leave_id=leave.pk, actor=people["clerk"], certificate_provided=True, certificate_date=d(2), policy=P2
    )
    leave.refresh_from_db()
    assert leave.kind == "sick"
    assert leave.certificate_provided


# -- LEAVE-6 --------------------------------------------------------------------------------------------


def test_leave_6__filed_after_start__refused(people):
    with pytest.raises(RuleViolation) as err:
        apply(people["clerk"], start_date=d(2), end_date=d(2), end_half="am", now=at(d(2), 9, 0))
    assert err.value.rule_id == "LEAVE-6"


def test_leave_6__late_filing_with_special_approval__excused_without_cover_check_in(people):
    leave = file_late(
        people["admin"],
        people["clerk"],
        start_date=d(2),
        end_date=d(3),
        special_approval_note="突发急事，中心同意补办",
        now=at(d(4), 9, 0),
    )
    assert leave.filed_late
    assert leave.special_approved_by == people["admin"]
    approve_all(leave, people)
    [row] = leaves_for_attendance(leave.centre_id, d(1), d(31), policy=P2)
    assert row["status"] == "approved"
    assert row["start"] == "2026-03-02T00:00:00"


def test_leave_6__late_filing_by_window_staff__forbidden(people):
    with pytest.raises(Forbidden):
        file_late(
            people["colleague"],
            people["clerk"],
            start_date=d(2),
            end_date=d(2),
            special_approval_note="x",
            now=at(d(4), 9, 0),
        )


def test_leave_5__refusal_without_cover__chinese_then_english(people):
    with pytest.raises(RuleViolation) as err:
        apply(people["clerk"], start_date=d(2), end_date=d(2))
    assert str(err.value) == (
        "LEAVE-5: 请假1天（≥1天）须安排顶岗；请先由所在单位安排顶岗人员并报中心备案 "
        "(a leave of 1 day(s) needs a cover; no cover filed)"
    )


def test_leave_5__stored_cover_reason__chinese(people):
    leave = apply(people["clerk"], start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    assert leave.cover_required_reason == "请假2天（≥1天）须安排顶岗"


def test_leave_3__conversion_logged_in_chinese_with_rule(people):
    leave = apply(people["clerk"], kind="sick", start_date=d(2), end_date=d(3), cover=cover_for(d(2), d(3)))
    approve_all(leave, people)
    services.record_return(leave_id=leave.pk, actor=people["clerk"], policy=P2)
    entry = AuditEntry.objects.get(verb="leave.sick_converted")
    assert entry.reason.startswith("LEAVE-3: 病假2天未提供诊断证明书，按事假处理 (")

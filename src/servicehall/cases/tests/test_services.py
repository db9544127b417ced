"""Refusal, return, reassignment, clock and urgency services (CASE-1, 5, 7, 11) and the transition table."""

from __future__ import annotations

from datetime import date

import pytest

from servicehall.cases import services
from servicehall.cases.enums import Action, CaseStatus, RefusalKind
from servicehall.cases.errors import IllegalTransition
from servicehall.cases.lifecycle import TRANSITIONS, allowed_actions, find_transition
from servicehall.cases.models import RefusalReport
from servicehall.cases.tests.factories import Hall, local
from servicehall.catalog.models import CaseType
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation

pytestmark = pytest.mark.django_db


def _accepted(hall: Hall, at=None):
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=at or local(2025, 9, 22, 10)
    )
    return services.accept_case(case_id=case.pk, actor=hall.staff, at=at or local(2025, 9, 22, 10))


# -- the table ---------------------------------------------------------------------------------------


def test_case_9__every_action_has_a_rule_and_targets_are_statuses():
    assert {t.action for t in TRANSITIONS} == set(Action)
    assert all(t.rule_id for t in TRANSITIONS)
    assert len({(t.source, t.action) for t in TRANSITIONS}) == len(TRANSITIONS)


@pytest.mark.parametrize(
    ("status", "action", "rule"),
    [
        (CaseStatus.DELIVERED, Action.ACCEPT, "CASE-1"),
        (CaseStatus.REFUSED, Action.REQUEST_CORRECTION, "CASE-2"),
        (CaseStatus.ACCEPTED, Action.CONCLUDE, "CASE-5"),
        (CaseStatus.REGISTERED, Action.DELIVER, "CASE-8"),
        (CaseStatus.DONE, Action.RETURN, "CASE-7"),
        (CaseStatus.ACCEPTED, Action.COMPLETE_ON_SPOT, "CAT-2"),
        (CaseStatus.REGISTERED, Action.REGISTER, "CASE-1"),
    ],
)
def test_case_9__illegal_transition__refused_with_rule(status, action, rule):
    with pytest.raises(IllegalTransition) as err:
        find_transition(status, action)
    assert err.value.rule_id == rule
    assert status.label in err.value.message


def test_case_9__terminal_statuses_have_no_way_out():
    for status in (CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.RETURNED):
        assert allowed_actions(status) == []


# -- CASE-7 refusal and return -------------------------------------------------------------------------


def test_case_7__refuse_without_report__refused():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    with pytest.raises(RuleViolation) as err:
        services.refuse_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 11))
    assert err.value.rule_id == "CASE-7"
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_case_7__refusal_waits_for_acknowledgement_or_waiting_time():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 26, 10)
    )
    services.report_refusal(
        case_id=case.pk, actor=hall.staff, kind=RefusalKind.NOT_ACCEPTED, reasons="申请事项不属于本机关职权范围",
        legal_basis="《行政许可法》第三十二条第一款第（二）项", at=local(2025, 9, 26, 10, 30),
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="报备"):
        services.refuse_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 26, 16))
    # Waiting time: one working day. Sat Sep 27 is a rest day; Sun Sep 28 is a make-up workday.
    with pytest.raises(RuleViolation):
        services.refuse_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 28, 10, 29))
    case = services.refuse_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 28, 10, 30))
    assert case.status == CaseStatus.REFUSED
    assert RefusalReport.objects.get(case=case).issued_at is not None


def test_case_7__acknowledged_report__refusal_issued_at_once():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    report = services.report_refusal(
        case_id=case.pk, actor=hall.staff, kind="not_accepted", reasons="不属于本机关职权范围",
        legal_basis="《行政许可法》第三十二条", at=local(2025, 9, 22, 10, 5),
    )  # fmt: skip
    with pytest.raises(Forbidden):
        services.acknowledge_refusal_report(report_id=report.pk, actor=hall.chief)
    services.acknowledge_refusal_report(report_id=report.pk, actor=hall.office, at=local(2025, 9, 22, 10, 10))
    case = services.refuse_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 15))
    assert case.status == CaseStatus.REFUSED


def test_case_7__not_approved_needs_report_too():
    hall = Hall(materials=0)
    case = _accepted(hall)
    case = services.start_processing(case_id=case.pk, actor=hall.staff)
    services.complete_unit_step(step_id=case.steps.get().pk, actor=hall.staff)
    with pytest.raises(RuleViolation) as err:
        services.conclude_case(case_id=case.pk, actor=hall.staff, outcome="not_approved")
    assert err.value.rule_id == "CASE-7"
    report = services.report_refusal(
        case_id=case.pk, actor=hall.staff, kind="not_approved", reasons="经营场所不符合卫生要求",
        legal_basis="《食品经营许可管理办法》",
    )  # fmt: skip
    services.acknowledge_refusal_report(report_id=report.pk, actor=hall.office)
    case = services.conclude_case(case_id=case.pk, actor=hall.staff, outcome="not_approved")
    assert case.outcome == "not_approved"
    assert case.decision_note == "经营场所不符合卫生要求"


def test_case_7__report_without_legal_basis__input_error():
    hall = Hall(materials=0)
    case = services.register_case(actor=hall.staff, item=hall.item, applicant_name="张三")
    with pytest.raises(InputError) as err:
        services.report_refusal(
            case_id=case.pk, actor=hall.staff, kind="not_accepted", reasons="x", legal_basis=" "
        )
    assert err.value.where == "legal_basis"


def test_case_7__return_with_short_reason__refused_detailed_reason_accepted():
    hall = Hall(materials=0)
    case = services.register_case(actor=hall.staff, item=hall.item, applicant_name="张三")
    with pytest.raises(RuleViolation) as err:
        services.return_case(case_id=case.pk, actor=hall.staff, reason="不符合")
    assert err.value.rule_id == "CASE-7"
    case = services.return_case(
        case_id=case.pk, actor=hall.staff, reason="申请人撤回申请，材料已全部退还并由本人签收"
    )
    assert case.status == CaseStatus.RETURNED
    assert case.events.last().reason.startswith("申请人撤回")


# -- CASE-1 responsibility -----------------------------------------------------------------------------


def test_case_1__reassign_needs_reason_and_chief_rep():
    hall = Hall(materials=0)
    case = _accepted(hall)
    with pytest.raises(RuleViolation) as err:
        services.reassign_case(case_id=case.pk, actor=hall.chief, new_responsible=hall.colleague, reason=" ")
    assert err.value.rule_id == "CASE-1"
    with pytest.raises(Forbidden):
        services.reassign_case(
            case_id=case.pk, actor=hall.colleague, new_responsible=hall.colleague, reason="调岗"
        )
    case = services.reassign_case(
        case_id=case.pk, actor=hall.chief, new_responsible=hall.colleague, reason="王受理轮岗，由李同事接办"
    )
    assert case.responsible == hall.colleague
    event = case.events.get(kind="reassign")
    assert event.data["from_name"] == "王受理"
    assert event.actor == hall.chief


def test_case_1__staff_of_another_unit_cannot_act():
    """ORG-1: another centre's case answers NotFound, exactly like an absent one."""
    hall, other = Hall(materials=0), Hall(materials=0)
    case = _accepted(hall)
    with pytest.raises(NotFound):
        services.start_processing(case_id=case.pk, actor=other.staff)


# -- CASE-5 clock --------------------------------------------------------------------------------------


def test_case_5__extension_with_consent_moves_due_date_across_holiday():
    hall = Hall(materials=0, promised_days=1)
    case = _accepted(hall, local(2025, 9, 30, 10))
    assert case.due_on == date(2025, 10, 9)
    services.extend_deadline(
        case_id=case.pk, actor=hall.staff, working_days=2, reason="需现场核查", consent_note="申请人电话同意"
    )
    case.refresh_from_db()
    assert case.due_on == date(2025, 10, 11)  # Fri Oct 10, Sat Oct 11 (make-up workday)


def test_case_5__extension_over_promised_cap__refused():
    hall = Hall(materials=0)
    case = _accepted(hall)
    services.extend_deadline(
        case_id=case.pk, actor=hall.staff, working_days=8, reason="核查", consent_note="同意"
    )
    with pytest.raises(RuleViolation) as err:
        services.extend_deadline(
            case_id=case.pk, actor=hall.staff, working_days=3, reason="核查", consent_note="同意"
        )
    assert err.value.rule_id == "CASE-5"
    assert case.extensions.count() == 1


def test_case_5__joint_case_extension_cap_is_fifteen():
    hall = Hall(materials=0, case_type=CaseType.JOINT, promised_days=0)
    case = _accepted(hall)
    services.extend_deadline(
        case_id=case.pk, actor=hall.staff, working_days=15, reason="联合踏勘", consent_note="同意"
    )
    with pytest.raises(RuleViolation):
        services.extend_deadline(
            case_id=case.pk, actor=hall.staff, working_days=1, reason="再延", consent_note="同意"
        )


def test_case_5__extension_without_consent__refused():
    hall = Hall(materials=0)
    case = _accepted(hall)
    with pytest.raises(RuleViolation, match="同意"):
        services.extend_deadline(
            case_id=case.pk, actor=hall.staff, working_days=2, reason="核查", consent_note=""
        )


def test_case_5__pause_and_resume_over_national_day():
    hall = Hall(materials=0, promised_days=3)
    case = _accepted(hall, local(2025, 9, 29, 10))
    assert case.due_on == date(2025, 10, 10)  # Sep 30, Oct 9, Oct 10
    services.pause_clock(
        case_id=case.pk,
        actor=hall.staff,
        kind="expert_review",
        starts_on=date(2025, 9, 30),
        reason="专家评审",
    )
    case = services.resume_clock(case_id=case.pk, actor=hall.staff, ends_on=date(2025, 10, 9))
    # Paused Sep 30 and Oct 9 (the holiday in between does not count anyway): Oct 10, 11 (make-up), 13.
    assert case.due_on == date(2025, 10, 13)


def test_case_5__pause_kind_not_in_policy__refused():
    hall = Hall(materials=0)
    case = _accepted(hall)
    with pytest.raises(RuleViolation) as err:
        services.pause_clock(
            case_id=case.pk, actor=hall.staff, kind="other_statutory", starts_on=date(2025, 9, 23), reason="x"
        )
    assert err.value.rule_id == "CASE-5"


# -- CASE-11 urgency -----------------------------------------------------------------------------------


def test_case_11__urgent_flag_needs_reason_and_is_logged():
    hall = Hall(materials=0)
    case = _accepted(hall)
    with pytest.raises(InputError):
        services.flag_urgent(case_id=case.pk, actor=hall.staff, reason="")
    case = services.flag_urgent(case_id=case.pk, actor=hall.staff, reason="申请人为外地务工人员，今日返程")
    assert case.urgent
    assert case.events.get(kind="urgent").rule_id == "CASE-11"

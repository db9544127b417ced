"""End-to-end walks through the state machine (CASE-1..9, CAT-2) with real services and the database."""

from __future__ import annotations

from datetime import date

import pytest

from servicehall.cases import services
from servicehall.cases.enums import CaseStatus, DeliveryMethod, MaterialState, Outcome
from servicehall.cases.errors import IllegalTransition
from servicehall.cases.models import CaseEvent, OneTimeNotice
from servicehall.cases.services import MaterialCheck
from servicehall.cases.tests.factories import Hall, local
from servicehall.catalog.models import CaseType
from servicehall.core.errors import RuleViolation
from servicehall.core.models import AuditEntry
from servicehall.org.tests.factories import StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _register_with_problems(hall: Hall, at):
    _, m2, m3 = hall.materials
    return services.register_case(
        actor=hall.staff,
        item=hall.item,
        applicant_name="张三",
        applicant_id_no="640402199001011233",
        applicant_phone="13812345678",
        applicant_address="原州区文化路1号",
        checks={
            m2.pk: MaterialCheck(MaterialState.MISSING),
            m3.pk: MaterialCheck(MaterialState.DEFECTIVE, "身份证已过有效期，请提交有效身份证复印件"),
        },
        at=at,
    )


def test_case_3__promised_case__correction_second_visit_accept_conclude_deliver():
    hall = Hall()
    case = _register_with_problems(hall, local(2025, 9, 22, 10, 0))
    assert case.status == CaseStatus.REGISTERED
    assert case.responsible == hall.staff  # CASE-1 first responsible person
    assert case.window == hall.window

    notice = services.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 5))
    lines = list(notice.lines.order_by("position"))
    assert [(line.position, line.case_material.name) for line in lines] == [
        (1, "经营场所平面图"),
        (2, "法定代表人身份证"),
    ]
    assert "有效期" in lines[1].what_to_fix
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION

    # Second visit (CASE-3): both items brought, case accepted.
    problem_ids = [line.case_material_id for line in lines]
    services.record_materials(
        case_id=case.pk, actor=hall.staff, fixed=problem_ids, second_visit=True, at=local(2025, 9, 24, 9, 30)
    )
    case = services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 24, 9, 35))
    assert case.status == CaseStatus.ACCEPTED
    # 5 working days after Wed Sep 24: Thu 25, Fri 26, Sun 28 (make-up), Mon 29, Tue 30.
    assert case.due_on == date(2025, 9, 30)

    case = services.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 24, 9, 40))
    (step,) = case.steps.all()
    services.complete_unit_step(
        step_id=step.pk, actor=hall.colleague, note="审查通过", at=local(2025, 9, 26, 15)
    )
    case = services.conclude_case(
        case_id=case.pk, actor=hall.staff, outcome=Outcome.APPROVED, at=local(2025, 9, 26, 16)
    )
    assert case.status == CaseStatus.DONE
    case = services.deliver_case(
        case_id=case.pk,
        actor=hall.staff,
        method=DeliveryMethod.POST,
        tracking_no="EMS1",
        at=local(2025, 9, 28, 9),
    )
    assert case.status == CaseStatus.DELIVERED
    assert case.postal_address == "原州区文化路1号"

    transitions = list(case.events.filter(kind="transition").values_list("action", "to_status", "rule_id"))
    assert transitions == [
        ("register", "registered", "CASE-1"),
        ("request_correction", "correction", "CASE-2"),
        ("accept", "accepted", "CASE-3"),
        ("start", "in_progress", "CASE-5"),
        ("conclude", "done", "CASE-5"),
        ("deliver", "delivered", "CASE-8"),
    ]
    assert all(e.actor_id for e in case.events.all())  # CASE-9: who
    second_visit = case.events.get(kind="second_visit")
    assert second_visit.data["fixed"] == ["经营场所平面图", "法定代表人身份证"]
    assert AuditEntry.objects.filter(verb="cases.deliver", target_id=str(case.pk)).exists()


def test_cat_2__joint_case__two_units_in_parallel_all_must_finish():
    hall = Hall(case_type=CaseType.JOINT, promised_days=0)
    other = UnitFactory(centre=hall.centre, name="消防救援大队")
    other_staff = StaffFactory(unit=other, centre=hall.centre, name="孙消防")
    hall.item.joint_units.add(other)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="某某餐饮有限公司", at=local(2025, 9, 1, 9)
    )
    assert case.limit_days == 45  # CASE-5 joint default from the policy
    services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 1, 9, 5))
    case = services.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 1, 9, 6))
    steps = {s.unit_id: s for s in case.steps.all()}
    assert set(steps) == {hall.unit.pk, other.pk}

    services.complete_unit_step(step_id=steps[other.pk].pk, actor=other_staff, at=local(2025, 9, 3, 10))
    with pytest.raises(RuleViolation) as err:
        services.conclude_case(
            case_id=case.pk, actor=hall.staff, outcome=Outcome.APPROVED, at=local(2025, 9, 3, 11)
        )
    assert err.value.rule_id == "CAT-2"
    assert "市场监督管理局" in err.value.message

    with pytest.raises(Exception, match="CAT-2"):  # a unit cannot finish another unit's step
        services.complete_unit_step(
            step_id=steps[hall.unit.pk].pk, actor=other_staff, at=local(2025, 9, 4, 10)
        )

    services.complete_unit_step(
        step_id=steps[hall.unit.pk].pk, actor=hall.colleague, at=local(2025, 9, 4, 10)
    )
    case = services.conclude_case(
        case_id=case.pk, actor=hall.staff, outcome=Outcome.APPROVED, at=local(2025, 9, 4, 11)
    )
    assert case.status == CaseStatus.DONE
    case = services.deliver_case(
        case_id=case.pk, actor=hall.staff, method=DeliveryMethod.WINDOW, at=local(2025, 9, 5, 9)
    )
    assert case.status == CaseStatus.DELIVERED


def test_case_8__deliver_before_conclusion__refused_citing_case_8():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 1, 9)
    )
    services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 1, 9, 1))
    with pytest.raises(IllegalTransition) as err:
        services.deliver_case(case_id=case.pk, actor=hall.staff, method=DeliveryMethod.WINDOW)
    assert err.value.rule_id == "CASE-8"
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert not CaseEvent.objects.filter(case=case, action="deliver").exists()


def test_case_1__accept_twice__refused_citing_case_1():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 1, 9)
    )
    services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 1, 9, 1))
    with pytest.raises(IllegalTransition) as err:
        services.accept_case(case_id=case.pk, actor=hall.staff)
    assert err.value.rule_id == "CASE-1"


def test_case_2__accept_with_missing_material__refused():
    hall = Hall()
    case = _register_with_problems(hall, local(2025, 9, 22, 10))
    with pytest.raises(RuleViolation) as err:
        services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 1))
    assert err.value.rule_id == "CASE-2"
    assert "经营场所平面图" in err.value.message


def test_case_2__notice_later_than_five_working_days__refused():
    hall = Hall()
    case = _register_with_problems(hall, local(2025, 9, 30, 10))
    # 5 working days after Sep 30: Oct 9, 10, 11 (make-up), 13, 14 → Oct 14 is the last day.
    services.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 10, 14, 17))
    case2 = _register_with_problems(hall, local(2025, 9, 30, 10))
    with pytest.raises(RuleViolation) as err:
        services.issue_one_time_notice(case_id=case2.pk, actor=hall.staff, at=local(2025, 10, 15, 9))
    assert err.value.rule_id == "CASE-2"
    assert "2025-10-14" in err.value.message


def test_case_3__second_notice_with_new_item__refused_and_nothing_written():
    hall = Hall()
    case = _register_with_problems(hall, local(2025, 9, 22, 10))
    first = services.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 5))
    lines = {m.name: m for m in case.materials.all()}
    services.record_materials(
        case_id=case.pk,
        actor=hall.staff,
        second_visit=True,
        fixed=[lines["经营场所平面图"].pk, lines["法定代表人身份证"].pk],
        problems={lines["营业执照复印件"].pk: MaterialCheck(MaterialState.DEFECTIVE, "复印件不清晰")},
        at=local(2025, 9, 24, 9),
    )
    with pytest.raises(RuleViolation) as err:
        services.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 24, 9, 5))
    assert err.value.rule_id == "CASE-3"
    assert "营业执照复印件" in err.value.message
    assert list(OneTimeNotice.objects.filter(case=case)) == [first]


def test_case_3__second_notice_repeating_a_first_notice_item__allowed():
    hall = Hall()
    case = _register_with_problems(hall, local(2025, 9, 22, 10))
    services.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 5))
    lines = {m.name: m for m in case.materials.all()}
    services.record_materials(
        case_id=case.pk, actor=hall.staff, second_visit=True, fixed=[lines["经营场所平面图"].pk],
        at=local(2025, 9, 24, 9),
    )  # fmt: skip
    second = services.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 24, 9, 5))
    assert second.sequence == 2
    assert [line.case_material.name for line in second.lines.all()] == ["法定代表人身份证"]


def test_case_4__on_the_spot_correction__logged_and_case_acceptable():
    hall = Hall()
    m1 = hall.materials[0]
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10),
        checks={m1.pk: MaterialCheck(MaterialState.FIXED_ON_SPOT, "申请表漏签名，已当场补签")},
    )  # fmt: skip
    event = case.events.get(kind="on_spot_fix")
    assert event.rule_id == "CASE-4"
    assert "补签" in event.reason
    services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 5))


def test_cat_2__immediate_case__registered_and_finished_in_one_visit():
    hall = Hall(case_type=CaseType.IMMEDIATE, promised_days=0, materials=1)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    case = services.complete_on_the_spot(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10, 10))
    assert case.status == CaseStatus.DONE
    assert case.due_on == date(2025, 9, 22)


def test_cat_2__immediate_case_next_day__refused():
    hall = Hall(case_type=CaseType.IMMEDIATE, promised_days=0, materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    with pytest.raises(RuleViolation) as err:
        services.complete_on_the_spot(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 23, 10))
    assert err.value.rule_id == "CAT-2"


def test_cat_2__promised_case_cannot_complete_on_spot():
    hall = Hall(materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    with pytest.raises(RuleViolation, match="即办件"):
        services.complete_on_the_spot(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10))


def test_cat_2__reported_case__goes_up_then_concludes():
    hall = Hall(case_type=CaseType.REPORTED, materials=0)
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10)
    )
    services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10))
    case = services.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 22, 10))
    services.complete_unit_step(step_id=case.steps.get().pk, actor=hall.staff, at=local(2025, 9, 23, 10))
    case = services.report_up(
        case_id=case.pk, actor=hall.staff, reason="报市局审批", at=local(2025, 9, 23, 11)
    )
    assert case.status == CaseStatus.REPORTED
    case = services.conclude_case(
        case_id=case.pk, actor=hall.staff, outcome="approved", at=local(2025, 9, 25, 11)
    )
    assert case.status == CaseStatus.DONE

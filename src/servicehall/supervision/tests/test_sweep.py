"""The card sweep and card workflow on the database (SUP-1, SUP-2, CASE-2, CASE-6).

Cases are accepted around the 2025 National Day (1–8 Oct holidays, Sat 11 Oct a make-up working day).
"""

from __future__ import annotations

from datetime import date

import pytest

from servicehall.accountability.models import AccountabilityEvent
from servicehall.cases import services as cases
from servicehall.cases.enums import Action, CaseStatus, MaterialState
from servicehall.cases.models import Case, CaseEvent
from servicehall.cases.services import MaterialCheck
from servicehall.cases.tests.factories import Hall, local
from servicehall.catalog.models import FeeScheduleLine
from servicehall.core.errors import Forbidden, RuleViolation
from servicehall.core.models import AuditEntry
from servicehall.notifications.models import StaffNotification
from servicehall.supervision import selectors, services
from servicehall.supervision.jobs import run_sweep
from servicehall.supervision.models import Card, CardStatus, FeeCharge, Investigation

pytestmark = pytest.mark.django_db


def accepted(hall: Hall, at):
    case = cases.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", window=hall.window, at=at
    )
    return cases.accept_case(case_id=case.pk, actor=hall.staff, at=at)


def colours(case) -> list[str]:
    return sorted(Card.objects.filter(case=case).values_list("colour", flat=True), reverse=True)


def test_sup_1__sweep_across_national_day__yellow_then_red_each_once():
    hall = Hall(promised_days=2)
    case = accepted(hall, local(2025, 9, 30, 10))
    assert run_sweep(at=local(2025, 10, 8, 23, 59))["issued"] == 0
    assert run_sweep(at=local(2025, 10, 9, 0, 0))["issued"] == 1
    assert colours(case) == ["yellow"]
    assert run_sweep(at=local(2025, 10, 10, 23, 59))["issued"] == 0
    assert run_sweep(at=local(2025, 10, 11, 0, 0))["issued"] == 1  # the make-up Saturday after D
    assert run_sweep(at=local(2025, 10, 20, 9, 0))["issued"] == 0  # twice: nothing new
    assert colours(case) == ["yellow", "red"]
    red = Card.objects.get(case=case, colour="red")
    assert (red.unit, red.window, red.responsible) == (hall.unit, hall.window, hall.staff)
    assert red.rule_id == "SUP-1"
    assert red.policy_ref.startswith("yuanzhou-p2@")
    assert red.due_date == date(2025, 10, 10)
    assert red.due_at == local(2025, 10, 11, 0, 0)
    assert red.evidence["due_date"] == "2025-10-10"
    assert red.evidence["red_card_after_due_working_days"] == 0
    assert red.reply_due_on == date(2025, 10, 17)  # 5 working days from Sat 10-11: 13, 14, 15, 16, 17
    # responsible staff and chief rep told, audit row per card
    recipients = set(
        StaffNotification.objects.filter(link=f"/supervision/cards/{red.pk}/").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {hall.staff.pk, hall.chief.pk}
    assert AuditEntry.objects.filter(verb="supervision.card.raise", target_id=str(red.pk)).count() == 1


def test_sup_1__concluded_on_due_date__yellow_only():
    hall = Hall(promised_days=2)
    case = accepted(hall, local(2025, 9, 30, 10))
    cases.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 10, 9, 9))
    for step in case.steps.all():
        cases.complete_unit_step(step_id=step.pk, actor=hall.staff, at=local(2025, 10, 10, 15))
    cases.conclude_case(case_id=case.pk, actor=hall.staff, outcome="approved", at=local(2025, 10, 10, 16))
    run_sweep(at=local(2025, 10, 20, 9))
    assert colours(case) == ["yellow"]


def test_sup_1__no_card_while_paused__instant_moves_after_pause():
    hall = Hall(promised_days=1)
    case = accepted(hall, local(2025, 10, 9, 10))  # D = 10-10, red due 10-11 00:00
    cases.pause_clock(
        case_id=case.pk,
        actor=hall.staff,
        kind="expert_review",
        starts_on=date(2025, 10, 9),
        reason="专家评审",
    )
    assert run_sweep(at=local(2025, 10, 20, 9))["issued"] == 0  # open pause: nothing falls due
    cases.resume_clock(case_id=case.pk, actor=hall.staff, ends_on=date(2025, 10, 13))
    # D moves to Tue 10-14 (counting from the day after the pause), yellow Mon 10-13 is paused → 10-14 00:00
    run_sweep(at=local(2025, 10, 13, 23, 59))
    assert colours(case) == []
    run_sweep(at=local(2025, 10, 14, 0, 0))
    assert colours(case) == ["yellow"]
    assert Card.objects.get(case=case).due_at == local(2025, 10, 14, 0, 0)


def test_case_2__notice_limit_lapses__deemed_accepted_and_card_to_staff():
    hall = Hall(promised_days=5)
    _, m2, _ = hall.materials
    case = cases.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", window=hall.window,
        at=local(2025, 9, 22, 10), checks={m2.pk: MaterialCheck(MaterialState.MISSING)},
    )  # fmt: skip
    # 5 working days after Mon 09-22: 23, 24, 25, 26, 28 (make-up Sunday) → lapses 09-29 00:00
    run_sweep(at=local(2025, 9, 28, 23, 59))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED
    run_sweep(at=local(2025, 9, 29, 0, 0))
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.accepted_at == case.registered_at  # the clock starts from registration
    event = CaseEvent.objects.get(case=case, action=Action.DEEM_ACCEPT)
    assert event.rule_id == "CASE-2"
    assert event.data["last_notice_day"] == "2025-09-28"
    card = Card.objects.get(case=case, trigger="notice_lapsed")
    assert (card.colour, card.rule_id, card.responsible) == ("red", "CASE-2", hall.staff)
    assert StaffNotification.objects.filter(
        recipient=hall.staff, link=f"/supervision/cards/{card.pk}/"
    ).exists()
    # and its deadline cards are scheduled from registration: D = 5 working days after 09-22 = 09-28
    assert case.due_on == date(2025, 9, 28)


def test_case_2__notice_given_in_time__no_deemed_acceptance():
    hall = Hall()
    _, m2, _ = hall.materials
    case = cases.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", at=local(2025, 9, 22, 10),
        checks={m2.pk: MaterialCheck(MaterialState.MISSING)},
    )  # fmt: skip
    cases.issue_one_time_notice(case_id=case.pk, actor=hall.staff, at=local(2025, 9, 23, 10))
    run_sweep(at=local(2025, 10, 20, 9))
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION
    assert not Card.objects.filter(case=case).exists()


def test_sup_1__withdrawn_card_stops_counting_upheld_is_accountability_event():
    hall = Hall(promised_days=2)
    case = accepted(hall, local(2025, 9, 30, 10))
    run_sweep(at=local(2025, 10, 11, 0, 0))
    yellow = Card.objects.get(case=case, colour="yellow")
    red = Card.objects.get(case=case, colour="red")
    with pytest.raises(Forbidden):
        services.reply_to_card(card_id=red.pk, actor=hall.colleague, text="因节假日材料流转延误，已整改")
    services.reply_to_card(card_id=red.pk, actor=hall.staff, text="因节假日材料流转延误，已整改完毕")
    services.appeal_card(card_id=yellow.pk, actor=hall.chief, reason="申请人要求延后领取，非窗口原因")
    supervisor = hall.office
    supervisor.role = "supervisor"
    supervisor.save()
    with pytest.raises(Forbidden):
        services.decide_card(card_id=yellow.pk, actor=hall.staff, uphold=False, note="撤销")
    services.decide_card(card_id=yellow.pk, actor=supervisor, uphold=False, note="核实为申请人原因，撤销")
    services.decide_card(card_id=red.pk, actor=supervisor, uphold=True, note="维持")
    assert Card.objects.get(pk=yellow.pk).status == CardStatus.WITHDRAWN
    counts = selectors.card_counts(centre_id=hall.centre.pk, first=date(2025, 10, 1), last=date(2025, 10, 31))
    assert counts[hall.unit.pk] == {"yellow": 0, "red": 1}
    event = AccountabilityEvent.objects.get(source_id=str(red.pk), kind="card")
    assert (event.rule, event.staff_id, event.unit_id) == ("SUP-1", hall.staff.pk, hall.unit.pk)
    assert not AccountabilityEvent.objects.filter(
        source_id=str(yellow.pk), kind="card", withdrawn=False
    ).exists()
    with pytest.raises(RuleViolation):
        services.decide_card(card_id=red.pk, actor=supervisor, uphold=False, note="再改")


def _overdue(hall: Hall):
    case = accepted(hall, local(2025, 9, 30, 10))
    cases.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 10, 9, 9))
    return case


def test_case_6__urge_then_default_approval_issues_result_and_opens_investigation():
    hall = Hall(promised_days=2)
    hall.item.default_approval = True
    hall.item.save()
    case = _overdue(hall)
    office = hall.office
    with pytest.raises(RuleViolation):  # must urge first
        services.approve_overdue_by_default(case_id=case.pk, actor=office, at=local(2025, 10, 13, 9))
    services.urge_overdue_case(case_id=case.pk, actor=office, at=local(2025, 10, 13, 9))
    assert StaffNotification.objects.filter(
        recipient=hall.staff, kind="supervision.urge", rule_id="CASE-6"
    ).exists()
    investigation = services.approve_overdue_by_default(
        case_id=case.pk, actor=office, at=local(2025, 10, 14, 9)
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.DONE, "approved")
    rules = list(CaseEvent.objects.filter(case=case, rule_id="CASE-6").values_list("kind", "action"))
    assert ("urge", "") in rules
    assert ("transition", "default_approve") in rules
    assert (investigation.unit, investigation.rule_id) == (hall.unit, "CASE-6")
    assert Investigation.objects.filter(case=case).count() == 1


def test_case_6__item_without_default_approval__only_urging():
    hall = Hall(promised_days=2)
    case = _overdue(hall)
    services.urge_overdue_case(case_id=case.pk, actor=hall.office, at=local(2025, 10, 13, 9))
    with pytest.raises(RuleViolation) as err:
        services.approve_overdue_by_default(case_id=case.pk, actor=hall.office, at=local(2025, 10, 14, 9))
    assert err.value.rule_id == "CASE-6"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    assert not Investigation.objects.exists()


def test_case_6__not_yet_overdue__cannot_urge():
    hall = Hall(promised_days=2)
    case = _overdue(hall)
    with pytest.raises(RuleViolation):
        services.urge_overdue_case(case_id=case.pk, actor=hall.office, at=local(2025, 10, 10, 9))


def test_sup_2__off_schedule_fee_raises_a_card_on_schedule_fee_charged_once():
    hall = Hall(promised_days=2)
    FeeScheduleLine.objects.create(
        item=hall.item, position=1, name="工本费", legal_basis="发改价格〔2019〕1号", amount="10.00"
    )
    case = accepted(hall, local(2025, 9, 22, 10))
    services.charge_fee(
        case_id=case.pk,
        actor=hall.staff,
        name="工本费",
        amount="10",
        receipt_no="R-001",
        at=local(2025, 9, 22, 11),
    )
    with pytest.raises(RuleViolation) as err:
        services.charge_fee(
            case_id=case.pk,
            actor=hall.staff,
            name="工本费",
            amount="10",
            receipt_no="R-002",
            at=local(2025, 9, 22, 11),
        )
    assert err.value.rule_id == "SUP-2"
    run_sweep(at=local(2025, 9, 22, 12))
    assert not Card.objects.filter(case=case, trigger="fee_off_schedule").exists()
    services.charge_fee(
        case_id=case.pk,
        actor=hall.staff,
        name="加急费",
        amount="50",
        receipt_no="R-003",
        at=local(2025, 9, 22, 12),
    )
    run_sweep(at=local(2025, 9, 22, 12, 5))
    card = Card.objects.get(case=case, trigger="fee_off_schedule")
    assert (card.colour, card.rule_id) == ("red", "SUP-2")
    assert card.evidence["fee"] == "加急费"
    assert FeeCharge.objects.filter(case=case).count() == 2
    assert FeeCharge.objects.get(receipt_no="R-003").on_schedule is False


def test_sup_2__unit_step_over_its_own_limit__card_to_the_step_unit():
    hall = Hall(promised_days=2)
    late = accepted(hall, local(2025, 9, 22, 10))
    cases.start_processing(case_id=late.pk, actor=hall.staff, at=local(2025, 9, 22, 11))
    on_time = accepted(hall, local(2025, 9, 22, 10))
    cases.start_processing(case_id=on_time.pk, actor=hall.staff, at=local(2025, 9, 22, 11))
    for step in on_time.steps.all():
        cases.complete_unit_step(step_id=step.pk, actor=hall.staff, at=local(2025, 9, 24, 17))
    # the step may use the whole promise (100 %): two working days after 09-22 → overrun from 09-25 00:00
    run_sweep(at=local(2025, 9, 24, 23, 59))
    assert not Card.objects.filter(trigger="step_overrun").exists()
    run_sweep(at=local(2025, 9, 25, 0, 0))
    card = Card.objects.get(trigger="step_overrun")
    assert card.case_id == late.pk
    assert (card.colour, card.rule_id, card.unit, card.step) == (
        "yellow",
        "SUP-2",
        hall.unit,
        late.steps.get(),
    )
    assert card.evidence["step_last_day"] == "2025-09-24"

"""帮办代办 (assisted service) and 上门服务 (home visits) as appointment kinds: Q-2 (home visits for the sick and
immobile, approval per policy), CASE-9 (who filled the forms, the visit, on the case's service log)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.cases import services as case_services
from servicehall.cases.models import CaseEvent
from servicehall.cases.tests.factories import Hall
from servicehall.core.errors import InputError, NotFound, RuleViolation
from servicehall.core.models import AuditEntry
from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory, UnitFactory
from servicehall.policy.loader import load_policy
from servicehall.queue import services as queue_services
from servicehall.queue import visit_selectors, visit_services
from servicehall.queue.models import Appointment, AssistRecord, HomeVisit, ServiceLine

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday
DAY = date(2026, 3, 4)


@pytest.fixture
def hall():
    h = Hall(materials=0)
    h.line = ServiceLine.objects.create(centre=h.centre, name="市场准入", prefix="A")
    h.line.items.add(h.item)
    return h


def request(hall, **over):
    values = dict(
        item_id=hall.item.pk, day=DAY, name="马桂兰", phone="13812345678", address="原州区中山街12号",
        ground="sick", reason="住院治疗，无法到大厅", now=NOW,
    )  # fmt: skip
    return visit_services.request_home_visit(**{**values, **over})


def use_policy(monkeypatch, **visits):
    policy = load_policy("yuanzhou-p2")
    section = policy.visits.model_copy(update=visits)
    monkeypatch.setattr(visit_services, "visits_policy", lambda centre_id: (section, policy.ref))


def test_q_2__citizen_requests_home_visit__waits_for_the_chief_rep_with_policy_recorded(hall):
    visit = request(hall)
    assert visit.status == HomeVisit.Status.REQUESTED
    assert visit.appointment.kind == Appointment.Kind.HOME_VISIT
    assert visit.via == HomeVisit.Via.CITIZEN
    assert visit.approver_role == "chief_rep"
    assert visit.policy_ref.startswith("yuanzhou-p2@")
    assert AuditEntry.objects.filter(verb="queue.home_visit.request").count() == 1


def test_q_2__ground_not_in_policy_or_too_short_reason__refused_and_nothing_written(hall, monkeypatch):
    use_policy(monkeypatch, home_visit_grounds=["sick", "immobile"])
    with pytest.raises(RuleViolation) as err:
        request(hall, ground="elderly")
    assert err.value.rule_id == "Q-2"
    with pytest.raises(InputError):
        request(hall, reason="病")
    assert not HomeVisit.objects.exists()
    assert not Appointment.objects.exists()


def test_q_2__home_visits_disabled_by_policy__refused(hall, monkeypatch):
    use_policy(monkeypatch, home_visit_enabled=False)
    with pytest.raises(RuleViolation, match="暂未开通"):
        request(hall)


def test_q_2__chief_rep_approves_assigns_staff_and_day__audited(hall):
    visit = request(hall)
    visit = visit_services.decide_home_visit(
        visit_id=visit.pk, actor=hall.chief, approve=True, assigned_staff_id=hall.colleague.pk,
        visit_day=DAY, now=NOW,
    )  # fmt: skip
    assert (visit.status, visit.assigned_staff, visit.visit_day) == (
        HomeVisit.Status.APPROVED,
        hall.colleague,
        DAY,
    )
    assert visit.decided_by == hall.chief
    entry = AuditEntry.objects.get(verb="queue.home_visit.approve")
    assert entry.before == {"status": "requested"}
    assert entry.after == {"status": "approved"}


def test_q_2__policy_names_the_centre_office__chief_rep_refused_office_approves(hall, monkeypatch):
    use_policy(monkeypatch, home_visit_approver="centre_admin")
    visit = request(hall)
    with pytest.raises(RuleViolation, match="中心管理办公室"):
        visit_services.decide_home_visit(
            visit_id=visit.pk, actor=hall.chief, approve=True, assigned_staff_id=hall.staff.pk, visit_day=DAY,
            now=NOW,
        )  # fmt: skip
    assert HomeVisit.objects.get(pk=visit.pk).status == HomeVisit.Status.REQUESTED
    visit_services.decide_home_visit(
        visit_id=visit.pk,
        actor=hall.office,
        approve=True,
        assigned_staff_id=hall.staff.pk,
        visit_day=DAY,
        now=NOW,
    )
    assert HomeVisit.objects.get(pk=visit.pk).status == HomeVisit.Status.APPROVED


def test_q_2__window_staff_and_other_units_chief_cannot_approve(hall):
    visit = request(hall)
    other_chief = StaffFactory(unit=UnitFactory(centre=hall.centre), role=Staff.Role.CHIEF_REP)
    for actor in (hall.staff, other_chief):
        with pytest.raises(NotFound):  # not theirs to see: existence is not revealed (ORG-1)
            visit_services.decide_home_visit(
                visit_id=visit.pk, actor=actor, approve=False, note="不符合条件", now=NOW
            )
    assert HomeVisit.objects.get(pk=visit.pk).status == HomeVisit.Status.REQUESTED


def test_q_2__refusal_needs_a_reason_and_cancels_the_appointment(hall):
    visit = request(hall)
    with pytest.raises(InputError):
        visit_services.decide_home_visit(visit_id=visit.pk, actor=hall.chief, approve=False, note="", now=NOW)
    visit_services.decide_home_visit(
        visit_id=visit.pk, actor=hall.chief, approve=False, note="可由家属代办", now=NOW
    )
    visit.refresh_from_db()
    assert visit.status == HomeVisit.Status.REJECTED
    assert visit.appointment.status == Appointment.Status.CANCELLED


def test_q_2_case_9__assigned_staff_records_the_visit_linked_to_the_case_timeline(hall):
    case = case_services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="马桂兰", applicant_phone="13812345678", at=NOW
    )
    visit = request(hall)
    visit_services.decide_home_visit(
        visit_id=visit.pk,
        actor=hall.chief,
        approve=True,
        assigned_staff_id=hall.staff.pk,
        visit_day=DAY,
        now=NOW,
    )
    visit = visit_services.record_home_visit(
        visit_id=visit.pk, actor=hall.staff, work_done="上门核验身份并代为填写申请表", materials_collected="身份证复印件",
        signature_name="马桂兰", result="accepted", case_number=case.number, now=NOW,
    )  # fmt: skip
    assert (visit.status, visit.case, visit.signature_name) == (HomeVisit.Status.DONE, case, "马桂兰")
    event = CaseEvent.objects.get(case=case, kind="home_visit")
    assert "上门" in event.reason
    assert event.actor == hall.staff
    assert event.rule_id == "CASE-9"
    assert AuditEntry.objects.filter(verb="queue.home_visit.record").count() == 1


def test_q_2__record_only_after_approval_and_only_by_the_assigned_staff(hall):
    visit = request(hall)
    with pytest.raises(RuleViolation):
        visit_services.record_home_visit(visit_id=visit.pk, actor=hall.chief, work_done="x", materials_collected="",
                                         signature_name="马", result="done", now=NOW)  # fmt: skip
    visit_services.decide_home_visit(
        visit_id=visit.pk,
        actor=hall.chief,
        approve=True,
        assigned_staff_id=hall.staff.pk,
        visit_day=DAY,
        now=NOW,
    )
    with pytest.raises(NotFound):  # a colleague not assigned does not even see it
        visit_services.record_home_visit(visit_id=visit.pk, actor=hall.colleague, work_done="x",
                                         materials_collected="", signature_name="马", result="done", now=NOW)  # fmt: skip
    assert HomeVisit.objects.get(pk=visit.pk).status == HomeVisit.Status.APPROVED


def test_q_2__home_visit_is_never_a_no_show_nor_a_kiosk_check_in(hall):
    visit = request(hall, day=date(2026, 3, 2))
    assert (
        queue_services.record_no_shows(now=datetime(2026, 3, 2, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))) == 0
    )
    with pytest.raises(NotFound):
        queue_services.check_in(code=visit.appointment.code, now=NOW)


def test_q_2__assisted_service_is_an_appointment_kind_with_the_slot_rules(hall, monkeypatch):
    appt = visit_services.book_assisted_service(
        line_id=hall.line.pk, day=DAY, slot_start=time(9, 0), name="马桂兰", phone="13812345678", now=NOW
    )
    assert appt.kind == Appointment.Kind.ASSISTED
    assert appt.status == Appointment.Status.BOOKED
    with pytest.raises(InputError):  # the ordinary slot rules still apply
        visit_services.book_assisted_service(
            line_id=hall.line.pk, day=DAY, slot_start=time(3, 0), name="马", phone="13812345678", now=NOW
        )
    use_policy(monkeypatch, assisted_service_enabled=False)
    with pytest.raises(RuleViolation, match="帮办代办"):
        visit_services.book_assisted_service(
            line_id=hall.line.pk, day=DAY, slot_start=time(9, 30), name="马", phone="13912345678", now=NOW
        )


def test_case_9__assisted_registration_records_the_helper_on_the_case(hall):
    appt = visit_services.book_assisted_service(
        line_id=hall.line.pk, day=DAY, slot_start=time(9, 0), name="马桂兰", phone="13812345678", now=NOW
    )
    case = case_services.register_case(actor=hall.staff, item=hall.item, applicant_name="马桂兰", at=NOW)
    record = visit_services.record_assisted_service(
        case_number=case.number, actor=hall.staff, forms="食品经营许可申请书", appointment_code=appt.code.lower(),
        now=NOW,
    )  # fmt: skip
    assert (record.helper, record.case, record.appointment) == (hall.staff, case, appt)
    event = CaseEvent.objects.get(case=case, kind="assisted")
    assert "王受理" in event.reason
    assert "食品经营许可申请书" in event.reason
    assert AuditEntry.objects.filter(verb="queue.assisted.record").count() == 1


def test_case_9__assisted_record_on_a_case_outside_scope__refused_nothing_written(hall):
    case = case_services.register_case(actor=hall.colleague, item=hall.item, applicant_name="马桂兰", at=NOW)
    with pytest.raises(
        InputError, match="不存在或无权查看"
    ):  # window staff see their own cases (INT-2 default)
        visit_services.record_assisted_service(
            case_number=case.number, actor=hall.staff, forms="申请书", now=NOW
        )
    assert not AssistRecord.objects.exists()


def test_q_2__lists_scoped_window_staff_see_only_their_visits(hall):
    mine, other = request(hall), request(hall, name="李某", phone="13912345678")
    visit_services.decide_home_visit(
        visit_id=mine.pk,
        actor=hall.chief,
        approve=True,
        assigned_staff_id=hall.staff.pk,
        visit_day=DAY,
        now=NOW,
    )
    assert list(visit_selectors.home_visits(viewer=hall.staff)) == [mine]
    assert set(visit_selectors.home_visits(viewer=hall.chief)) == {mine, other}
    outsider = StaffFactory(unit=UnitFactory(), role=Staff.Role.CHIEF_REP)
    assert list(visit_selectors.home_visits(viewer=outsider)) == []


def test_q_2__public_request_page_and_api(client, hall, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    url = reverse("queue:home_visit_request", args=[hall.centre.code])
    assert "申请上门服务" in client.get(url).content.decode()
    bad = client.post(url, {"item_id": hall.item.pk, "ground": "sick", "reason": "病", "name": "马", "phone": "1",
                            "address": "x", "day": "2026-03-04"})  # fmt: skip
    assert bad.status_code == 400
    assert not HomeVisit.objects.exists()
    body = client.post(
        "/api/queue/visits/home",
        {"item_id": hall.item.pk, "day": DAY.isoformat(), "name": "马桂兰", "phone": "13812345678",
         "address": "中山街12号", "ground": "sick", "reason": "住院治疗，无法到大厅"},
        content_type="application/json",
    )  # fmt: skip
    assert body.status_code == 201
    assert body.json()["status"] == "requested"
    assert body.json()["approver_role"] == "chief_rep"
    late = client.post(
        "/api/queue/visits/home",
        {"item_id": hall.item.pk, "day": "2026-06-01", "name": "马桂兰", "phone": "13812345678",
         "address": "中山街12号", "ground": "sick", "reason": "住院治疗，无法到大厅"},
        content_type="application/json",
    )  # fmt: skip
    assert (late.status_code, late.json()["rule_id"]) == (409, "Q-2")

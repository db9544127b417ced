"""Progress query as a timeline (CASE-10): 申报登记 → 受理 → 审查 → 办结 with dates; a provisional promised day
(CASE-5, the year's holiday notice not yet loaded) is marked 暂定."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from servicehall.cases import selectors, services
from servicehall.cases.models import Case
from servicehall.cases.tests.factories import Hall, local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hall():
    return Hall(materials=0)


def register(hall: Hall) -> Case:
    return services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="欧阳娜娜", applicant_phone="13812345678",
        at=local(2025, 9, 30, 10),
    )  # fmt: skip


def states(case: Case) -> list[tuple[str, str]]:
    case.refresh_from_db()
    return [(s.name, s.state) for s in selectors.progress_stages(case)]


def test_case_10__registered_case__acceptance_is_the_current_stage(hall):
    case = register(hall)
    assert states(case) == [
        ("申报登记", "done"),
        ("受理", "current"),
        ("审查", "pending"),
        ("办结", "pending"),
    ]


def test_case_10__accepted_case__review_current_and_promised_day_on_the_last_stage(hall):
    case = services.accept_case(case_id=register(hall).pk, actor=hall.staff, at=local(2025, 9, 30, 11))
    assert states(case) == [("申报登记", "done"), ("受理", "done"), ("审查", "current"), ("办结", "pending")]
    last = selectors.progress_stages(case)[-1]
    assert last.on == case.due_on is not None
    assert last.provisional is False


def test_case_10__concluded_case__every_stage_done_with_the_conclusion_day(hall):
    case = services.accept_case(case_id=register(hall).pk, actor=hall.staff, at=local(2025, 9, 30, 11))
    services.start_processing(case_id=case.pk, actor=hall.staff, at=local(2025, 10, 9, 9))
    for step in case.steps.all():
        services.complete_unit_step(step_id=step.pk, actor=hall.staff, at=local(2025, 10, 9, 10))
    case = services.conclude_case(
        case_id=case.pk, actor=hall.staff, outcome="approved", at=local(2025, 10, 10, 9)
    )
    stages = selectors.progress_stages(case)
    assert [s.state for s in stages] == ["done"] * 4
    assert stages[-1].on.isoformat() == "2025-10-10"
    assert stages[1].on.isoformat() == "2025-09-30"


def test_case_10_case_5__provisional_due_day_is_marked_provisional_on_the_page(client, hall):
    case = services.accept_case(case_id=register(hall).pk, actor=hall.staff, at=local(2025, 9, 30, 11))
    Case.objects.filter(pk=case.pk).update(due_provisional=True)
    html = client.post(reverse("cases:progress"), {"number": case.number, "code": "5678"}).content.decode()
    assert 'class="progress-timeline"' in html
    assert 'aria-current="step"' in html
    assert "暂定" in html.split('class="progress-timeline"')[1].split("</ol>")[0]
    for name in ("申报登记", "受理", "审查", "办结"):
        assert name in html


def test_case_10__api_progress_returns_the_stages(client, hall):
    case = services.accept_case(case_id=register(hall).pk, actor=hall.staff, at=local(2025, 9, 30, 11))
    body = client.post(
        "/api/cases/progress", {"number": case.number, "code": "5678"}, content_type="application/json"
    ).json()
    assert [(s["name"], s["state"]) for s in body["stages"]] == [
        ("申报登记", "done"), ("受理", "done"), ("审查", "current"), ("办结", "pending"),
    ]  # fmt: skip
    assert body["stages"][-1]["on"] == case.due_on.isoformat()

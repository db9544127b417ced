"""Public criticism (通报批评) and off-post training (离岗培训), EVAL-6 (seed 002/篇7 §七(三))."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from servicehall.accountability.criticisms import (
    excellence_eligibility,
    in_training,
    issue_criticism,
    start_training_period,
)
from servicehall.accountability.models import AccountabilityEvent, Criticism
from servicehall.core.errors import Forbidden, InputError
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    centre = CentreFactory(name="原州区政务服务中心")
    unit = UnitFactory(centre=centre, name="税务局")
    return {
        "alice": StaffFactory(centre=centre, unit=unit, with_user=True, staff_no="A1", name="王芳"),
        "bob": StaffFactory(centre=centre, unit=unit, with_user=True, staff_no="A2", name="李强"),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }


def criticise(world, who: str, on: date) -> Criticism:
    return issue_criticism(
        actor=world["office"].user,
        staff=world[who],
        issued_on=on,
        rule="窗口行为规范第六条",
        facts="工作时间玩手机游戏",
    )


def test_eval_6__three_criticisms_in_a_year__ineligible_for_the_excellence_award(world):
    """EVAL-6: 累计三次以上通报批评者, 取消年终评优资格 — three (以上 includes three) make a person ineligible."""
    for month in (2, 5):
        criticise(world, "alice", date(2026, month, 3))
    two = excellence_eligibility(staff=world["alice"], year=2026)
    assert two.eligible is True
    assert (two.criticisms, two.limit) == (2, 3)
    criticise(world, "alice", date(2026, 9, 1))
    three = excellence_eligibility(staff=world["alice"], year=2026)
    assert three.eligible is False
    assert three.criticisms == 3
    assert excellence_eligibility(staff=world["bob"], year=2026).eligible is True


def test_eval_6__criticisms_of_another_year__do_not_count_in_the_calendar_year(world):
    """EVAL-6: the presets count the calendar year of the award."""
    criticise(world, "alice", date(2025, 12, 30))
    criticise(world, "alice", date(2026, 1, 5))
    criticise(world, "alice", date(2026, 1, 6))
    assert excellence_eligibility(staff=world["alice"], year=2026).eligible is True
    assert excellence_eligibility(staff=world["alice"], year=2025).criticisms == 1


def test_eval_6__criticism_numbered_per_year_with_an_accountability_event(world):
    first = criticise(world, "alice", date(2026, 3, 1))
    second = criticise(world, "bob", date(2026, 3, 2))
    next_year = criticise(world, "bob", date(2027, 1, 2))
    assert [first.number, second.number, next_year.number] == [
        "通报〔2026〕1号",
        "通报〔2026〕2号",
        "通报〔2027〕1号",
    ]
    assert AccountabilityEvent.objects.filter(kind="criticism", rule="EVAL-6").count() == 3


def test_eval_6__window_staff_cannot_issue_and_nothing_written(world):
    with pytest.raises(Forbidden):
        issue_criticism(
            actor=world["bob"].user, staff=world["alice"], issued_on=date(2026, 3, 1), rule="x", facts="y"
        )
    assert not Criticism.objects.exists()


def test_eval_6__notice_pdf__numbered_and_served_to_the_centre(world, client):
    criticism = criticise(world, "alice", date(2026, 3, 1))
    client.force_login(world["office"].user)
    response = client.get(reverse("accountability:criticism_pdf", args=[criticism.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    page = client.get(reverse("accountability:criticisms")).content.decode()
    assert "通报〔2026〕1号" in page


def test_eval_6__training_period__three_months_with_its_end_date(world):
    """EVAL-6: a complaint with negative impact → 离岗培训三个月, tracked with its end date."""
    period = start_training_period(
        actor=world["office"].user,
        staff=world["alice"],
        starts_on=date(2026, 11, 30),
        reason="投诉造成负面影响",
    )
    assert (period.months, period.ends_on) == (3, date(2027, 2, 28))
    assert in_training(staff=world["alice"], on=date(2027, 1, 15)) == period
    assert in_training(staff=world["alice"], on=date(2027, 2, 28)) is None


def test_eval_6__training_without_reason__refused(world):
    with pytest.raises(InputError):
        start_training_period(
            actor=world["office"].user, staff=world["alice"], starts_on=date(2026, 3, 1), reason=" "
        )

"""Assessment rounds (EVAL-4, EVAL-6, ORG-2): forms, computed inputs from their domains, result sheets."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.accountability.criticisms import issue_criticism
from servicehall.assessment.models import Result
from servicehall.assessment.services import compute_round, open_round, submit_score
from servicehall.core.errors import Forbidden, InputError
from servicehall.inspections.services import record_finding
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    centre = CentreFactory(name="原州区政务服务中心")
    tax, police = UnitFactory(centre=centre, name="税务局"), UnitFactory(centre=centre, name="公安局")
    return {
        "centre": centre,
        "tax": tax,
        "alice": StaffFactory(centre=centre, unit=tax, with_user=True, staff_no="A1", name="王芳"),
        "amy": StaffFactory(centre=centre, unit=tax, with_user=True, staff_no="A2", name="刘敏"),
        "bob": StaffFactory(centre=centre, unit=police, with_user=True, staff_no="B1", name="李强"),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
        "inspector": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.SUPERVISOR, with_user=True, staff_no="J1"
        ),
    }


def year_round(world):
    return open_round(
        actor=world["office"].user, centre=world["centre"], period="year", starts_on=date(2026, 1, 1)
    )


def test_eval_4__county_preset_scores_by_the_office_only__peer_refused(world):
    """EVAL-4: 篇2 has the centre office assess; the peer form is not offered by that policy."""
    rnd = year_round(world)
    with pytest.raises(InputError):
        submit_score(
            actor=world["amy"].user, round_id=rnd.pk, subject=world["alice"], method="peer", value=Decimal(85)
        )


def test_eval_4__peer_score__within_the_unit_only(world, settings):
    """EVAL-4: seed 000 — self, peer (own unit, anonymous) and office scores."""
    settings.SERVICEHALL_DEFAULT_PRESET = "centre-000"
    rnd = year_round(world)
    submit_score(
        actor=world["amy"].user, round_id=rnd.pk, subject=world["alice"], method="peer", value=Decimal(85)
    )
    with pytest.raises(Forbidden):
        submit_score(
            actor=world["bob"].user, round_id=rnd.pk, subject=world["alice"], method="peer", value=Decimal(85)
        )
    with pytest.raises(Forbidden):
        submit_score(
            actor=world["amy"].user, round_id=rnd.pk, subject=world["alice"], method="self", value=Decimal(85)
        )
    with pytest.raises(InputError):
        submit_score(
            actor=world["alice"].user,
            round_id=rnd.pk,
            subject=world["alice"],
            method="self",
            value=Decimal(101),
        )


def test_eval_4__period_not_in_policy__refused(world):
    with pytest.raises(InputError):
        open_round(
            actor=world["office"].user, centre=world["centre"], period="month", starts_on=date(2026, 3, 1)
        )


def test_eval_4__result_sheet__every_input_with_weight_and_source_links(world):
    """EVAL-4: the sheet lists every policy input; a finding and a criticism link to their records."""
    rnd = year_round(world)
    finding = record_finding(
        actor=world["inspector"].user,
        staff=world["alice"],
        found_at=timezone.make_aware(datetime.combine(date(2026, 3, 12), time(9, 0))),
        inspection_kind="patrol",
        finder_level="centre",
        prohibition_code="eating",
    )
    submit_score(
        actor=world["office"].user,
        round_id=rnd.pk,
        subject=world["alice"],
        method="centre_office",
        value=Decimal(95),
    )
    compute_round(actor=world["office"].user, round_id=rnd.pk, today=date(2026, 1, 1))
    sheet = Result.objects.get(round=rnd, staff=world["alice"])
    codes = [line["code"] for line in sheet.lines]
    assert codes == list(_policy_weights())
    findings = next(line for line in sheet.lines if line["code"] == "findings")
    assert (findings["value"], findings["weight"], findings["points"]) == (1.0, -3.0, -3.0)
    assert findings["sources"][0]["url"] == reverse("inspections:detail", args=[finding.pk])
    satisfaction = next(line for line in sheet.lines if line["code"] == "satisfaction")
    assert satisfaction["value"] is None  # no ratings installed: absent, the score still computes
    assert float(sheet.total) == 92.0
    assert sheet.grade == "excellent"


def test_eval_6__three_criticisms__annual_round_shows_ineligible_and_caps_the_grade(world):
    """EVAL-6 scenario: three 通报批评 make a person ineligible for the excellence award, shown in assessment."""
    rnd = year_round(world)
    for month in (2, 4, 6):
        issue_criticism(
            actor=world["office"].user,
            staff=world["bob"],
            issued_on=date(2026, month, 1),
            rule="窗口行为规范",
            facts="串岗聊天",
        )
    for person in ("alice", "bob"):
        submit_score(
            actor=world["office"].user,
            round_id=rnd.pk,
            subject=world[person],
            method="centre_office",
            value=Decimal(100),
        )
    compute_round(actor=world["office"].user, round_id=rnd.pk, today=date(2026, 1, 1))
    bob = Result.objects.get(round=rnd, staff=world["bob"])
    assert bob.excellence_eligible is False
    assert bob.criticisms == 3
    assert float(bob.total) == 70.0
    assert bob.grade == "qualified"
    assert any("取消年终评优资格" in n for n in bob.notes)
    assert Result.objects.get(round=rnd, staff=world["alice"]).excellence_eligible is True


def test_org_2__annual_result_per_unit__pdf_and_excel(world, client):
    rnd = year_round(world)
    compute_round(actor=world["office"].user, round_id=rnd.pk, today=date(2026, 1, 1))
    client.force_login(world["office"].user)
    pdf = client.get(reverse("assessment:unit_export", args=[rnd.pk, world["tax"].pk, "pdf"]))
    xlsx = client.get(reverse("assessment:unit_export", args=[rnd.pk, world["tax"].pk, "xlsx"]))
    assert pdf.content.startswith(b"%PDF")
    assert xlsx.content.startswith(b"PK")
    client.force_login(world["alice"].user)
    assert (
        client.get(reverse("assessment:unit_export", args=[rnd.pk, world["tax"].pk, "pdf"])).status_code
        == 404
    )
    assert client.get(reverse("assessment:sheet", args=[rnd.pk, world["bob"].pk])).status_code == 404


def _policy_weights():
    from servicehall.policy.loader import load_policy

    return load_policy("yuanzhou-p2").evaluation.assessment.weights

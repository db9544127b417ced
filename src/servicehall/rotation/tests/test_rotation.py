"""Rotation of window staff (窗口人员轮换), ORG-5 (002 篇1 §十.7–§十.10)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory
from servicehall.policy.loader import load_policy
from servicehall.rotation.models import Application, Posting
from servicehall.rotation.rules import check_application
from servicehall.rotation.selectors import posting_history
from servicehall.rotation.services import (
    complete_handover,
    reply_application,
    return_unfit,
    submit_application,
)

POLICY = load_policy("yuanzhou-p2").organisation.rotation
NEW_YEAR = date(2027, 1, 1)
CANDIDATE = {
    "name": "赵新",
    "gender": "女",
    "age": "28",
    "education": "本科",
    "political_status": "中共党员",
    "department": "审批科",
    "position": "科员",
    "years_of_work": "5",
    "phone": "13800000000",
}


def test_org_5__application_on_12_20__regular():
    """ORG-5: 12月20日前 — the 20th itself is in time."""
    check = check_application(
        POLICY, submitted_on=date(2026, 12, 20), handover_on=NEW_YEAR, special_letter=False
    )
    assert (check.allowed, check.reason) == (True, "regular")


def test_org_5__application_on_12_21__late_without_special_letter__refused():
    check = check_application(
        POLICY, submitted_on=date(2026, 12, 21), handover_on=NEW_YEAR, special_letter=False
    )
    assert (check.allowed, check.reason, check.deadline) == (False, "late", date(2026, 12, 20))
    with_letter = check_application(
        POLICY, submitted_on=date(2026, 12, 21), handover_on=NEW_YEAR, special_letter=True
    )
    assert with_letter.allowed is True


def test_org_5__mid_year_change__needs_the_special_letter():
    check = check_application(
        POLICY, submitted_on=date(2026, 5, 3), handover_on=date(2026, 6, 1), special_letter=False
    )
    assert (check.allowed, check.reason) == (False, "mid_year")


@pytest.fixture
def world(db):
    centre = CentreFactory()
    unit = UnitFactory(centre=centre, name="市场监管局")
    return {
        "unit": unit,
        "old": StaffFactory(
            centre=centre, unit=unit, staff_no="M1", name="钱旧", posted_from=date(2025, 1, 1)
        ),
        "new": StaffFactory(centre=centre, unit=unit, staff_no="M2", name="赵新"),
        "chief": StaffFactory(
            centre=centre, unit=unit, role=Staff.Role.CHIEF_REP, with_user=True, staff_no="M0"
        ),
        "office": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }


def apply(world, submitted_on: date, **extra) -> Application:
    return submit_application(
        actor=world["chief"].user,
        unit=world["unit"],
        letter_no="市监函〔2026〕12号",
        submitted_on=submitted_on,
        handover_on=extra.pop("handover_on", NEW_YEAR),
        outgoing=world["old"],
        reason="派驻期满",
        candidate=CANDIDATE,
        **extra,
    )


def test_org_5__application_after_12_20_without_special_letter__refused_nothing_written(world):
    """ORG-5 scenario: a rotation application after 12-20 is refused without a special letter."""
    with pytest.raises(RuleViolation) as err:
        apply(world, date(2026, 12, 22))
    assert err.value.rule_id == "ORG-5"
    assert "12月20日" in err.value.message
    assert not Application.objects.exists()
    late = apply(world, date(2026, 12, 22), special_letter=True, special_letter_signer="局长 孙某")
    assert late.check_reason == "late"


def test_org_5__letter_reply_handover__posting_history_on_the_staff_record(world):
    """ORG-5: letter by 12-20 → centre's reply → handover on 01-01; the postings show both people."""
    app = apply(world, date(2026, 12, 10))
    with pytest.raises(RuleViolation):
        complete_handover(actor=world["office"].user, application_id=app.pk, incoming=world["new"])
    reply_application(
        actor=world["office"].user,
        application_id=app.pk,
        approve=True,
        reply_no="中心函〔2026〕5号",
        replied_on=date(2026, 12, 15),
    )
    complete_handover(actor=world["office"].user, application_id=app.pk, incoming=world["new"])
    world["old"].refresh_from_db()
    assert world["old"].posted_until == date(2026, 12, 31)
    [old_posting] = posting_history(viewer=world["office"].user, staff=world["old"])
    assert (old_posting.ended_on, old_posting.ended_by) == (date(2026, 12, 31), Posting.Ended.ROTATION)
    [new_posting] = posting_history(viewer=world["office"].user, staff=world["new"])
    assert new_posting.started_on == NEW_YEAR


def test_org_5__candidate_details_missing__input_error_names_the_field(world):
    with pytest.raises(InputError) as err:
        submit_application(
            actor=world["chief"].user,
            unit=world["unit"],
            letter_no="x",
            submitted_on=date(2026, 12, 1),
            handover_on=NEW_YEAR,
            reason="r",
            candidate={**CANDIDATE, "education": ""},
        )
    assert err.value.where == "candidate.education"


def test_org_5__unfit_staff_returned_with_reasons(world):
    posting = return_unfit(
        actor=world["office"].user,
        staff=world["old"],
        returned_on=date(2026, 7, 1),
        reasons="多次违反纪律，不服从管理",
    )
    assert posting.ended_by == Posting.Ended.UNFIT
    assert "不服从管理" in posting.reasons
    with pytest.raises(Forbidden):
        return_unfit(actor=world["chief"].user, staff=world["new"], returned_on=date(2026, 7, 1), reasons="x")


def test_org_5__pages__apply_and_see_history(world, client):
    client.force_login(world["chief"].user)
    data = {
        "unit": world["unit"].pk,
        "letter_no": "函1",
        "submitted_on": "2026-12-25",
        "handover_on": "2027-01-01",
        "outgoing": world["old"].pk,
        "reason": "期满",
        **{f"candidate_{k}": v for k, v in CANDIDATE.items()},
    }
    page = client.post(reverse("rotation:applications"), data).content.decode()
    assert "须附部门主要领导签发的特别函件" in page
    assert not Application.objects.exists()
    response = client.post(reverse("rotation:applications"), {**data, "submitted_on": "2026-12-18"})
    assert response.status_code == 302
    client.force_login(world["office"].user)
    assert "钱旧" in client.get(reverse("rotation:staff", args=[world["old"].pk])).content.decode()

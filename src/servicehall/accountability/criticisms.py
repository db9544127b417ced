"""Public criticism (通报批评) and off-post training (离岗培训), EVAL-6 (seed 002/篇7 §七(三)).

A criticism is numbered per centre and year and records one accountability event; `criticisms_blocking_excellence`
or more in a calendar year (policy) make the person ineligible for the annual excellence award (取消年终评优资格).
A complaint with negative impact can start `negative_impact_training_months` of off-post training.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from servicehall.accountability.models import Criticism, TrainingPeriod
from servicehall.accountability.services import record_accountability_event
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError
from servicehall.core.roles import Role, require_role, staff_of
from servicehall.org.models import Centre, Staff
from servicehall.policy_versions.selectors import policy_for_centre

ISSUER_ROLES = (Role.CENTRE_ADMIN, Role.SUPERVISOR)


def _user(actor: Any) -> Any | None:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def _same_centre(actor: Any, staff: Staff) -> None:
    me = staff_of(actor)
    if me is not None and me.centre_id != staff.centre_id:
        raise Forbidden("只能处理本中心的人员")


@transaction.atomic
def issue_criticism(*, actor: Any, staff: Staff, issued_on: date, rule: str, facts: str) -> Criticism:
    """Issue a numbered 通报批评 (EVAL-6); the number is the next of the centre's year."""
    require_role(actor, *ISSUER_ROLES)
    _same_centre(actor, staff)
    if not rule.strip():
        raise InputError("rule", "请填写所违反的规定")
    if not facts.strip():
        raise InputError("facts", "请填写事实")
    policy = policy_for_centre(centre_id=staff.centre_id, on=issued_on)
    # the centre row serialises numbering, so two issuers never take the same number
    Centre.objects.select_for_update().filter(pk=staff.centre_id).first()
    taken = Criticism.objects.filter(centre_id=staff.centre_id, year=issued_on.year).aggregate(m=Max("seq"))[
        "m"
    ]
    criticism = Criticism.objects.create(
        centre_id=staff.centre_id,
        staff=staff,
        year=issued_on.year,
        seq=(taken or 0) + 1,
        issued_on=issued_on,
        rule=rule.strip(),
        facts=facts.strip(),
        issued_by=_user(actor),
        policy_ref=policy.ref,
    )
    record_accountability_event(
        source=criticism,
        kind="criticism",
        occurred_on=issued_on,
        rule="EVAL-6",
        centre_id=staff.centre_id,
        staff_id=staff.pk,
        unit_id=staff.unit_id,
        summary=f"{criticism.number} {rule}"[:200],
        actor=actor,
    )
    record_audit(
        actor=actor,
        verb="accountability.criticism.issue",
        target=criticism,
        data={"number": criticism.number},
    )
    return criticism


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether a person may receive the annual excellence award (年终评优资格), with the facts used."""

    eligible: bool
    criticisms: int
    limit: int
    year: int
    rule: str = "EVAL-6"

    def __bool__(self) -> bool:
        raise TypeError("Eligibility has no truth value; read .eligible")


def excellence_eligibility(*, staff: Staff, year: int) -> Eligibility:
    """EVAL-6: `criticisms_blocking_excellence` or more criticisms (以上: inclusive) → ineligible."""
    policy = policy_for_centre(centre_id=staff.centre_id, on=date(year, 12, 31))
    limit = policy.evaluation.criticisms_blocking_excellence
    qs = Criticism.objects.filter(staff=staff, issued_on__lte=date(year, 12, 31))
    if policy.evaluation.criticisms_counted_over == "calendar_year":
        qs = qs.filter(year=year)
    count = qs.count()
    return Eligibility(eligible=count < limit, criticisms=count, limit=limit, year=year)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def start_training_period(
    *, actor: Any, staff: Staff, starts_on: date, reason: str, complaint_ref: str = ""
) -> TrainingPeriod:
    """Start off-post training after a complaint with negative impact; the end date follows the policy."""
    require_role(actor, *ISSUER_ROLES)
    _same_centre(actor, staff)
    if not reason.strip():
        raise InputError("reason", "请填写事由")
    policy = policy_for_centre(centre_id=staff.centre_id, on=starts_on)
    months = policy.evaluation.negative_impact_training_months
    if months == 0:
        raise InputError("starts_on", "本中心政策未设离岗培训 (EVAL-6: negative_impact_training_months = 0)")
    period = TrainingPeriod.objects.create(
        centre_id=staff.centre_id,
        staff=staff,
        starts_on=starts_on,
        ends_on=_add_months(starts_on, months),
        months=months,
        reason=reason.strip(),
        complaint_ref=complaint_ref.strip(),
        started_by=_user(actor),
        policy_ref=policy.ref,
    )
    record_audit(actor=actor, verb="accountability.training.start", target=period, data={"months": months})
    return period


def in_training(*, staff: Staff, on: date) -> TrainingPeriod | None:
    """The training period covering `on` (ends_on exclusive), if any."""
    return TrainingPeriod.objects.filter(staff=staff, starts_on__lte=on, ends_on__gt=on).first()

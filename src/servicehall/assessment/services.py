"""Writes of assessment (EVAL-4): open a round, score through forms, compute the result sheets."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.accountability.criticisms import excellence_eligibility
from servicehall.assessment import inputs
from servicehall.assessment.models import Result, Round, Score
from servicehall.assessment.scoring import grade, score
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.roles import Role, require_role, staff_of
from servicehall.org.models import Centre, Staff
from servicehall.policy_versions.selectors import policy_for_centre

PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
METHOD_POLICY = {"self": "self", "peer": "peer", "centre_office": "centre_office"}


def _user(actor: Any) -> Any | None:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def period_bounds(period: str, starts_on: date) -> tuple[date, date, str]:
    months = PERIOD_MONTHS[period]
    if (starts_on.month - 1) % months or starts_on.day != 1:
        raise InputError("starts_on", "考核周期须从周期首日开始（如季度从1、4、7、10月1日开始）")
    last_month = starts_on.month + months - 1
    ends_on = date(starts_on.year, last_month, calendar.monthrange(starts_on.year, last_month)[1])
    n = (starts_on.month - 1) // months + 1
    label = {
        "month": f"{starts_on.year}年{starts_on.month}月考核",
        "quarter": f"{starts_on.year}年第{n}季度考核",
        "half_year": f"{starts_on.year}年{'上' if n == 1 else '下'}半年考核",
        "year": f"{starts_on.year}年度考核",
    }[period]
    return starts_on, ends_on, label


@transaction.atomic
def open_round(*, actor: Any, centre: Centre, period: str, starts_on: date) -> Round:
    """Open a round for one of the policy's assessment periods (EVAL-4)."""
    me = require_role(actor, Role.CENTRE_ADMIN)
    if me is not None and me.centre_id != centre.pk:
        raise Forbidden("只能为本中心开设考核")
    policy = policy_for_centre(centre_id=centre.pk, on=starts_on)
    if period not in policy.evaluation.assessment_periods:
        raise InputError("period", "本中心政策不设该考核周期 (EVAL-4)")
    start, end, label = period_bounds(period, starts_on)
    if Round.objects.filter(centre=centre, period=period, starts_on=start).exists():
        raise InputError("starts_on", "该周期的考核已开设")
    rnd = Round.objects.create(
        centre=centre,
        period=period,
        label=label,
        starts_on=start,
        ends_on=end,
        policy_ref=policy.ref,
        created_by=_user(actor),
    )
    record_audit(actor=actor, verb="assessment.round.open", target=rnd, data={"period": period})
    return rnd


@transaction.atomic
def submit_score(*, actor: Any, round_id: int, subject: Staff, method: str, value: Decimal) -> Score:
    """A self, peer (same unit, anonymous) or office score, 0–100; a second submission replaces the first."""
    me = staff_of(actor)
    if me is None:
        raise Forbidden("需要工作人员账号")
    rnd = Round.objects.get(pk=round_id)
    if rnd.centre_id != me.centre_id or subject.centre_id != rnd.centre_id:
        raise Forbidden("只能为本中心人员评分")
    policy = policy_for_centre(centre_id=rnd.centre_id, on=rnd.starts_on)
    if method not in policy.evaluation.assessment_methods:
        raise InputError("method", "本中心政策不采用该评分方式 (EVAL-4)")
    if not Decimal(0) <= value <= Decimal(100):
        raise InputError("value", "分数须在0到100之间")
    if method == Score.Method.SELF and me.pk != subject.pk:
        raise Forbidden("自评只能评自己")
    if method == Score.Method.PEER:
        if me.pk == subject.pk:
            raise InputError("subject", "互评不能评自己")
        if policy.evaluation.assessment.peer_within_unit and me.unit_id != subject.unit_id:
            raise Forbidden("互评限本单位人员 (EVAL-4)")
    if method == Score.Method.OFFICE and me.role != Role.CENTRE_ADMIN:
        raise Forbidden("中心办公室评定由中心管理办公室填写")
    obj, _ = Score.objects.update_or_create(
        round=rnd,
        subject=subject,
        rater=me,
        method=method,
        defaults={"value": value, "centre_id": rnd.centre_id},
    )
    # the rater of a peer score is not written to the audit data either: 互评 is anonymous
    record_audit(actor=actor, verb="assessment.score", target=rnd, data={"method": method})
    return obj


def assessed_staff(rnd: Round) -> list[Staff]:
    return list(
        Staff.objects.filter(
            centre_id=rnd.centre_id, is_active=True, role__in=(Role.WINDOW_STAFF, Role.CHIEF_REP)
        )
        .exclude(unit=None)
        .select_related("unit")
        .order_by("unit_id", "staff_no")
    )


@transaction.atomic
def compute_round(*, actor: Any, round_id: int, today: date | None = None) -> list[Result]:
    """Compute every person's result sheet (EVAL-4): inputs from their domains, weights from the policy."""
    me = require_role(actor, Role.CENTRE_ADMIN)
    rnd = Round.objects.select_for_update().get(pk=round_id)
    if me is not None and me.centre_id != rnd.centre_id:
        raise Forbidden("只能计算本中心的考核")
    policy = policy_for_centre(centre_id=rnd.centre_id, on=rnd.starts_on)
    weights = policy.evaluation.assessment
    staff = assessed_staff(rnd)
    if not staff:
        raise RuleViolation("EVAL-4", "没有需要考核的人员")
    ids = [s.pk for s in staff]
    today = today or timezone.localdate()
    start, end = rnd.starts_on, rnd.ends_on
    forms: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for sc in Score.objects.filter(round=rnd):
        forms[(sc.subject_id, sc.method)].append(sc.value)
    absence, lates, att_links = inputs.attendance_inputs(staff, start, end, today)
    card_kind, complaint_kind = inputs.event_kinds()
    cards, card_links = inputs.event_inputs(rnd.centre_id, start, end, card_kind)
    complaints, complaint_links = inputs.event_inputs(rnd.centre_id, start, end, complaint_kind)
    findings, finding_links = inputs.finding_inputs(ids, start, end)
    criticisms, criticism_links = inputs.criticism_inputs(ids, start, end)
    study, study_links = inputs.study_inputs(ids, start, end)
    satisfaction, satisfaction_links = inputs.satisfaction_inputs(actor, ids, start, end)
    score_link = f"/assessment/{rnd.pk}/"
    sheets, eligibility = {}, {}
    for person in staff:
        values: dict[str, float | None] = {}
        sources: dict[str, list[inputs.Source]] = {}
        for method, code in (("self", "self"), ("peer", "peer"), ("centre_office", "office")):
            given = forms.get((person.pk, method))
            values[code] = float(sum(given) / len(given)) if given else None
            if given:
                sources[code] = [inputs.Source(f"{len(given)} 份评分表", score_link)]
        values["satisfaction"] = satisfaction.get(person.pk)
        values["absence_days"] = absence.get(person.pk, 0.0)
        values["lates"] = lates.get(person.pk, 0.0)
        values["cards"] = cards.get(person.pk, 0.0)
        values["complaints"] = complaints.get(person.pk, 0.0)
        values["findings"] = findings.get(person.pk, 0.0)
        values["criticisms"] = criticisms.get(person.pk, 0.0)
        values["study_missed"] = study.get(person.pk, 0.0)
        for code, links in (
            ("satisfaction", satisfaction_links),
            ("absence_days", att_links),
            ("lates", att_links),
            ("cards", card_links),
            ("complaints", complaint_links),
            ("findings", finding_links),
            ("criticisms", criticism_links),
            ("study_missed", study_links),
        ):
            if links.get(person.pk):
                sources[code] = links[person.pk]
        sheets[person.pk] = score(weights, values, sources)
        eligibility[person.pk] = excellence_eligibility(staff=person, year=end.year)
    codes = [g.code for g in policy.evaluation.grades]
    labels = {g.code: g.label for g in policy.evaluation.grades}
    blocked = frozenset(pid for pid, e in eligibility.items() if not e.eligible and rnd.period == "year")
    grades = grade(weights, codes, {pid: s.total for pid, s in sheets.items()}, not_excellent=blocked)
    Result.objects.filter(round=rnd).delete()
    results = []
    for person in staff:
        sheet, elig = sheets[person.pk], eligibility[person.pk]
        notes = list(sheet.notes)
        if not elig.eligible:
            notes.append(f"本年度通报批评{elig.criticisms}次（≥{elig.limit}次），取消年终评优资格")
        results.append(
            Result(
                centre_id=rnd.centre_id,
                round=rnd,
                staff=person,
                total=Decimal(str(sheet.total)),
                grade=grades[person.pk],
                grade_label=labels[grades[person.pk]],
                lines=[
                    {
                        "code": line.code,
                        "label": line.label,
                        "rule": line.rule,
                        "value": line.value,
                        "weight": line.weight,
                        "points": line.points,
                        "sources": [{"label": s.label, "url": s.url} for s in line.sources],
                    }
                    for line in sheet.lines
                ],
                excellence_eligible=elig.eligible,
                criticisms=elig.criticisms,
                notes=notes,
            )
        )
    Result.objects.bulk_create(results)
    rnd.computed_at = timezone.now()
    rnd.save(update_fields=["computed_at"])
    record_audit(
        actor=actor,
        verb="assessment.round.compute",
        target=rnd,
        data={"people": len(results), "policy": policy.ref},
    )
    return results

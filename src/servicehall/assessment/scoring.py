"""Assessment scoring and grading (考核, EVAL-4, EVAL-7). Django-free.

Score = the weighted mean of the 0–100 inputs that are present (self, peer, office, and the citizens'
satisfaction rate — EVAL-7's share), plus points per counted item (absence days, lates, cards, valid
complaints, inspection findings, 通报批评, missed study sessions), clamped to 0..100. An input whose domain
has no data is absent: its share goes to the others, so an installation without ratings still scores.
Grades come from thresholds or a quota (policy); a person ineligible for excellence (EVAL-6) is capped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from servicehall.policy.sections.evaluation import SHARE_INPUTS, AssessmentScoring

INPUT_LABELS = {
    "self": "自评",
    "peer": "互评",
    "office": "中心办公室评定",
    "satisfaction": "群众满意率",
    "absence_days": "旷工(天)",
    "lates": "迟到早退(次)",
    "cards": "电子监察黄红牌(张)",
    "complaints": "有效投诉(件)",
    "findings": "巡查发现问题(次)",
    "criticisms": "通报批评(次)",
    "study_missed": "缺席集中学习(次)",
}
INPUT_RULES = {
    "self": "EVAL-4",
    "peer": "EVAL-4",
    "office": "EVAL-4",
    "satisfaction": "EVAL-7",
    "absence_days": "ATT-8",
    "lates": "ATT-3",
    "cards": "SUP-1",
    "complaints": "EVAL-2",
    "findings": "EVAL-3",
    "criticisms": "EVAL-6",
    "study_missed": "ATT-11",
}


@dataclass(frozen=True, slots=True)
class Source:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class InputLine:
    """One input of a result sheet: its value (None = absent), weight, points and source records."""

    code: str
    value: float | None
    weight: float
    points: float
    sources: tuple[Source, ...] = ()
    rule: str = ""

    @property
    def label(self) -> str:
        return INPUT_LABELS.get(self.code, self.code)


@dataclass(frozen=True, slots=True)
class Sheet:
    lines: tuple[InputLine, ...]
    total: float
    notes: tuple[str, ...] = field(default=())


def score(
    policy: AssessmentScoring,
    values: Mapping[str, float | None],
    sources: Mapping[str, Sequence[Source]] | None = None,
) -> Sheet:
    """A result sheet from the input values (0–100 for shares, counts otherwise)."""
    sources = sources or {}
    present = {k: v for k, v in values.items() if k in SHARE_INPUTS and v is not None}
    share_total = sum(policy.weights.get(k, 0.0) for k in present)  # type: ignore[call-overload]  # Optional narrowing left to the domain's owner
    lines: list[InputLine] = []
    base = (
        100.0
        if share_total <= 0
        else sum(policy.weights.get(k, 0.0) * v for k, v in present.items()) / share_total  # type: ignore[call-overload]  # Optional narrowing left to the domain's owner
    )
    notes = [] if share_total > 0 else ["没有评分类输入，基础分按100分计"]
    for code in policy.weights:
        weight = policy.weights[code]
        value = values.get(code)
        if code in SHARE_INPUTS:
            effective = weight / share_total if (value is not None and share_total > 0) else 0.0
            points = round(effective * value, 2) if value is not None else 0.0
            lines.append(
                InputLine(code, value, weight, points, tuple(sources.get(code, ())), INPUT_RULES[code])
            )
        else:
            count = value or 0.0
            lines.append(
                InputLine(
                    code,
                    value,
                    weight,
                    round(weight * count, 2),
                    tuple(sources.get(code, ())),
                    INPUT_RULES[code],
                )
            )
    deductions = sum(line.points for line in lines if line.code not in SHARE_INPUTS)
    total = round(min(100.0, max(0.0, base + deductions)), 2)
    return Sheet(tuple(lines), total, tuple(notes))


def grade(
    policy: AssessmentScoring,
    grade_codes: Sequence[str],
    totals: Mapping[int, float],
    *,
    not_excellent: frozenset[int] = frozenset(),
) -> dict[int, str]:
    """Grade per person (EVAL-4). `not_excellent`: people who may not get the first grade (EVAL-6)."""
    first, last = grade_codes[0], grade_codes[-1]
    out: dict[int, str] = {}
    if policy.grading == "thresholds":
        for pid, total in totals.items():
            code = last
            for threshold, candidate in zip(policy.thresholds, grade_codes, strict=False):
                if total >= threshold:  # EVAL-4: a threshold is the grade's minimum, inclusive
                    code = candidate
                    break
            out[pid] = code
    else:
        floor = policy.thresholds[-1]
        ranked = sorted(totals, key=lambda pid: (-totals[pid], pid))
        slots = int(len(ranked) * policy.excellent_share + 1e-9)
        for pid in ranked:
            if totals[pid] < floor:
                out[pid] = last
            elif slots > 0 and pid not in not_excellent:
                out[pid], slots = first, slots - 1
            else:
                out[pid] = grade_codes[1] if len(grade_codes) > 2 else last
    for pid in not_excellent:
        if out.get(pid) == first:
            out[pid] = grade_codes[1]
    return out

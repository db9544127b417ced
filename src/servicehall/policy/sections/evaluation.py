"""Policy section `evaluation` (EVAL-1..7): citizens' ratings (好差评), complaints (投诉), inspections,
periodic assessment (考核) and the conduct bonus (行风评议奖) with its deductions."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import field_validator, model_validator

from servicehall.policy.base import PolicyRuleError, StrictModel, rule_field

Period = Literal["month", "quarter", "half_year", "year"]
AssessmentMethod = Literal["self", "peer", "centre_office"]
RatingChannel = Literal["device", "card", "phone", "web", "sms", "app"]
ComplaintChannel = Literal["hall_office", "phone", "mailbox", "web"]
FindingSource = Literal["callback", "spot_check", "visit", "inspection"]
InspectionKind = Literal["patrol", "undercover", "social_supervisor", "self_check"]
BonusPool = Literal["quarterly_bonus", "annual_bonus"]
DeductionScope = Literal["centre", "unit", "window", "person"]
UnsetAmount = Literal["warn", "refuse"]

SLUG = r"^[a-z][a-z0-9_]*$"


class RatingLevel(StrictModel):
    """One level of the citizens' rating scale (评价等级, EVAL-1)."""

    code: str = rule_field(rule="EVAL-1", doc="Stable code stored with each rating", pattern=SLUG)
    label: str = rule_field(rule="EVAL-1", doc="Label shown on the rating device (非常满意 …)", min_length=1)
    satisfied: bool = rule_field(
        rule="EVAL-1", doc="Counts as a good rating (好评) in satisfaction rates; false = bad rating (差评)"
    )


class AssessmentGrade(StrictModel):
    """One result grade of the periodic assessment (考核等级, EVAL-4)."""

    code: str = rule_field(rule="EVAL-4", doc="Stable code stored with each result", pattern=SLUG)
    label: str = rule_field(rule="EVAL-4", doc="Grade name (优秀 / 合格 / 不合格 …)", min_length=1)


class Deductions(StrictModel):
    """Conduct-bonus deduction per event, in yuan per person (每次扣除每人…元, EVAL-5)."""

    complaint: int | None = rule_field(
        None,
        rule="EVAL-5",
        doc="A valid complaint, or a disturbance caused by negligence or attitude (有效投诉 / 引发群众吵闹). "
        "Seed 000 leaves the amount blank; null = recorded without deduction until the centre sets it",
        ge=0,
    )
    street: int = rule_field(
        100, rule="EVAL-5", doc="Conduct problem found by street-level leaders (街道领导)", ge=0
    )
    district: int = rule_field(200, rule="EVAL-5", doc="Found by district-level leaders (区级领导)", ge=0)
    city: int = rule_field(300, rule="EVAL-5", doc="Found by a city-level inspection (市级部门检查)", ge=0)
    centre: int = rule_field(
        0,
        rule="EVAL-5",
        doc="Found by the centre's own inspection (中心巡查): the seed names no amount, so 0 — "
        "such a finding feeds the assessment (EVAL-4), not the bonus",
        ge=0,
    )


class ConductBonusPolicy(StrictModel):
    """Conduct bonus (行风评议奖, EVAL-5)."""

    enabled: bool = rule_field(True, rule="EVAL-5", doc="The centre pays a conduct bonus (设立行风评议奖)")
    yuan_per_month: int = rule_field(100, rule="EVAL-5", doc="Bonus per person per month (每人每月…元)", ge=0)
    paid_every: Period = rule_field(
        "quarter", rule="EVAL-5", doc="Payment rhythm (一季度发放一次): month, quarter, half_year or year"
    )
    deductions: Deductions = rule_field(Deductions, rule="EVAL-5", doc="Deduction per event by finding level")
    scope: DeductionScope = rule_field(
        "centre",
        rule="EVAL-5",
        doc="Who loses an event's amount: everyone in the centre (the seed's 扣除每人), the unit or the "
        "window of the person at fault, or that person only",
    )
    floor_each_month: bool = rule_field(
        False,
        rule="EVAL-5",
        doc="False: the period's pool stops at zero (扣完为止); True: each month's share stops at zero "
        "on its own, so a bad month does not eat the others",
    )
    unset_complaint_amount: UnsetAmount = rule_field(
        "warn",
        rule="EVAL-5",
        doc="While `deductions.complaint` is null: warn = count a complaint or disturbance as 0 and warn; "
        "refuse = refuse to compute a period that has one",
    )
    never_below_zero: bool = rule_field(
        True, rule="EVAL-5", doc="Deductions stop at zero for the period (扣完为止)"
    )
    at_fault_also_loses_from: list[BonusPool] = rule_field(
        lambda: ["quarterly_bonus", "annual_bonus"],
        rule="EVAL-5",
        doc="The person at fault also loses the same amount from these bonuses "
        "(季度奖、年终奖中再扣除相同数额); reported as a recommendation to the unit (建议有关职能部门)",
    )
    at_fault_extra_for_complaints: bool = rule_field(
        False,
        rule="EVAL-5",
        doc="The recommended extra deduction also applies to the person at fault in a complaint or "
        "disturbance (the seed names only 检查中出现问题的当事人)",
    )

    @field_validator("never_below_zero")
    @classmethod
    def _floor(cls, value: bool) -> bool:
        if not value:
            raise ValueError("EVAL-5: a conduct bonus never goes below zero (扣完为止); only true is allowed")
        return value


class RatingRules(StrictModel):
    """How ratings are taken and checked (好差评, EVAL-1): one per service, 差评 rectified, tampering flagged."""

    replace_minutes: int = rule_field(
        10,
        rule="EVAL-1",
        doc="A second rating of the same service at most this many minutes after the first replaces it "
        "(inclusive); any later one is refused (一次服务一次评价)",
        ge=0,
        le=1440,
    )
    rectification_working_days: int = rule_field(
        5,
        rule="EVAL-1",
        doc="A bad rating (差评) is classified, rectified and answered within this many working days (整改时限)",
        ge=1,
        le=60,
    )
    prompt_minutes: int = rule_field(
        30,
        rule="EVAL-1",
        doc="The rating pad at a window offers a finished ticket or concluded case for this many minutes",
        ge=1,
        le=720,
    )
    burst_max_ratings: int = rule_field(
        5,
        rule="EVAL-1",
        doc="Manipulation flag: more than this many ratings from one device or one phone ...",
        ge=1,
    )
    burst_minutes: int = rule_field(
        5,
        rule="EVAL-1",
        doc="... within this many minutes (inclusive) raise a burst flag (刷评)",
        ge=1,
        le=1440,
    )
    top_share_margin: float = rule_field(
        0.3,
        rule="EVAL-1",
        doc="Manipulation flag: a staff member whose share of the top level is more than this above "
        "their unit's share (0.3 = 30 percentage points)",
        gt=0,
        le=1,
    )
    talk_after_months_last: int = rule_field(
        2,
        rule="EVAL-7",
        doc="A window last in the monthly satisfaction ranking this many months running is listed for a "
        "talk (约谈)",
        ge=1,
        le=12,
    )


class ComplaintDeadlines(StrictModel):
    """Working days allowed for each step of a complaint (投诉处理时限, EVAL-2; GB/T 36113 flow)."""

    accept: int = rule_field(
        1, rule="EVAL-2", doc="受理: register and assign to the supervision office", ge=0
    )
    investigate: int = rule_field(5, rule="EVAL-2", doc="调查: establish the facts", ge=0)
    handle: int = rule_field(3, rule="EVAL-2", doc="处置: decide valid/invalid and correct", ge=0)
    feedback: int = rule_field(2, rule="EVAL-2", doc="反馈: tell the complainant the result", ge=0)
    archive: int = rule_field(2, rule="EVAL-2", doc="归档: file the record", ge=0)


class CallbackRules(StrictModel):
    """Replies promised to citizens who could not be served or left a suggestion (ASK-2)."""

    unserved_callback_working_days: int = rule_field(
        2,
        rule="ASK-2",
        doc="A citizen who could not be served (machine failure, 004 §八.6) is called back within this "
        "many working days",
        ge=0,
        le=30,
    )
    suggestion_reply_working_days: int = rule_field(
        5,
        rule="ASK-2",
        doc="A suggestion-box entry (意见箱) with contact details is answered within this many working days",
        ge=0,
        le=60,
    )


AssessmentInputCode = Literal[
    "self",
    "peer",
    "office",
    "satisfaction",
    "absence_days",
    "lates",
    "cards",
    "complaints",
    "findings",
    "criticisms",
    "study_missed",
]
SHARE_INPUTS = ("self", "peer", "office", "satisfaction")


def _default_weights() -> dict[str, float]:
    return {
        "self": 0.1,
        "peer": 0.2,
        "office": 0.4,
        "satisfaction": 0.3,
        "absence_days": -10.0,
        "lates": -1.0,
        "cards": -5.0,
        "complaints": -5.0,
        "findings": -3.0,
        "criticisms": -10.0,
        "study_missed": -2.0,
    }


class AssessmentScoring(StrictModel):
    """How an assessment round turns its inputs into a score and a grade (考核计分, EVAL-4, EVAL-7)."""

    weights: dict[AssessmentInputCode, float] = rule_field(
        _default_weights,
        rule="EVAL-4",
        doc="self / peer / office / satisfaction: shares of the 0–100 base (an absent input's share is "
        "spread over the others); the counts (absence days, lates, cards, complaints, findings, criticisms, "
        "missed study sessions): points per item, negative = deducted. `satisfaction` is the citizens' "
        "share (群众意见的权重, EVAL-7)",
    )
    grading: Literal["thresholds", "quota"] = rule_field(
        "thresholds",
        rule="EVAL-4",
        doc="thresholds: a grade by minimum score; quota: the best `excellent_share` get the first grade, "
        "anyone under the last threshold the last grade",
    )
    thresholds: list[float] = rule_field(
        lambda: [90.0, 60.0],
        rule="EVAL-4",
        doc="Minimum score of each grade but the last, best first (优秀 ≥ 90, 合格 ≥ 60)",
        min_length=1,
    )
    excellent_share: float = rule_field(
        0.15, rule="EVAL-4", doc="quota grading: share of people in the first grade (优秀比例)", ge=0, le=1
    )
    peer_within_unit: bool = rule_field(
        True, rule="EVAL-4", doc="Peers rate colleagues of their own unit only, anonymously (互评)"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.thresholds != sorted(self.thresholds, reverse=True):
            raise PolicyRuleError("EVAL-4", "list thresholds best first (decreasing)", field="thresholds")
        if sum(w for k, w in self.weights.items() if k in SHARE_INPUTS) <= 0:
            raise PolicyRuleError("EVAL-4", "the score shares must add up to more than 0", field="weights")
        return self


class EvaluationPolicy(StrictModel):
    """Evaluation, complaints and assessment (EVAL-*)."""

    rating_levels: list[RatingLevel] = rule_field(
        lambda: [
            RatingLevel(code="very_satisfied", label="非常满意", satisfied=True),
            RatingLevel(code="satisfied", label="满意", satisfied=True),
            RatingLevel(code="basically_satisfied", label="基本满意", satisfied=True),
            RatingLevel(code="dissatisfied", label="不满意", satisfied=False),
            RatingLevel(code="very_dissatisfied", label="非常不满意", satisfied=False),
        ],
        rule="EVAL-1",
        doc="Rating scale, best first (五级评价: 非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意)",
        min_length=2,
        max_length=10,
    )
    rating_channels: list[RatingChannel] = rule_field(
        lambda: ["device", "card", "phone", "web"],
        rule="EVAL-1",
        doc="Where citizens rate a service (评价器、意见卡、电话、网站)",
        min_length=1,
    )
    complaint_channels: list[ComplaintChannel] = rule_field(
        lambda: ["hall_office", "phone", "mailbox", "web"],
        rule="EVAL-2",
        doc="Where complaints are received (效能监察室、电话、意见箱、网站)",
        min_length=1,
    )
    ratings: RatingRules = rule_field(
        RatingRules, rule="EVAL-1", doc="Replace window, rectification time, manipulation thresholds, ranking"
    )
    complaint_deadlines: ComplaintDeadlines = rule_field(
        ComplaintDeadlines, rule="EVAL-2", doc="Working days per complaint step (受理→调查→处置→反馈→归档)"
    )
    callbacks: CallbackRules = rule_field(
        CallbackRules, rule="ASK-2", doc="Promised replies: unserved citizens and suggestion-box entries"
    )
    findings_count_as_complaints: list[FindingSource] = rule_field(
        lambda: ["callback", "spot_check", "visit"],
        rule="EVAL-2",
        doc="Supervision findings that count as complaints (电话回访、现场抽查、上门调查)",
    )
    inspection_kinds: list[InspectionKind] = rule_field(
        lambda: ["patrol", "undercover", "social_supervisor"],
        rule="EVAL-3",
        doc="Kinds of inspection that record conduct violations (巡查、明察暗访、社会监督员)",
        min_length=1,
    )
    assessment_periods: list[Period] = rule_field(
        lambda: ["quarter", "year"],
        rule="EVAL-4",
        doc="Assessment periods, shortest first (季度、半年度、年度考核)",
        min_length=1,
    )
    assessment_methods: list[AssessmentMethod] = rule_field(
        lambda: ["self", "peer", "centre_office"],
        rule="EVAL-4",
        doc="Who assesses: self (自评), peers (互评), the centre office (中心办公室评定)",
        min_length=1,
    )
    grades: list[AssessmentGrade] = rule_field(
        lambda: [
            AssessmentGrade(code="excellent", label="优秀"),
            AssessmentGrade(code="qualified", label="合格"),
            AssessmentGrade(code="unqualified", label="不合格"),
        ],
        rule="EVAL-4",
        doc="Result grades, best first (评出三个等级)",
        min_length=2,
        max_length=6,
    )
    conduct_bonus: ConductBonusPolicy = rule_field(
        ConductBonusPolicy, rule="EVAL-5", doc="Conduct bonus and deductions (行风评议奖)"
    )
    criticisms_blocking_excellence: int = rule_field(
        3,
        rule="EVAL-6",
        doc="This many public criticisms (通报批评) or more in a year remove the annual excellence award "
        "(累计三次以上通报批评者, 取消年终评优资格)",
        ge=1,
    )
    assessment: AssessmentScoring = rule_field(
        AssessmentScoring, rule="EVAL-4", doc="Scoring and grading of assessment rounds (考核计分与等级)"
    )
    criticisms_counted_over: Literal["calendar_year", "posting"] = rule_field(
        "calendar_year",
        rule="EVAL-6",
        doc="Which criticisms count towards the limit: those of the award's calendar year, or every one "
        "since the person was posted (the seed says 累计, accumulated, for the year-end award)",
    )
    negative_impact_training_months: int = rule_field(
        3,
        rule="EVAL-6",
        doc="Months of off-post training after a complaint that caused negative impact (离岗培训…个月)",
        ge=0,
        le=24,
    )

    @field_validator(
        "rating_channels",
        "complaint_channels",
        "findings_count_as_complaints",
        "inspection_kinds",
        "assessment_methods",
    )
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        _no_repeats(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        codes = [level.code for level in self.rating_levels]
        if len(set(codes)) != len(codes):
            raise PolicyRuleError("EVAL-1", "rating level codes repeat", field="rating_levels")
        if not any(level.satisfied for level in self.rating_levels) or all(
            level.satisfied for level in self.rating_levels
        ):
            raise PolicyRuleError(
                "EVAL-1", "needs at least one satisfied and one dissatisfied level", field="rating_levels"
            )
        if [lv.satisfied for lv in self.rating_levels] != sorted(
            (lv.satisfied for lv in self.rating_levels), reverse=True
        ):
            raise PolicyRuleError(
                "EVAL-1", "satisfied levels must come first (best first)", field="rating_levels"
            )
        if len(self.assessment.thresholds) != len(self.grades) - 1:
            raise PolicyRuleError(
                "EVAL-4", "give one threshold per grade but the last", field="assessment.thresholds"
            )
        grade_codes = [grade.code for grade in self.grades]
        if len(set(grade_codes)) != len(grade_codes):
            raise PolicyRuleError("EVAL-4", "grade codes repeat", field="grades")
        order = ["month", "quarter", "half_year", "year"]
        if self.assessment_periods != sorted(set(self.assessment_periods), key=order.index):
            raise PolicyRuleError(
                "EVAL-4",
                "list each period once, shortest first (month, quarter, half_year, year)",
                field="assessment_periods",
            )
        return self


def _no_repeats(value: list[str]) -> None:
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:
        raise ValueError(f"lists {', '.join(repeated)} more than once")


def unset_amount_warning(policy: ConductBonusPolicy) -> str | None:
    """What `policy check` says while the complaint amount is blank (EVAL-5)."""
    if not policy.enabled or policy.deductions.complaint is not None:
        return None
    then = (
        "a period with one is refused"
        if policy.unset_complaint_amount == "refuse"
        else "they are recorded with amount 0"
    )
    return (
        "evaluation.conduct_bonus.deductions.complaint is not set (EVAL-5: the seed leaves the amount "
        f"blank): valid complaints and disturbances deduct nothing from the conduct bonus; {then}"
    )

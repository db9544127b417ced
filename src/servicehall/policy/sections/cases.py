"""Policy section `cases` (办件): CASE-1..11 and CAT-2 values — notice deadline, clock, extensions, refusal, query.

Seed defaults: one-time notice within 5 working days (002/篇2 §八(三)); joint items 45 + 15 working days
as in the Administrative Licensing Law (行政许可法) arts. 42 and 45; remedies as in the Administrative
Reconsideration Law (60 days) and the Administrative Litigation Law (6 months).
"""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import Field, model_validator

from servicehall.policy.base import StrictModel, rule_field

PauseKind = Literal["correction", "expert_review", "hearing", "public_notice", "testing", "other_statutory"]


class RemediesPolicy(StrictModel):
    """救济途径 printed on every refusal (CASE-7)."""

    reconsideration_days: int = rule_field(
        60, rule="CASE-7", doc="行政复议: days from knowing of the decision within which to apply", ge=1
    )
    reconsideration_body: str = rule_field(
        "本级人民政府或上一级主管部门", rule="CASE-7", doc="Where to apply for 行政复议 (printed text)"
    )
    litigation_months: int = rule_field(
        6, rule="CASE-7", doc="行政诉讼: months from knowing of the decision within which to sue", ge=1
    )
    litigation_court: str = rule_field("有管辖权的人民法院", rule="CASE-7", doc="Where to sue (printed text)")


class CasesPolicy(StrictModel):
    """Case handling from registration to result."""

    notice_deadline_working_days: int = rule_field(
        5, rule="CASE-2", doc="一次性告知 must be given on the spot or within this many working days", ge=0
    )
    closing_time: time = rule_field(
        time(18, 0),
        rule="CASE-5",
        doc="Acceptance at or after this time of day counts from the next working day",
    )
    promised_extension_cap_working_days: int = rule_field(
        10,
        rule="CASE-5",
        doc="Total extension allowed for a 承诺件 (needs reason and applicant consent)",
        ge=0,
    )
    joint_limit_working_days: int = rule_field(
        45, rule="CASE-5", doc="Time limit of a 联办件 without its own promise (行政许可法 art. 42)", ge=1
    )
    joint_extension_cap_working_days: int = rule_field(
        15, rule="CASE-5", doc="Total extension allowed for a 联办件 (行政许可法 art. 42)", ge=0
    )
    reported_extension_cap_working_days: int = rule_field(
        10, rule="CASE-5", doc="Total extension allowed for a 上报件", ge=0
    )
    pause_kinds: list[PauseKind] = rule_field(
        lambda: ["correction", "expert_review", "hearing", "public_notice", "testing"],
        rule="CASE-5",
        doc="Kinds of time excluded from the clock by law (行政许可法 art. 45): 补正, 专家评审, 听证, 公示, 检测",
    )
    return_reason_min_chars: int = rule_field(
        10, rule="CASE-7", doc="A 退件 reason shorter than this is not 'detailed' and is refused", ge=1
    )
    refusal_report_wait_working_days: int = rule_field(
        1,
        rule="CASE-7",
        doc="否定事项报备: a refusal may be issued after the centre acknowledges it or after this many working days",
        ge=0,
    )
    remedies: RemediesPolicy = Field(default_factory=RemediesPolicy, description="救济途径 (CASE-7)")
    progress_query_limit: int = rule_field(
        10, rule="CASE-10", doc="Progress queries allowed per IP address within the window", ge=1
    )
    progress_query_window_seconds: int = rule_field(
        600, rule="CASE-10", doc="Length of the rate-limit window for progress queries", ge=1
    )
    notice_legal_basis: str = rule_field(
        "《中华人民共和国行政许可法》第三十二条",
        rule="CASE-2",
        doc="Legal basis printed on the 一次性告知书 and 受理通知书",
    )

    @model_validator(mode="after")
    def _joint_extension_not_above_limit(self) -> CasesPolicy:
        if self.joint_extension_cap_working_days > self.joint_limit_working_days:
            raise ValueError("joint_extension_cap_working_days must not exceed joint_limit_working_days")
        return self

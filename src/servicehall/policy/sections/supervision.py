"""Policy section `supervision` (SUP-1, SUP-2): electronic supervision cards (电子监察 黄牌/红牌) and what
the supervision office follows (全过程跟踪督查)."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from servicehall.policy.base import StrictModel, rule_field

CardTarget = Literal["staff", "window", "unit"]
SupervisedStage = Literal["registration", "handling", "procedure", "fees"]
CardTrigger = Literal["deadline", "notice_lapsed", "refusal_unreported", "fee_off_schedule", "step_overrun"]


class SupervisionPolicy(StrictModel):
    """Electronic supervision (电子监察, SUP-*)."""

    yellow_card_lead_working_days: int = rule_field(
        1,
        rule="SUP-1",
        doc="A yellow card (黄牌预警) is raised this many working days before a case's promised limit "
        "runs out; 0 = on the last day",
        ge=0,
        le=30,
    )
    red_card_after_due_working_days: int = rule_field(
        0,
        rule="SUP-1",
        doc="A red card (红牌) is raised once the limit is exceeded by more than this many working days; "
        "0 = as soon as the case is overdue (超时即亮红牌)",
        ge=0,
        le=30,
    )
    cards_count_against: list[CardTarget] = rule_field(
        lambda: ["staff", "window", "unit"],
        rule="SUP-1",
        doc="Whose assessment a card counts against (窗口工作人员及所在部门)",
        min_length=1,
    )
    supervised_stages: list[SupervisedStage] = rule_field(
        lambda: ["registration", "handling", "procedure", "fees"],
        rule="SUP-2",
        doc="Stages the supervision office follows for every case (申报登记、事项办理、审批程序、收费标准)",
        min_length=1,
    )

    card_triggers: list[CardTrigger] = rule_field(
        lambda: ["deadline", "notice_lapsed", "refusal_unreported", "fee_off_schedule", "step_overrun"],
        rule="SUP-2",
        doc="What raises a card besides the deadline (SUP-1): a one-time notice not given in time "
        "(CASE-2), a refusal not reported in time (否定事项报备, CASE-7), a fee outside the item's "
        "schedule (收费标准), a unit step that overran its own limit",
        min_length=1,
    )
    card_reply_working_days: int = rule_field(
        5,
        rule="SUP-1",
        doc="The unit replies to a card in writing within this many working days of it being raised",
        ge=1,
        le=30,
    )
    card_appeal_allowed: bool = rule_field(
        True,
        rule="SUP-1",
        doc="The unit may appeal a card (申诉); the supervision office upholds or withdraws it",
    )
    refusal_report_working_days: int = rule_field(
        1,
        rule="CASE-7",
        doc="A refusal (不予受理/不予许可) is reported (否定事项报备) within this many working days of "
        "registration, else a card is raised; the seed gives no number",
        ge=0,
        le=30,
    )
    step_limit_share_percent: int = rule_field(
        100,
        rule="SUP-2",
        doc="A unit step (办理环节) overruns when it took longer than this share of the case's promised "
        "working days",
        ge=1,
        le=100,
    )
    default_approval_allowed: bool = rule_field(
        False,
        rule="CASE-6",
        doc="超时默认: the supervision office may mark an overdue (red) case approved by default and issue "
        "the result, where the item allows it",
    )
    leader_office_days_per_month: int = rule_field(
        1,
        rule="SUP-1",
        doc="Unit leaders in charge work at the centre at least this many days a month (分管领导每月到窗口"
        "现场办公不少于一次); a month below it shows on the unit ranking",
        ge=0,
        le=31,
    )
    ranking_weights: dict[str, int] = rule_field(
        lambda: {"yellow": 1, "red": 3, "overdue_rate": 50, "leader_absent": 5},
        rule="SUP-1",
        doc="Points deducted from 100 on the unit ranking (每月考核、评比): per yellow card, per red card, "
        "per whole overdue rate (×rate), per month without a leader's office day",
    )

    @field_validator("cards_count_against", "supervised_stages", "card_triggers")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists each entry once")
        return value

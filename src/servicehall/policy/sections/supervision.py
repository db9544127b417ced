"""Policy section `supervision` (SUP-1, SUP-2): electronic supervision cards (电子监察 黄牌/红牌) and what
the supervision office follows (全过程跟踪督查)."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from servicehall.policy.base import StrictModel, rule_field

CardTarget = Literal["staff", "window", "unit"]
SupervisedStage = Literal["registration", "handling", "procedure", "fees"]


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

    @field_validator("cards_count_against", "supervised_stages")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists each entry once")
        return value

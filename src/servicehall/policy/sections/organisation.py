"""Policy section `organisation` (ORG-1..6): chief representatives, staff posting and rotation, A/B posts,
badged service and the pause sign (窗口单位、首席代表、派驻轮换、AB岗、挂牌上岗、暂停服务)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import field_validator, model_validator

from servicehall.policy.base import PolicyRuleError, StrictModel, rule_field

BadgeItem = Literal["name", "photo", "title", "post", "business_scope", "complaint_channel"]
ReportTo = Literal["unit", "personnel_department"]


def _month_day(value: str) -> str:
    """'MM-DD' that exists in a leap year (02-29 allowed)."""
    try:
        dt.date.fromisoformat(f"2024-{value}")
    except ValueError:
        raise ValueError("is not a month and day written MM-DD (e.g. 12-20)") from None
    return value


class RotationPolicy(StrictModel):
    """Posting length and rotation of window staff (窗口人员轮换, ORG-5)."""

    min_posting_years: int = rule_field(
        1,
        rule="ORG-5",
        doc="Minimum time a unit posts a staff member to the centre, in (natural) years (派驻时间不少于…年)",
        ge=1,
        le=10,
    )
    month: int = rule_field(
        12,
        rule="ORG-5",
        doc="Month in which rotation normally happens (轮换时间原则上安排在每年…月)",
        ge=1,
        le=12,
    )
    application_deadline: str = rule_field(
        "12-20",
        rule="ORG-5",
        doc="Last day (MM-DD) for a unit's written rotation application (…前书面提出轮换申请)",
    )
    return_date: str = rule_field(
        "01-01",
        rule="ORG-5",
        doc="Day (MM-DD, next year) rotated staff return to their unit (次年…返回原单位)",
    )
    mid_year_requires_special_letter: bool = rule_field(
        True,
        rule="ORG-5",
        doc="A mid-year change needs a letter signed by the unit's principal leader, approved by the centre "
        "(中途调整须部门主要领导签发函件, 经中心同意)",
    )
    unfit_staff_returned: bool = rule_field(
        True,
        rule="ORG-5",
        doc="Staff unfit for the window are reported and returned to their unit, which sends a replacement "
        "(不能胜任者清退回所在单位)",
    )
    no_other_unit_duties: bool = rule_field(
        True,
        rule="ORG-5",
        doc="While posted, staff take no other work from their unit (不再承担原单位的其他工作)",
    )

    @field_validator("application_deadline", "return_date")
    @classmethod
    def _real_day(cls, value: str) -> str:
        return _month_day(value)

    @model_validator(mode="after")
    def _deadline_in_rotation_month(self) -> Self:
        if int(self.application_deadline[:2]) != self.month:
            raise PolicyRuleError(
                "ORG-5",
                f"must fall in the rotation month ({self.month:02d})",
                field="application_deadline",
            )
        return self


class AbPostPolicy(StrictModel):
    """A/B posts (AB岗 / AB角, ORG-3): A 主办, B 辅办."""

    required: bool = rule_field(
        True, rule="ORG-3", doc="Every post has an A holder and a B holder (设置AB岗, 主办A角与辅办B角)"
    )
    b_covers_when_a_absent: bool = rule_field(
        True, rule="ORG-3", doc="When A is away, B covers the post (A岗不在岗, 由B岗顶岗)"
    )
    may_be_absent_together: bool = rule_field(
        False, rule="ORG-3", doc="Whether A and B may be absent at the same time (A、B角不能同时缺位): never"
    )
    b_records_and_tells_a: bool = rule_field(
        True,
        rule="ORG-3",
        doc="B handles what it can on the spot, otherwise records it and tells A (做好记录, 及时告知A角)",
    )

    @field_validator("may_be_absent_together")
    @classmethod
    def _never_together(cls, value: bool) -> bool:
        if value:
            raise ValueError("ORG-3: A and B may never be absent at the same time; only false is allowed")
        return value


class AssessmentDutyPolicy(StrictModel):
    """Who assesses posted staff and where the result goes (ORG-2)."""

    centre_assesses_daily_and_annual: bool = rule_field(
        True,
        rule="ORG-2",
        doc="The centre does the daily and annual assessment of posted staff (日常考核和年度考核由中心负责)",
    )
    annual_result_reported_to: list[ReportTo] = rule_field(
        lambda: ["unit"],
        rule="ORG-2",
        doc="Who receives the annual result: the staff member's unit (所在单位) and/or the personnel "
        "department (人事主管部门)",
        min_length=1,
    )
    personnel_stays_with_unit: bool = rule_field(
        True,
        rule="ORG-2",
        doc="Personnel relations, pay and welfare stay with the unit (人事及福利待遇关系保留在原单位)",
    )


class OrganisationPolicy(StrictModel):
    """Organisation of the centre (ORG-*)."""

    chief_representative_required: bool = rule_field(
        True,
        rule="ORG-1",
        doc="Each stationed unit posts a chief representative with delegated approval powers (首席代表)",
    )
    assessment: AssessmentDutyPolicy = rule_field(
        AssessmentDutyPolicy, rule="ORG-2", doc="Dual management and assessment duty (双重管理)"
    )
    ab_posts: AbPostPolicy = rule_field(AbPostPolicy, rule="ORG-3", doc="A/B posts (AB岗)")
    staff_session_minutes: int = rule_field(
        480,
        rule="INT-2",
        doc="A staff login expires after this many minutes (one working day), so a shared counter "
        "terminal does not stay signed in with applicants' personal data (个人信息保密)",
        ge=5,
        le=1440,
    )
    badge_items: list[BadgeItem] = rule_field(
        lambda: ["name", "title", "post", "business_scope", "complaint_channel"],
        rule="ORG-4",
        doc="What each window's badge shows (挂牌上岗: 姓名、职务、工作岗位、业务范围、投诉方式)",
        min_length=1,
    )
    rotation: RotationPolicy = rule_field(
        RotationPolicy, rule="ORG-5", doc="Posting and rotation (派驻与轮换)"
    )
    pause_sign_names_redirect: bool = rule_field(
        True,
        rule="ORG-6",
        doc="A window left temporarily shows a pause sign naming the window to go to or when service "
        "resumes (暂停服务指示牌)",
    )

    @field_validator("badge_items")
    @classmethod
    def _unique_badge_items(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("ORG-4: each badge item may be listed once")
        return value

"""Policy section `leave` (请假与顶岗): LEAVE-1..6 and the A/B rule ORG-3.

Field names are stable: the leave domain, the attendance engine and centres' own policy files use them.
Lengths are in working days (工作日); half days are 0.5.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from servicehall.policy.base import StrictModel, rule_field

LeaveKind = Literal[
    "personal",  # 事假
    "sick",  # 病假
    "annual",  # 年休假
    "marriage",  # 婚假
    "maternity",  # 产假
    "family_visit",  # 探亲假
    "funeral",  # 丧假
    "training",  # 培训
    "business",  # 公差
]
LEAVE_KINDS: tuple[str, ...] = LeaveKind.__args__  # type: ignore[attr-defined]

ApproverRole = Literal[
    "centre",  # 中心（管理办公室 / 中心负责人）
    "chief_rep",  # 首席代表
    "unit_leader",  # 派驻单位领导
    "unit_principal_leader",  # 派驻单位主要领导
    "county_office",  # 县（区）政府办公室
    "county_leader",  # 县（区）政府分管领导
]
APPROVER_ROLES: tuple[str, ...] = ApproverRole.__args__  # type: ignore[attr-defined]

Requirement = Literal[
    "seal",  # 单位盖章
    "written_explanation",  # 书面说明
]

QuotaRole = Literal["chief_rep", "staff"]


class ApprovalTier(StrictModel):
    """One row of the approval table (审批权限): leave up to `max_days` working days goes through `approvers`."""

    model_config = StrictModel.model_config | {"json_schema_extra": {"rule": "LEAVE-1"}}

    max_days: float | None = Field(
        description="Upper bound in working days, inclusive (≤); null = unbounded, only on the last tier",
        gt=0,
    )
    approvers: list[ApproverRole] = Field(
        min_length=1, description="Roles that sign/approve, in order (e.g. unit_leader, county_office)"
    )
    files_with: list[ApproverRole] = Field(
        default_factory=list, description="Roles that keep the approved form on file (备案), e.g. centre"
    )
    requires: list[Requirement] = Field(
        default_factory=list,
        description="What the form must carry: seal (单位盖章), written_explanation (书面说明)",
    )


class LeaveQuota(StrictModel):
    """Monthly quota: whichever of days or times is reached first (LEAVE-2)."""

    model_config = StrictModel.model_config | {"json_schema_extra": {"rule": "LEAVE-2"}}

    max_days: float = Field(ge=0, description="Working days of non-exempt leave per calendar month")
    max_times: int = Field(ge=0, description="Number of non-exempt leaves per calendar month")


def _default_tiers() -> list[ApprovalTier]:
    # 002 篇2 §七(二): four tiers.
    return [
        ApprovalTier(max_days=1, approvers=["centre"]),
        ApprovalTier(
            max_days=3, approvers=["unit_leader", "centre"], files_with=["centre"], requires=["seal"]
        ),
        ApprovalTier(
            max_days=7, approvers=["unit_leader", "county_office"], files_with=["centre"], requires=["seal"]
        ),
        ApprovalTier(
            max_days=None,
            approvers=["unit_principal_leader", "county_leader"],
            files_with=["centre"],
            requires=["seal", "written_explanation"],
        ),
    ]


STATUTORY_KINDS_DEFAULT = ["annual", "marriage", "maternity", "family_visit", "funeral"]


class LeavePolicy(StrictModel):
    """请假、顶岗与 AB 角 (LEAVE-1..6, ORG-3)."""

    # LEAVE-1 approval by length
    approval_tiers: list[ApprovalTier] = rule_field(
        _default_tiers,
        rule="LEAVE-1",
        doc="Approval tiers by leave length in working days, strictly increasing max_days; only the last may be null",
        min_length=1,
    )

    # LEAVE-2 monthly quota
    monthly_quota: dict[QuotaRole, LeaveQuota] = rule_field(
        lambda: {
            "chief_rep": LeaveQuota(max_days=5, max_times=5),
            "staff": LeaveQuota(max_days=3, max_times=3),
        },
        rule="LEAVE-2",
        doc="Monthly non-exempt leave per role (chief_rep, staff): days or times, whichever is reached first",
    )
    statutory_kinds: list[LeaveKind] = rule_field(
        lambda: list(STATUTORY_KINDS_DEFAULT),
        rule="LEAVE-2",
        doc="Statutory leave kinds (法定假): exempt from the monthly quota",
    )
    not_leave_kinds: list[LeaveKind] = rule_field(
        lambda: ["business"],
        rule="LEAVE-2",
        doc="Kinds that are not leave at all (公差 official business): outside the monthly quota",
    )
    training_exempt_min_calendar_days: int = rule_field(
        7,
        rule="LEAVE-2",
        doc="Unit training of at least this many calendar days (一周) with a written document is quota-exempt",
        ge=1,
    )
    training_exempt_requires_document: bool = rule_field(
        True, rule="LEAVE-2", doc="Training is exempt only with the unit's written document (书面文件)"
    )

    # LEAVE-3 sick certificate
    sick_certificate_over_days: float = rule_field(
        1,
        rule="LEAVE-3",
        doc="Sick leave longer than this (working days) needs a hospital certificate by the return (销假)",
        ge=0,
    )
    sick_without_certificate_becomes: LeaveKind = rule_field(
        "personal",
        rule="LEAVE-3",
        doc="Kind a sick leave becomes when the certificate is missing at the return",
    )

    # LEAVE-4 annual-leave split
    annual_split_min_days: float = rule_field(
        5, rule="LEAVE-4", doc="Each part of a split annual leave is at least this many working days", ge=0
    )

    # LEAVE-5 cover (顶岗)
    cover_min_days: float = rule_field(
        1,
        rule="LEAVE-5",
        doc="Leave of at least this many working days needs a cover (any staff or chief rep)",
        ge=0,
    )
    cover_always_kinds: list[LeaveKind] = rule_field(
        lambda: ["annual", "marriage", "maternity", "family_visit", "training"],
        rule="LEAVE-5",
        doc="Kinds that always need a cover whatever their length: 公休假、婚假、产假、探亲假 and training (篇2 §七(三))",
    )
    cover_single_staff_window_min_days: float = rule_field(
        0.5,
        rule="LEAVE-5",
        doc="At a window staffed by one person, leave of at least this many working days needs a cover",
        ge=0,
    )
    cover_max_months: int = rule_field(
        1, rule="LEAVE-5", doc="A cover serves at most this many calendar months (顶岗不超过1个月)", ge=1
    )
    leave_starts_at_cover_check_in: bool = rule_field(
        True,
        rule="LEAVE-5",
        doc="The leaver may go only when the cover has checked in; the gap before is unauthorised absence",
    )

    # ORG-3 A/B never both absent
    ab_never_both_absent: bool = rule_field(
        True, rule="ORG-3", doc="A and B holders of a post may never be on leave at the same time"
    )

    # LEAVE-6 late filing
    late_filing_with_special_approval: bool = rule_field(
        True,
        rule="LEAVE-6",
        doc="A leave form may be completed afterwards (补办) only with the centre's special approval",
    )

    @field_validator("approval_tiers")
    @classmethod
    def _tiers_in_order(cls, tiers: list[ApprovalTier]) -> list[ApprovalTier]:
        previous: float | None = None
        for index, tier in enumerate(tiers):
            if tier.max_days is None:
                if index != len(tiers) - 1:
                    raise ValueError(
                        f"LEAVE-1: only the last tier may have max_days null (unbounded); tier {index} is null "
                        f"but {len(tiers) - 1 - index} tier(s) follow it"
                    )
                continue
            if previous is not None and tier.max_days <= previous:
                raise ValueError(
                    f"LEAVE-1: tiers must be in increasing max_days order; tier {index} has max_days "
                    f"{tier.max_days:g} after {previous:g}"
                )
            previous = tier.max_days
        return tiers

    @field_validator("monthly_quota")
    @classmethod
    def _quota_roles_present(cls, quota: dict[str, LeaveQuota]) -> dict[str, LeaveQuota]:
        missing = {"chief_rep", "staff"} - set(quota)
        if missing:
            raise ValueError(f"LEAVE-2: monthly_quota needs an entry for {', '.join(sorted(missing))}")
        return quota

"""Policy section `visits` (帮办代办 and 上门服务): Q-2 for who may have a home visit and who approves it,
CASE-9 for recording which staff member filled the forms (002/篇3 §2–3 辅助填表, §8 上门服务)."""

from __future__ import annotations

from typing import Literal

from servicehall.policy.base import StrictModel, rule_field

Ground = Literal["sick", "immobile", "elderly", "disabled"]
Approver = Literal["chief_rep", "centre_admin"]

GROUND_LABELS: dict[str, str] = {
    "sick": "生病住院",
    "immobile": "行动不便",
    "elderly": "高龄老人",
    "disabled": "残疾人",
}


class VisitsPolicy(StrictModel):
    """Assisted service (帮办代办) and home visits (上门服务) as appointment kinds."""

    assisted_service_enabled: bool = rule_field(
        True,
        rule="Q-2",
        doc="Citizens (or staff taking a phone call) may book 帮办代办: a staff member fills the forms for them",
    )
    home_visit_enabled: bool = rule_field(
        True,
        rule="Q-2",
        doc="Citizens who cannot come may request 上门服务 (home visit), subject to approval",
    )
    home_visit_grounds: list[Ground] = rule_field(
        lambda: ["sick", "immobile", "elderly", "disabled"],
        rule="Q-2",
        doc="Grounds for a home visit: sick 生病住院, immobile 行动不便, elderly 高龄老人, disabled 残疾人",
        min_length=1,
    )
    home_visit_approver: Approver = rule_field(
        "chief_rep",
        rule="Q-2",
        doc="Who approves a home visit: chief_rep (the item's unit's 首席代表, ORG-1 delegated approval) or "
        "centre_admin (中心管理办公室); the centre office may always decide",
    )
    home_visit_min_reason_chars: int = rule_field(
        6,
        rule="Q-2",
        doc="A home-visit request states its reason in at least this many characters",
        ge=1,
        le=200,
    )
    home_visit_days_ahead: int = rule_field(
        14, rule="Q-2", doc="A home visit may be requested for a day up to this many days ahead", ge=1, le=90
    )
    assisted_record_on_case: bool = rule_field(
        True,
        rule="CASE-9",
        doc="An assisted registration records on the case which staff member filled the forms (service log)",
    )

"""The policy file (政策文件): every number and list of REGULATIONS.md, grouped by rule family.

A policy is YAML validated by `Policy`. Sections live in `sections/<family>.py`; `docs/policy.md` is
generated from these models (`servicehall policy docs`).
"""

from __future__ import annotations

from pydantic import Field

from servicehall.policy.base import StrictModel
from servicehall.policy.sections.access import AccessPolicy
from servicehall.policy.sections.attendance import AttendancePolicy
from servicehall.policy.sections.cases import CasesPolicy
from servicehall.policy.sections.conduct import ConductPolicy
from servicehall.policy.sections.consultation import ConsultationPolicy
from servicehall.policy.sections.evaluation import EvaluationPolicy
from servicehall.policy.sections.language import LanguagePolicy
from servicehall.policy.sections.leave import LeavePolicy
from servicehall.policy.sections.organisation import OrganisationPolicy
from servicehall.policy.sections.queue import QueuePolicy
from servicehall.policy.sections.supervision import SupervisionPolicy
from servicehall.policy.sections.visits import VisitsPolicy

SECTIONS: dict[str, type[StrictModel]] = {
    "organisation": OrganisationPolicy,
    "cases": CasesPolicy,
    "supervision": SupervisionPolicy,
    "consultation": ConsultationPolicy,
    "queue": QueuePolicy,
    "visits": VisitsPolicy,
    "attendance": AttendancePolicy,
    "leave": LeavePolicy,
    "evaluation": EvaluationPolicy,
    "language": LanguagePolicy,
    "conduct": ConductPolicy,
    "access": AccessPolicy,
}


SECTION_RULES: dict[str, str] = {
    "organisation": "ORG",
    "cases": "CASE",
    "supervision": "SUP",
    "consultation": "ASK",
    "queue": "Q",
    "visits": "Q",
    "attendance": "ATT",
    "leave": "LEAVE",
    "evaluation": "EVAL",
    "language": "LANG",
    "conduct": "CON",
    "access": "INT",
}
"""The rule family of each section, cited when no more specific rule applies (e.g. an unknown key)."""


class Policy(StrictModel):
    """A complete, validated policy. `name@version` identifies it in every decision record."""

    name: str = Field(min_length=1, description="Short identifier, e.g. yuanzhou-p2 or a centre's own name")
    version: str = Field(min_length=1, description="Version label of this policy text, e.g. 2026.1")
    title: str = Field("", description="Human title, e.g. 原州区政务服务中心 (篇2)")
    description: str = Field("", description="What this policy is and where its values come from")
    sources: list[str] = Field(
        default_factory=list, description="Seed texts / documents the values come from"
    )
    organisation: OrganisationPolicy = Field(default_factory=OrganisationPolicy)
    cases: CasesPolicy = Field(default_factory=CasesPolicy)
    supervision: SupervisionPolicy = Field(default_factory=SupervisionPolicy)
    consultation: ConsultationPolicy = Field(default_factory=ConsultationPolicy)
    queue: QueuePolicy = Field(default_factory=QueuePolicy)
    visits: VisitsPolicy = Field(default_factory=VisitsPolicy)
    attendance: AttendancePolicy = Field(default_factory=AttendancePolicy)
    leave: LeavePolicy = Field(default_factory=LeavePolicy)
    evaluation: EvaluationPolicy = Field(default_factory=EvaluationPolicy)
    language: LanguagePolicy = Field(default_factory=LanguagePolicy)
    conduct: ConductPolicy = Field(default_factory=ConductPolicy)
    access: AccessPolicy = Field(default_factory=AccessPolicy)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

"""The policy values a case or inquiry runs under, and the `policy_ref` stored with each record.

A centre's own policy is the version in force (`policy.selectors.policy_for_centre`); without one, the
default preset (settings.SERVICEHALL_DEFAULT_PRESET). Only the `cases` and
`consultation` sections are validated here, so a problem in another section never stops the hall.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from servicehall.policy.loader import resolve_policy_data
from servicehall.policy.sections.cases import CasesPolicy
from servicehall.policy.sections.consultation import ConsultationPolicy


@dataclass(frozen=True)
class CasePolicies:
    ref: str
    cases: CasesPolicy
    consultation: ConsultationPolicy


@cache
def preset_policies(preset: str) -> CasePolicies:
    data = resolve_policy_data(preset)
    return CasePolicies(
        ref=f"{data.get('name', preset)}@{data.get('version', '?')}",
        cases=CasesPolicy.model_validate(data.get("cases") or {}),
        consultation=ConsultationPolicy.model_validate(data.get("consultation") or {}),
    )


def policies_for(centre: Any | None = None) -> CasePolicies:
    """The policy in force at the centre today, else the default preset (`policy.selectors.policy_for_centre`)."""
    from servicehall.policy_versions.selectors import policy_for_centre

    policy = policy_for_centre(centre_id=getattr(centre, "pk", centre))
    return CasePolicies(ref=policy.ref, cases=policy.cases, consultation=policy.consultation)

"""The policy values a case or inquiry runs under, and the `policy_ref` stored with each record.

A centre's own policy is the version in force (`policy.selectors.current_policy`); without one, the
default preset (settings.SERVICEHALL_DEFAULT_PRESET). Only the `cases` and
`consultation` sections are validated here, so a problem in another section never stops the hall.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

from servicehall.core.errors import DomainError
from servicehall.policy.loader import resolve_policy_data
from servicehall.policy.sections.cases import CasesPolicy
from servicehall.policy.sections.consultation import ConsultationPolicy


@dataclass(frozen=True)
class CasePolicies:
    ref: str
    cases: CasesPolicy
    consultation: ConsultationPolicy


def default_preset() -> str:
    try:
        from django.conf import settings

        return getattr(settings, "SERVICEHALL_DEFAULT_PRESET", "yuanzhou-p2")
    except Exception:  # settings not configured (command line without Django)
        return os.environ.get("SERVICEHALL_DEFAULT_PRESET", "yuanzhou-p2")


@cache
def preset_policies(preset: str) -> CasePolicies:
    data = resolve_policy_data(preset)
    return CasePolicies(
        ref=f"{data.get('name', preset)}@{data.get('version', '?')}",
        cases=CasesPolicy.model_validate(data.get("cases") or {}),
        consultation=ConsultationPolicy.model_validate(data.get("consultation") or {}),
    )


def policies_for(centre: Any | None = None) -> CasePolicies:
    """The policy version in force at the centre today (`policy.selectors.current_policy`), else the
    default preset."""
    if centre is not None:
        try:
            selectors = importlib.import_module("servicehall.policy.selectors")
            _version, policy = selectors.current_policy(centre_id=getattr(centre, "pk", centre))
        except (ImportError, AttributeError, DomainError):  # nothing published yet: the default preset
            policy = None
        if policy is not None:
            return CasePolicies(ref=policy.ref, cases=policy.cases, consultation=policy.consultation)
    return preset_policies(default_preset())

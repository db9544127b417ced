"""Policy section `access` (INT-2, CASE-9, ORG-1): who sees whose cases, and how long the operation log
(服务日志台账) and applicants' personal data are kept.

Defaults: window staff see the cases they are responsible for (the digest's "their own records");
operation logs are kept at least six months (网络安全法 art. 21, 等保 2.0); personal data of concluded
records three years, then `personal-data purge` erases name, ID number, phone and address (个人信息保护法 art. 19: no longer than needed).
"""

from __future__ import annotations

from typing import Literal

from servicehall.policy.base import StrictModel, rule_field

CaseScope = Literal["own", "own_window", "own_unit"]


class AccessPolicy(StrictModel):
    """Scopes the access matrix reads from the policy, and retention periods."""

    window_staff_cases: CaseScope = rule_field(
        "own",
        rule="INT-2",
        doc="Cases a window staff member sees and handles: own (responsible), own_window, or own_unit",
    )
    audit_retention_days: int = rule_field(
        190,
        rule="CASE-9",
        doc="Operation-log entries are kept at least this many days before `audit archive` may remove them",
        ge=183,
    )
    personal_data_retention_days: int = rule_field(
        1095,
        rule="INT-2",
        doc="Days after a record is closed (case concluded, appointment day, complaint archived) before `personal-data purge` erases name, ID number, phone and address",
        ge=1,
    )

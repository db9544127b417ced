"""Policy section `cases` (CASE-* rules). Placeholder: fields are added with the rules they implement."""

from __future__ import annotations

from servicehall.policy.base import StrictModel


class CasesPolicy(StrictModel):
    pass

"""Policy section `organisation` (ORG-* rules). Placeholder: fields are added with the rules they implement."""

from __future__ import annotations

from servicehall.policy.base import StrictModel


class OrganisationPolicy(StrictModel):
    pass

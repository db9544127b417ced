"""org reads the ORG-5 minimum posting from the stored version in force, through `policy.in_force`."""

from __future__ import annotations

import datetime as dt

from servicehall.core.models import AuditEntry
from servicehall.org import services
from servicehall.org.tests.conftest import world
from servicehall.policy_versions.services import publish_policy_version

__all__ = ["world"]  # org's fixture: a centre with units, windows and staff


TWO_YEAR_POLICY = """
extends: yuanzhou-p1
version: org-test
organisation:
  rotation:
    min_posting_years: 2
"""


def test_org_5__minimum_from_the_policy_in_force_when_the_posting_starts(world):
    publish_policy_version(
        centre=world.centre, source=TWO_YEAR_POLICY, effective_from=dt.date(2025, 1, 1), actor=None
    )
    eighteen_months = dict(posted_from=dt.date(2025, 1, 1), posted_until=dt.date(2026, 6, 30))
    result = services.set_posting(staff_id=world.clerk_a.pk, actor=world.user("admin"), **eighteen_months)
    assert (result.posting.short, result.posting.min_years) == (True, 2)
    assert result.policy_ref.endswith("@org-test")
    assert AuditEntry.objects.get(verb="org.staff.posting").data["policy"] == result.policy_ref

    # a posting that began before that version took effect is judged under the default (1 year)
    earlier = services.set_posting(
        staff_id=world.clerk_a.pk,
        posted_from=dt.date(2024, 1, 1),
        posted_until=dt.date(2025, 6, 30),
        actor=world.user("admin"),
    )
    assert (earlier.posting.short, earlier.posting.min_years) == (False, 1)

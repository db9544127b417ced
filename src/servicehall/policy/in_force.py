"""The policy in force for a centre on a day (现行政策), as a published lookup.

The stored versions (`servicehall.policy_versions`) belong to a centre, so they sit above `org`. `org`
needs one value from them (the ORG-5 minimum posting), so it asks through this lookup, which the
`policy_versions` app installs when Django starts. Domains above `org` import
`policy_versions.selectors` directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from servicehall.policy.schema import Policy


class InForce(NamedTuple):
    """The version in force: its `name@version` label and the parsed policy."""

    ref: str
    policy: Policy


Lookup = Callable[[int, dt.date], InForce | None]

_lookup: Lookup | None = None


def install_lookup(lookup: Lookup) -> None:
    """Called once by the `policy_versions` app at start-up."""
    global _lookup
    _lookup = lookup


def policy_in_force(*, centre_id: int, on: dt.date) -> InForce | None:
    """The centre's version in force on `on`, or None when it has published none for that day."""
    if _lookup is None:
        raise RuntimeError(
            "policy versions are not installed: add servicehall.policy_versions to INSTALLED_APPS"
        )
    return _lookup(centre_id, on)

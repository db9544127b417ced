"""Reads of the service-language domain: the policy that applies to a viewer, override records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from servicehall.core.roles import role_of, staff_of, visible_unit_ids
from servicehall.language.models import FlaggedReplyOverride
from servicehall.policy.loader import load_policy
from servicehall.policy.schema import Policy


def policy_for(user: Any) -> Policy:
    """The policy in force at the viewer's centre, else the site's default preset."""
    staff = staff_of(user)
    if staff is not None:
        from servicehall.policy_versions.selectors import NoPolicyInForce, current_policy

        try:
            return current_policy(centre_id=staff.centre_id)[1]
        except NoPolicyInForce:  # no version published yet: the site's default preset applies
            pass
    return _default_policy()


_DEFAULT: dict[str, Policy] = {}


def _default_policy() -> Policy:
    name = getattr(settings, "SERVICEHALL_DEFAULT_PRESET", "yuanzhou-p2")
    if name not in _DEFAULT:
        _DEFAULT[name] = load_policy(name)
    return _DEFAULT[name]


def overrides_visible_to(*, viewer: Any) -> QuerySet[FlaggedReplyOverride]:
    """Override records the viewer may see: centre roles all of their centre, chief reps their unit,
    window staff their own."""
    staff = staff_of(viewer)
    qs = FlaggedReplyOverride.objects.select_related("staff", "staff__unit")
    if staff is None:
        return qs if role_of(viewer) == "centre_admin" else qs.none()
    qs = qs.filter(centre_id=staff.centre_id)
    units = visible_unit_ids(viewer, centre_id=staff.centre_id)
    if role_of(viewer) == "window_staff":
        return qs.filter(staff=staff)
    if units is None:
        return qs
    return qs.filter(staff__unit_id__in=units)

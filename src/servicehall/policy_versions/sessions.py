"""Staff sessions expire after the policy's `organisation.staff_session_minutes` (INT-2): a counter
terminal left signed in must not keep applicants' personal data open all week."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from servicehall.core.roles import staff_of
from servicehall.policy_versions.selectors import policy_for_centre


def limit_staff_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: the session of a staff member (or an admin without a post) ends after
    the centre's policy value; the browser cookie ends with it."""
    staff = staff_of(user)
    policy = policy_for_centre(centre_id=getattr(staff, "centre_id", None))
    request.session.set_expiry(policy.organisation.staff_session_minutes * 60)

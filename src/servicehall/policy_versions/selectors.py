"""Which policy is in force (现行政策): the latest version of a centre effective on a given day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from servicehall.core.errors import DomainError
from servicehall.policy.in_force import InForce
from servicehall.policy.schema import Policy
from servicehall.policy_versions.models import PolicyVersion


class NoPolicyInForce(DomainError):
    """The centre has no policy version effective on the day asked for."""

    status = 409
    code = "no_policy"


def policy_in_force(*, centre_id: int, on: dt.date) -> tuple[PolicyVersion, Policy]:
    """The version with the latest `effective_from` <= `on`, and its parsed policy."""
    version = (
        PolicyVersion.objects.filter(centre_id=centre_id, effective_from__lte=on)
        .select_related("centre")
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        from servicehall.org.models import Centre

        centre = Centre.objects.filter(pk=centre_id).first()
        label = f"{centre.name} ({centre.code})" if centre else f"#{centre_id}"
        first = PolicyVersion.objects.filter(centre_id=centre_id).order_by("effective_from").first()
        hint = (
            f"; its first version starts {first.effective_from:%Y-%m-%d}"
            if first
            else "; publish one with `servicehall policy publish`"
        )
        raise NoPolicyInForce(
            f"服务中心 {label} 在 {on:%Y-%m-%d} 没有生效的政策版本 (no policy in force{hint})",
            centre_id=centre_id,
            on=on.isoformat(),
        )
    return version, parsed_policy(version)


def in_force_lookup(centre_id: int, on: dt.date) -> InForce | None:
    """`policy.in_force`'s lookup: the version in force, or None where `policy_in_force` refuses."""
    try:
        version, policy = policy_in_force(centre_id=centre_id, on=on)
    except NoPolicyInForce:
        return None
    return InForce(version.ref, policy)


def current_policy(*, centre_id: int) -> tuple[PolicyVersion, Policy]:
    """The policy in force today (local date)."""
    return policy_in_force(centre_id=centre_id, on=timezone.localdate())


def policy_for_centre(*, centre_id: int | None, on: dt.date | None = None) -> Policy:
    """The policy a centre's decisions use on `on` (default today): its version in force, or — for a
    centre that has published none yet — the installation's default preset (SERVICEHALL_DEFAULT_PRESET).
    The returned `Policy.ref` ("name@version") is what records keep."""
    if centre_id is not None:
        try:
            return policy_in_force(centre_id=centre_id, on=on or timezone.localdate())[1]
        except NoPolicyInForce:
            pass
    from django.conf import settings

    from servicehall.policy.loader import load_policy

    return load_policy(settings.SERVICEHALL_DEFAULT_PRESET)


def policy_versions(*, centre_id: int) -> list[PolicyVersion]:
    """All versions of a centre, newest first."""
    return list(PolicyVersion.objects.filter(centre_id=centre_id).order_by("-effective_from"))


def parsed_policy(version: PolicyVersion) -> Policy:
    """Parse a stored version once (see `PolicyVersion.policy`)."""
    return version.policy()

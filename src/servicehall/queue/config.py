"""Which queue policy applies: the centre's policy when the policy domain knows it, else the default preset."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from servicehall.core.errors import DomainError
from servicehall.policy.loader import load_policy
from servicehall.policy.sections.queue import QueuePolicy

_override: QueuePolicy | None = None


def queue_policy(*, centre_id: int | None = None) -> QueuePolicy:
    """The centre's queue policy in force today (`policy.selectors.policy_for_centre`), else the default preset."""
    if _override is not None:
        return _override
    from servicehall.policy_versions.selectors import policy_for_centre

    try:
        return policy_for_centre(centre_id=centre_id).queue
    except DomainError:  # an unreadable centre policy must not stop the kiosk; the preset applies
        return load_policy(settings.SERVICEHALL_DEFAULT_PRESET).queue


@contextmanager
def using_policy(policy: QueuePolicy) -> Iterator[QueuePolicy]:
    """Tests and benchmarks: run with a given queue policy."""
    global _override
    previous, _override = _override, policy
    try:
        yield policy
    finally:
        _override = previous

"""Which queue policy applies: the centre's policy when the policy domain knows it, else the default preset."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings

from servicehall.core.errors import DomainError
from servicehall.policy.loader import load_policy
from servicehall.policy.sections.queue import QueuePolicy

_override: QueuePolicy | None = None


@lru_cache(maxsize=8)
def _preset_queue_policy(ref: str) -> QueuePolicy:
    return load_policy(ref).queue


def queue_policy(*, centre_id: int | None = None) -> QueuePolicy:
    if _override is not None:
        return _override
    if centre_id is not None:
        found = _centre_policy(centre_id)
        if found is not None:
            return found
    return _preset_queue_policy(settings.SERVICEHALL_DEFAULT_PRESET)


def _centre_policy(centre_id: int) -> QueuePolicy | None:
    from servicehall.policy.selectors import policy_for_centre

    try:
        return policy_for_centre(centre_id=centre_id).queue
    except DomainError:  # an unreadable centre policy must not stop the kiosk; the preset applies
        return None


@contextmanager
def using_policy(policy: QueuePolicy) -> Iterator[QueuePolicy]:
    """Tests and benchmarks: run with a given queue policy."""
    global _override
    previous, _override = _override, policy
    try:
        yield policy
    finally:
        _override = previous

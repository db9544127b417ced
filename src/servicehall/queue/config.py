"""Which queue policy applies: the centre's policy when the policy domain knows it, else the default preset."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from servicehall.core.errors import DomainError
from servicehall.policy.loader import load_policy
from servicehall.policy.sections.queue import QueuePolicy

_override: QueuePolicy | None = None

# The queue policy in force per (centre, day), kept for a short while: every ticket, call and display
# refresh needs it, and looking it up costs several queries. A version saved or deleted in this process
# clears the cache at once; other app processes see it within POLICY_CACHE_SECONDS.
POLICY_CACHE_SECONDS = 30.0
_cache: dict[tuple[int | None, object], tuple[float, QueuePolicy]] = {}
_cache_lock = threading.Lock()


def queue_policy(*, centre_id: int | None = None) -> QueuePolicy:
    """The centre's queue policy in force today (`policy.selectors.policy_for_centre`), else the default preset."""
    if _override is not None:
        return _override
    key = (centre_id, timezone.localdate())
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    policy = _lookup(centre_id)
    with _cache_lock:
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = (now + POLICY_CACHE_SECONDS, policy)
    return policy


def _lookup(centre_id: int | None) -> QueuePolicy:
    from servicehall.policy_versions.selectors import policy_for_centre

    try:
        return policy_for_centre(centre_id=centre_id).queue
    except DomainError:  # an unreadable centre policy must not stop the kiosk; the preset applies
        return load_policy(settings.SERVICEHALL_DEFAULT_PRESET).queue


def clear_policy_cache(**_: object) -> None:
    """Forget the cached policies (connected to policy version saves and deletes)."""
    with _cache_lock:
        _cache.clear()


def _connect_invalidation() -> None:
    from servicehall.policy_versions.models import PolicyVersion

    post_save.connect(clear_policy_cache, sender=PolicyVersion, dispatch_uid="queue-policy-cache-save")
    post_delete.connect(clear_policy_cache, sender=PolicyVersion, dispatch_uid="queue-policy-cache-delete")


@contextmanager
def using_policy(policy: QueuePolicy) -> Iterator[QueuePolicy]:
    """Tests and benchmarks: run with a given queue policy."""
    global _override
    previous, _override = _override, policy
    try:
        yield policy
    finally:
        _override = previous

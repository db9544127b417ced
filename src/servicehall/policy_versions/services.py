"""Publishing policy versions (发布政策版本): validate, store atomically, audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from servicehall.core import access
from servicehall.core.audit import record_audit
from servicehall.core.errors import InputError
from servicehall.org.models import Centre
from servicehall.policy.loader import StoredLookup, load_policy_text, preset_names
from servicehall.policy.schema import Policy
from servicehall.policy_versions.models import PolicyVersion


def policy_digest(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a resolved policy."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def source_text(source: str) -> str:
    """A preset name becomes the one-line YAML `extends: <preset>`; anything else is YAML text."""
    return f"extends: {source}\n" if source.strip() in preset_names() else source


def stored_versions(centre: Centre | None) -> StoredLookup:
    """`name@version` → the resolved data of that version stored for `centre` (None when absent)."""

    def lookup(ref: str) -> dict[str, Any] | None:
        if centre is None:
            return None
        name, _, version = ref.partition("@")
        found = (
            PolicyVersion.objects.filter(centre=centre, name=name, version=version)
            .order_by("-effective_from")
            .values_list("data", flat=True)
            .first()
        )
        return dict(found) if isinstance(found, dict) else None

    return lookup


def validate_source(
    source: str,
    *,
    centre: Centre | None = None,
    base_dir: Path | None = None,
    allow_files: bool = False,
) -> tuple[str, Policy]:
    """(stored source text, validated policy) for a preset name or YAML text; raises PolicyError.

    `extends` may name a shipped preset or a version stored for `centre`; a file path only when
    `allow_files` (the command line publishing a local file), never from the web (INT-2).
    """
    text = source_text(source)
    policy = load_policy_text(
        text,
        source="policy",
        base_dir=base_dir,
        allow_files=allow_files,
        stored=stored_versions(centre),
    )
    return text, policy


@transaction.atomic
def publish_policy_version(
    *,
    centre: Centre,
    source: str,
    effective_from: dt.date,
    actor: Any | None,
    base_dir: Path | None = None,
    allow_files: bool = False,
) -> PolicyVersion:
    """Validate `source` (a preset name or YAML text) and store it for `centre` from `effective_from`.

    Nothing is written when the policy is invalid (PolicyError lists every problem) or when the centre
    already has a version starting that day (InputError). `base_dir` resolves a relative `extends:` file
    when `allow_files` (command line only).
    """
    # ORG-1: only the centre's own office (or one it granted management) publishes its policy
    access.ensure(actor, "policy", "publish", access.Target.of(centre_id=centre.pk), record=False)
    text, policy = validate_source(source, centre=centre, base_dir=base_dir, allow_files=allow_files)
    if PolicyVersion.objects.filter(centre=centre, effective_from=effective_from).exists():
        raise InputError(
            "effective_from",
            f"{centre.name} already has a policy version in force from {effective_from:%Y-%m-%d}",
        )
    data = policy.model_dump(mode="json")
    user = getattr(actor, "user", actor)
    version = PolicyVersion.objects.create(
        centre=centre,
        effective_from=effective_from,
        name=policy.name,
        version=policy.version,
        title=policy.title,
        data=data,
        digest=policy_digest(data),
        source=text,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record_audit(
        actor=actor,
        verb="policy.version.publish",
        target=version,
        data={"ref": version.ref, "effective_from": effective_from.isoformat(), "digest": version.digest},
    )
    return version


@transaction.atomic
def ensure_centre_policy(
    *,
    centre: Centre,
    preset: str | None = None,
    effective_from: dt.date = dt.date(2000, 1, 1),
    actor: Any | None = None,
) -> PolicyVersion:
    """Idempotent: the centre's earliest version, publishing `preset` (default: the setting
    SERVICEHALL_DEFAULT_PRESET) when the centre has none yet. For demo data and fresh installations."""
    existing = PolicyVersion.objects.filter(centre=centre).order_by("effective_from").first()
    if existing is not None:
        return existing
    if preset is None:
        from django.conf import settings

        preset = getattr(settings, "SERVICEHALL_DEFAULT_PRESET", "yuanzhou-p2")
    return publish_policy_version(centre=centre, source=preset, effective_from=effective_from, actor=actor)

"""Writes of the service-language domain (LANG-4, ASK-3): vetting a reply before it is sent."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from servicehall.core.audit import record_audit
from servicehall.language.errors import FlaggedReply, OverrideReasonRequired
from servicehall.language.matcher import Finding, check_reply
from servicehall.language.models import FlaggedReplyOverride
from servicehall.org.models import Staff

__all__ = ["check_reply", "record_override", "vet_reply"]


def _plain(findings: list[Finding] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f.as_dict() if isinstance(f, Finding) else dict(f) for f in findings]


@transaction.atomic
def record_override(
    *,
    staff: Staff,
    text: str,
    findings: list[Finding] | list[dict[str, Any]],
    reason: str,
    context: str = "",
) -> FlaggedReplyOverride:
    """Record that `staff` sends a flagged reply anyway; a non-empty reason is required (LANG-4)."""
    reason = (reason or "").strip()
    if not reason:
        raise OverrideReasonRequired()
    override = FlaggedReplyOverride(
        centre_id=staff.centre_id,
        staff=staff,
        text=text,
        findings=_plain(findings),
        reason=reason,
        context=context[:120],
    )
    override.full_clean()
    override.save()
    record_audit(
        actor=staff,
        verb="language.reply.override",
        target=override,
        reason=reason,
        data={"phrases": [f["phrase"] for f in override.findings], "context": context},
    )
    return override


@transaction.atomic
def vet_reply(
    *, staff: Staff, text: str, policy: Any, override_reason: str = "", context: str = ""
) -> list[Finding]:
    """Check a reply before it is sent (ASK-3 answers, LANG-4) and return its findings.

    Clean → []. Flagged without a reason → FlaggedReply (nothing written). Flagged with a reason → the
    override is recorded in the caller's transaction and the findings are returned.
    """
    findings = check_reply(text, policy)
    if not findings:
        return []
    if not (override_reason or "").strip():
        raise FlaggedReply(findings=_plain(findings))
    record_override(staff=staff, text=text, findings=findings, reason=override_reason, context=context)
    return findings

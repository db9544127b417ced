"""Errors of the service-language domain (文明用语), each citing its rule."""

from __future__ import annotations

from typing import Any

from servicehall.core.errors import RuleViolation


class FlaggedReply(RuleViolation):
    """A reply contains forbidden phrases and was sent without an override reason (LANG-4, ASK-3)."""

    def __init__(self, *, findings: list[dict[str, Any]]) -> None:
        phrases = "、".join(dict.fromkeys(f["phrase"] for f in findings))
        super().__init__(
            "LANG-4",
            f"回复含不文明用语（{phrases}）：请按建议修改，或填写理由后确认发送",
            findings=findings,
        )


class OverrideReasonRequired(RuleViolation):
    """Sending a flagged reply needs a stated reason (LANG-4)."""

    def __init__(self) -> None:
        super().__init__("LANG-4", "确认发送含禁语提示的回复时必须填写理由", field="reason")

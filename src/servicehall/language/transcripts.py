"""Review of conversation transcripts (会话记录抽查): JSON lines in, findings and three voices out.

LANG-1 (voices) and LANG-4 (forbidden phrases, staff turns only). Pure Python: no Django. A transcript
line is `{"speaker": "staff"|"citizen", "text": "...", "t": seconds}`, optionally with `"staff"` (who
served) and `"conversation"` (to put several conversations in one file).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from servicehall.core.errors import InputError
from servicehall.language.matcher import matcher_for
from servicehall.language.voices import SPEAKERS, STAFF, Turn, three_voices
from servicehall.policy.sections.language import LanguagePolicy

MAX_LINE_CHARS = 100_000


def parse_transcript(lines: Iterable[str], *, source: str = "stdin") -> list[Turn]:
    """Turns of a JSON-lines transcript; blank lines are skipped; a bad line raises InputError naming it."""
    turns: list[Turn] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{source} line {number}"
        if len(line) > MAX_LINE_CHARS:
            raise InputError(where, f"line is longer than {MAX_LINE_CHARS} characters")
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(data, dict):
            raise InputError(where, 'expected an object like {"speaker": "staff", "text": "...", "t": 0}')
        speaker = data.get("speaker")
        if speaker not in SPEAKERS:
            raise InputError(f"{where}, field speaker", f"must be 'staff' or 'citizen', got {speaker!r}")
        text = data.get("text")
        if not isinstance(text, str):
            raise InputError(f"{where}, field text", "is required and must be a string")
        t = data.get("t")
        if t is not None and (isinstance(t, bool) or not isinstance(t, int | float) or t < 0):
            raise InputError(f"{where}, field t", f"must be a number of seconds >= 0, got {t!r}")
        staff = data.get("staff", "")
        conversation = data.get("conversation", "")
        turns.append(
            Turn(
                speaker=speaker,
                text=text,
                t=float(t) if t is not None else None,
                staff=str(staff) if staff is not None else "",
                conversation=str(conversation) if conversation is not None else "",
                line=number,
            )
        )
    return turns


def turn_findings(turns: list[Turn], language: LanguagePolicy) -> list[dict[str, Any]]:
    """LANG-4 findings of the staff turns, each with its turn index, line and speaker."""
    matcher = matcher_for(language)
    staff_turns = [(index, turn) for index, turn in enumerate(turns) if turn.speaker == STAFF]
    found = matcher.scan_lines([turn.text for _, turn in staff_turns])
    return [
        {"turn": index, "line": turn.line, "speaker": turn.speaker, **finding.as_dict()}
        for (index, turn), findings in zip(staff_turns, found, strict=True)
        for finding in findings
    ]


def review_conversation(turns: list[Turn], language: LanguagePolicy) -> dict[str, Any]:
    """`{"findings": [...], "voices": {...}}` for one conversation."""
    return {"findings": turn_findings(turns, language), "voices": three_voices(turns, language).as_dict()}


def split_conversations(turns: list[Turn]) -> dict[str, list[Turn]]:
    """Turns grouped by their `conversation` label, in order of first appearance."""
    groups: dict[str, list[Turn]] = {}
    for turn in turns:
        groups.setdefault(turn.conversation, []).append(turn)
    return groups


@dataclass
class StaffStats:
    """Per-staff figures of a bulk review (LANG-1 coverage, LANG-4 findings)."""

    staff: str
    conversations: int = 0
    turns: int = 0
    findings: int = 0
    greeting: int = 0
    answer: int = 0
    farewell: int = 0
    phrases: dict[str, int] = field(default_factory=dict)

    def rate(self, count: int) -> float:
        return round(count / self.conversations, 3) if self.conversations else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "staff": self.staff,
            "conversations": self.conversations,
            "turns": self.turns,
            "findings": self.findings,
            "greeting_rate": self.rate(self.greeting),
            "answer_rate": self.rate(self.answer),
            "farewell_rate": self.rate(self.farewell),
            "phrases": dict(sorted(self.phrases.items(), key=lambda kv: -kv[1])),
        }


def bulk_review(turns: list[Turn], language: LanguagePolicy) -> dict[str, Any]:
    """Review every conversation of a transcript file and total the figures per staff member.

    A conversation is credited to the staff member named on its first staff turn ("" if none is named).
    """
    stats: dict[str, StaffStats] = {}
    conversations = []
    for label, conv in split_conversations(turns).items():
        result = review_conversation(conv, language)
        staff = next((t.staff for t in conv if t.speaker == STAFF and t.staff), "")
        s = stats.setdefault(staff, StaffStats(staff=staff))
        s.conversations += 1
        s.turns += sum(1 for t in conv if t.speaker == STAFF)
        s.findings += len(result["findings"])
        voices = result["voices"]
        s.greeting += voices["greeting"]
        s.answer += voices["answer"]
        s.farewell += voices["farewell"]
        for f in result["findings"]:
            s.phrases[f["phrase"]] = s.phrases.get(f["phrase"], 0) + 1
        conversations.append({"conversation": label, "staff": staff, **result})
    return {
        "conversations": conversations,
        "staff": [s.as_dict() for s in sorted(stats.values(), key=lambda s: (-s.findings, s.staff))],
    }

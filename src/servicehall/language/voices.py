"""Three voices (三声) / five voices (五声) of a conversation, LANG-1. Pure Python: no Django.

来有迎声 — the staff greet in one of their first turns; 问有答声 — every citizen question gets a staff
turn after it (within `answer_within_seconds` when times are known); 走有送声 — the staff say farewell in
one of their last turns. Five voices add 说有笑声 and 访有回声, which a transcript cannot show: they are
reported as `None` (to be checked on site).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from servicehall.language.matcher import compact
from servicehall.policy.sections.language import LanguagePolicy, Situation

STAFF = "staff"
CITIZEN = "citizen"
SPEAKERS = (STAFF, CITIZEN)


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str  # "staff" | "citizen"
    text: str
    t: float | None = None  # seconds from the start of the conversation
    staff: str = ""  # who spoke for the centre (工号 or name), for per-staff statistics
    conversation: str = ""
    line: int = 0  # line number in the transcript file, 1-based


@dataclass(frozen=True)
class VoicesReport:
    """Which voices were heard, and the turns (0-based indexes into the conversation) that gave them."""

    mode: str
    greeting: bool
    answer: bool
    farewell: bool
    greeting_turns: list[int] = field(default_factory=list)
    answer_turns: list[tuple[int, int]] = field(default_factory=list)  # (question turn, answering turn)
    unanswered: list[int] = field(default_factory=list)
    farewell_turns: list[int] = field(default_factory=list)
    questions: int = 0
    smile: bool | None = None  # 说有笑声 (five voices): not visible in a transcript
    follow_up: bool | None = None  # 访有回声 (five voices): not visible in a transcript

    @property
    def complete(self) -> bool:
        return self.greeting and self.answer and self.farewell

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": "LANG-1",
            "mode": self.mode,
            "greeting": self.greeting,
            "answer": self.answer,
            "farewell": self.farewell,
            "turns": {
                "greeting": self.greeting_turns,
                "answer": [list(pair) for pair in self.answer_turns],
                "farewell": self.farewell_turns,
            },
            "questions": self.questions,
            "unanswered": self.unanswered,
        }
        if self.mode == "five":
            out["smile"] = self.smile
            out["follow_up"] = self.follow_up
            out["unchecked"] = ["smile", "follow_up"]
        return out


def _phrases(language: LanguagePolicy, situation: Situation) -> list[str]:
    entry = language.situation(situation)
    keys = [compact(p) for p in entry.all_phrases()] if entry else []
    return [k for k in keys if k]


def _says_any(text: str, keys: list[str]) -> bool:
    packed = compact(text)
    return any(k in packed for k in keys)


def is_question(text: str, markers: list[str]) -> bool:
    packed = compact(text)
    raw = unicodedata.normalize("NFKC", text)
    for marker in markers:
        key = compact(marker)
        if (key and key in packed) or (not key and unicodedata.normalize("NFKC", marker) in raw):
            return True
    return False


def three_voices(turns: list[Turn], language: LanguagePolicy) -> VoicesReport:
    """LANG-1 report for one conversation (turns in spoken order)."""
    policy = language.voices
    staff_turns = [i for i, turn in enumerate(turns) if turn.speaker == STAFF]
    greet_keys = _phrases(language, Situation.GREETING)
    bye_keys = _phrases(language, Situation.FAREWELL)
    greeting_turns = [
        i for i in staff_turns[: policy.greeting_staff_turns] if _says_any(turns[i].text, greet_keys)
    ]
    farewell_turns = [
        i for i in staff_turns[-policy.farewell_staff_turns :] if _says_any(turns[i].text, bye_keys)
    ]

    questions = [
        i
        for i, turn in enumerate(turns)
        if turn.speaker == CITIZEN and is_question(turn.text, policy.question_markers)
    ]
    answered: list[tuple[int, int]] = []
    unanswered: list[int] = []
    for q in questions:
        reply = next((i for i in staff_turns if i > q), None)
        asked_at, replied_at = turns[q].t, turns[reply].t if reply is not None else None
        in_time = (
            asked_at is None or replied_at is None or replied_at - asked_at <= policy.answer_within_seconds
        )
        if reply is not None and in_time:
            answered.append((q, reply))
        else:
            unanswered.append(q)
    return VoicesReport(
        mode=policy.mode,
        greeting=bool(greeting_turns),
        answer=not unanswered,
        farewell=bool(farewell_turns),
        greeting_turns=greeting_turns,
        answer_turns=answered,
        unanswered=unanswered,
        farewell_turns=farewell_turns,
        questions=len(questions),
    )

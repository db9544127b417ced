"""Policy section `language` (文明用语 / 禁语): LANG-1..5 and the consultation replies of ASK-3.

The phrase catalogue imported from the seeds ships as data in `servicehall/language/phrases/catalogue.yaml`
and is this section's default, so every preset and every centre file gets it without copying; a centre
adds its own forbidden phrases with `extra_forbidden`, switches seed phrases off with `disabled`, or
replaces `forbidden` / `situations` wholesale.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, field_validator, model_validator

from servicehall.policy.base import PolicyRuleError, StrictModel, rule_field

CATALOGUE_FILE = Path(__file__).resolve().parents[2] / "language" / "phrases" / "catalogue.yaml"


# Pronoun slots in a phrase's variants (LANG-4): staff say 我, 我们, 咱们 or (in northern dialects) 俺 alike.
SLOTS = {"我": ("我", "我们", "咱们", "俺", "俺们"), "你": ("你", "你们", "您")}
_SLOT = re.compile(r"\{(我|你)\}|\[([^\[\]]*)\]")


def expand_slots(text: str) -> list[str]:
    """Every wording of a variant: `{我}` is a pronoun slot (我/我们/咱们/俺/俺们), `{你}` likewise (你/你们/您), and
    `[甲|乙]` lists alternatives (`[|都]` makes 都 optional)."""
    match = _SLOT.search(text)
    if match is None:
        return [text]
    options = SLOTS[match.group(1)] if match.group(1) else tuple(match.group(2).split("|"))
    head, tail = text[: match.start()], text[match.end() :]
    return [form for option in options for form in expand_slots(head + option + tail)]


class MatchScope(StrEnum):
    """Where a forbidden phrase counts (LANG-4)."""

    ANYWHERE = "anywhere"  # long phrases: flagged wherever they occur
    CLAUSE = "clause"  # short phrases: flagged only when a whole clause (minus filler chars) is the phrase


class Situation(StrEnum):
    """Service situations with required/recommended phrases (LANG-2, LANG-3)."""

    GREETING = "greeting"
    ASKING_MATERIALS = "asking_materials"
    MISSING_MATERIALS = "missing_materials"
    REFUSAL = "refusal"
    SYSTEM_FAILURE = "system_failure"
    COMPLAINT = "complaint"
    CROWDING = "crowding"
    LUNCH_BREAK = "lunch_break"
    FAREWELL = "farewell"
    PHONE = "phone"


class PhraseVariant(StrictModel):
    """Another wording of a forbidden phrase; `scope` defaults to the phrase's own scope."""

    text: str = Field(min_length=1)
    scope: MatchScope | None = None


class PhraseExamples(StrictModel):
    positive: list[str] = Field(min_length=1, description="Sentences that must be flagged")
    negative: list[str] = Field(min_length=1, description="Sentences that must not be flagged")


class ForbiddenPhrase(StrictModel):
    """One forbidden phrase (不文明禁语, LANG-4) with its wordings, scope, exceptions and polite rewrite."""

    model_config = StrictModel.model_config | {"json_schema_extra": {"rule": "LANG-4"}}

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable identifier, e.g. dont-know")
    text: str = Field(min_length=1, description="Canonical wording (Simplified)")
    scope: MatchScope = MatchScope.ANYWHERE
    variants: list[str | PhraseVariant] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list, description="Fine phrases that contain this one")
    rewrite: str = Field(min_length=1, description="Polite wording to use instead (from the seeds)")
    source: str = ""
    examples: PhraseExamples

    def wordings(self) -> list[tuple[str, MatchScope]]:
        """The canonical text and every variant, each with its effective scope; slots are expanded
        (`不归{我}管` → 不归我管 / 不归我们管 / 不归咱们管, see `expand_slots`)."""
        out = [(self.text, self.scope)]
        for v in self.variants:
            text, scope = (v, self.scope) if isinstance(v, str) else (v.text, v.scope or self.scope)
            out.extend((form, scope) for form in expand_slots(text))
        return out


class SituationPhrases(StrictModel):
    """Phrases for one situation: staff must use one of `required`; `recommended` are good alternatives."""

    model_config = StrictModel.model_config | {"json_schema_extra": {"rule": "LANG-3"}}

    situation: Situation
    required: list[str] = Field(default_factory=list)
    recommended: list[str] = Field(default_factory=list)
    source: str = ""

    def all_phrases(self) -> list[str]:
        return [*self.required, *self.recommended]


class VoicesPolicy(StrictModel):
    """Three voices (三声) or five voices (五声) for a conversation (LANG-1)."""

    model_config = StrictModel.model_config | {"json_schema_extra": {"rule": "LANG-1"}}

    mode: Literal["three", "five"] = rule_field(
        "three", rule="LANG-1", doc="three = 来有迎声/问有答声/走有送声; five adds 说有笑声 and 访有回声"
    )
    greeting_staff_turns: int = rule_field(
        2, rule="LANG-1", doc="The greeting must be in one of the first N staff turns", ge=1
    )
    farewell_staff_turns: int = rule_field(
        2, rule="LANG-1", doc="The farewell must be in one of the last N staff turns", ge=1
    )
    answer_within_seconds: int = rule_field(
        120, rule="LANG-1", doc="A citizen question counts as answered by a staff turn within this time", ge=1
    )
    question_markers: list[str] = rule_field(
        lambda: [
            "?",
            "？",
            "吗",
            "请问",
            "怎么",
            "什么",
            "哪",
            "几",
            "多少",
            "能不能",
            "可不可以",
            "是否",
            "如何",
        ],
        rule="LANG-1",
        doc="A citizen turn containing any of these is a question that needs an answer (问有答声)",
    )


@cache
def _catalogue_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _catalogue_models() -> tuple[tuple[SituationPhrases, ...], tuple[ForbiddenPhrase, ...]]:
    data = _catalogue_data()
    return (
        tuple(SituationPhrases.model_validate(d) for d in data["situations"]),
        tuple(ForbiddenPhrase.model_validate(d) for d in data["forbidden"]),
    )


def _default_situations() -> list[SituationPhrases]:
    return list(_catalogue_models()[0])


def _default_forbidden() -> list[ForbiddenPhrase]:
    return list(_catalogue_models()[1])


class LanguagePolicy(StrictModel):
    """Service language: courtesy phrases per situation, forbidden phrases, three/five voices."""

    courtesy_words: list[str] = rule_field(
        lambda: ["您好", "请", "谢谢", "对不起", "再见"],
        rule="LANG-2",
        doc="Ten-character courtesy (十字文明用语)",
    )
    situations: list[SituationPhrases] = rule_field(
        _default_situations, rule="LANG-3", doc="Required and recommended phrases per situation"
    )
    forbidden: list[ForbiddenPhrase] = rule_field(
        _default_forbidden, rule="LANG-4", doc="Forbidden phrases (不文明禁语) from the seeds"
    )
    extra_forbidden: list[ForbiddenPhrase] = rule_field(
        lambda: [], rule="LANG-4", doc="A centre's own forbidden phrases, added to `forbidden`"
    )
    disabled: list[str] = rule_field(lambda: [], rule="LANG-4", doc="Ids of forbidden phrases switched off")
    filler_chars: str = rule_field(
        "我也就啊呢吧了嘛呀哦哎唉嗯哈真都还这那个",
        rule="LANG-4",
        doc="Filler characters dropped around a clause-scope phrase before comparing the clause",
    )
    max_skipped_chars: int = rule_field(
        2,
        rule="LANG-4",
        doc="Ignorable characters (spaces, punctuation, emoji) allowed between phrase characters",
        ge=0,
    )
    voices: VoicesPolicy = rule_field(lambda: VoicesPolicy(), rule="LANG-1", doc="Three/five voices check")

    @field_validator("filler_chars")
    @classmethod
    def _fillers_are_single_chars(cls, value: str) -> str:
        return "".join(dict.fromkeys(value))

    @model_validator(mode="after")
    def _ids_unique_and_known(self) -> LanguagePolicy:
        seen: set[str] = set()
        for phrase in [*self.forbidden, *self.extra_forbidden]:
            if phrase.id in seen:
                raise PolicyRuleError(
                    "LANG-4", f"forbidden phrase id {phrase.id!r} is used twice", field="forbidden"
                )
            seen.add(phrase.id)
        unknown = sorted(set(self.disabled) - seen)
        if unknown:
            raise PolicyRuleError(
                "LANG-4", f"names unknown forbidden phrase ids: {', '.join(unknown)}", field="disabled"
            )
        return self

    def active_forbidden(self) -> list[ForbiddenPhrase]:
        off = set(self.disabled)
        return [p for p in [*self.forbidden, *self.extra_forbidden] if p.id not in off]

    def situation(self, situation: Situation | str) -> SituationPhrases | None:
        for s in self.situations:
            if s.situation == situation:
                return s
        return None

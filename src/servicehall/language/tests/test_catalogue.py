"""The whole phrase catalogue (LANG-2..5): every forbidden wording is caught in Simplified, Traditional,
full width and with up to two ignorable characters inserted; no shipped negative example is flagged."""

from __future__ import annotations

import pytest

from servicehall.language.matcher import Matcher, compact
from servicehall.language.tests.helpers import full_width, language, spaced, traditional
from servicehall.policy.loader import load_policy, preset_names
from servicehall.policy.sections.language import Situation

PHRASES = language().active_forbidden()
WORDINGS = [(p.id, w) for p in PHRASES for w, _ in p.wordings()]
POSITIVES = [(p.id, s) for p in PHRASES for s in p.examples.positive]
NEGATIVES = [(p.id, s) for p in PHRASES for s in p.examples.negative]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(language())


def ids(matcher: Matcher, text: str) -> set[str]:
    return {f.phrase_id for f in matcher.scan(text)}


def test_lang_4__catalogue_imports_every_seed_list():
    texts = {compact(w) for _, w in WORDINGS}
    # REGULATIONS LANG-4 examples (000 §六, 002 篇2 §四(九), 002 篇5 §二.7), each must be in the catalogue
    for seed in [
        "不知道", "我不管,问别人去", "我现在很忙,别来烦我", "别罗嗦,快点讲", "我快下班了,你动作快点",
        "我刚才已经说过了,你怎么还问", "你这人真笨", "都在办事须知上写着,你不会看吗", "有牌子,自己看",
        "没看我正忙着吗", "我就是这样的,你能把我怎么样", "有意见找领导去", "你去投诉好了", "下班了,明天再来",
        "我还没上班,等会再说", "你这人记性真差", "我的态度就这样,你能怎么着", "你去告好了", "你的记性真差",
        "快点,我要下班了", "我刚才已经说过,你怎么还问",
    ]:  # fmt: skip
        assert compact(seed) in texts, seed


def test_lang_3__every_situation_has_phrases():
    got = {s.situation for s in language().situations}
    assert got == set(Situation)
    for s in language().situations:
        assert s.all_phrases(), s.situation


@pytest.mark.parametrize(("phrase_id", "wording"), WORDINGS)
def test_lang_4__wording_in_simplified__flagged(matcher, phrase_id, wording):
    assert phrase_id in ids(matcher, wording)


@pytest.mark.parametrize(("phrase_id", "wording"), WORDINGS)
def test_lang_5__wording_in_traditional__flagged(matcher, phrase_id, wording):
    text = traditional(wording)
    assert phrase_id in ids(matcher, text), text


@pytest.mark.parametrize(("phrase_id", "wording"), WORDINGS)
def test_lang_4__wording_in_full_width__flagged(matcher, phrase_id, wording):
    text = full_width(wording)
    assert phrase_id in ids(matcher, text), text


@pytest.mark.parametrize("count", [1, 2])
@pytest.mark.parametrize(("phrase_id", "wording"), WORDINGS)
def test_lang_4__wording_with_inserted_ignorables__flagged(matcher, phrase_id, wording, count):
    packed = wording.replace("，", "")
    for offset in range(3):
        text = spaced(packed, count, offset)
        found = [f for f in matcher.scan(text) if f.phrase_id == phrase_id]
        assert found, repr(text)
        assert found[0].matched == text[found[0].start : found[0].end]


@pytest.mark.parametrize(("phrase_id", "wording"), WORDINGS)
def test_lang_4__traditional_full_width_and_spaced_together__flagged(matcher, phrase_id, wording):
    text = full_width(spaced(traditional(wording.replace("，", "")), 2, 5))
    assert phrase_id in ids(matcher, text), repr(text)


@pytest.mark.parametrize(("phrase_id", "sentence"), POSITIVES)
def test_lang_4__positive_example__flagged(matcher, phrase_id, sentence):
    assert phrase_id in ids(matcher, sentence)
    assert phrase_id in ids(matcher, traditional(sentence))


@pytest.mark.parametrize(("phrase_id", "sentence"), NEGATIVES)
def test_lang_4__negative_example__not_flagged(matcher, phrase_id, sentence):
    assert matcher.scan(sentence) == []
    assert matcher.scan(traditional(sentence)) == []
    assert matcher.scan(full_width(sentence)) == []


def test_lang_4__every_phrase_ships_examples_and_a_rewrite():
    for p in PHRASES:
        assert p.examples.positive, p.id
        assert p.examples.negative, p.id
        assert p.rewrite, p.id
        assert Matcher(language()).scan(p.rewrite) == [], f"rewrite of {p.id} is itself flagged"


@pytest.mark.parametrize("preset", preset_names())
def test_lang_4__every_preset_carries_the_catalogue(preset):
    policy = load_policy(preset)
    assert {p.id for p in policy.language.active_forbidden()} >= {p.id for p in PHRASES}

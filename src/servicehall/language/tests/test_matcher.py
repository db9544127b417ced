"""Matcher behaviour (LANG-4, LANG-5): offsets into the original text, gap limit, clause scope, allow-phrases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.language.matcher import CLAUSE, SKIP, Matcher, check_reply, compact, fold
from servicehall.language.tests.helpers import IGNORABLES, language
from servicehall.policy.sections.language import LanguagePolicy


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(language())


def test_lang_5__fold_keeps_length_and_folds_width_script_case():
    text = "ＡＢ你這人真笨，ok😀\u200b"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded[:7] == "ab你这人真笨"
    assert folded[7] == CLAUSE
    assert folded[-2:] == SKIP + SKIP
    assert compact("別 來 煩 我！") == "别来烦我"


def test_lang_4__offsets_point_into_the_original_text(matcher):
    text = "😀😀您好。我也 不 知 道！"
    [f] = matcher.scan(text)
    assert (f.start, f.end) == (8, 13)  # two emoji, 您好。我也 and a space come first
    assert text[f.start : f.end] == f.matched == "不 知 道"
    assert f.rule == "LANG-4"
    assert f.phrase == "不知道"
    assert f.suggestion


def test_lang_4__three_ignorables_between_two_characters__not_flagged(matcher):
    assert matcher.scan("你这人真笨")
    assert matcher.scan("你这  人真笨")
    assert matcher.scan("你这   人真笨") == []
    assert matcher.scan("你这 ,*人真笨") == []


def test_lang_4__max_skipped_chars_is_a_policy_value():
    strict = Matcher(LanguagePolicy(max_skipped_chars=0))
    assert strict.scan("你这人真笨")
    assert strict.scan("你这 人真笨") == []


def test_lang_4__clause_scope__whole_clause_only(matcher):
    assert [f.phrase_id for f in matcher.scan("我也不知道。")] == ["dont-know"]
    assert [f.phrase_id for f in matcher.scan("办好了。不知道！")] == ["dont-know"]
    assert matcher.scan("如果您不知道怎么填，我来帮您") == []
    assert matcher.scan("您不知道吗这个流程") == []


def test_lang_4__fillers_are_a_policy_value():
    no_fillers = Matcher(LanguagePolicy(filler_chars=""))
    assert no_fillers.scan("我也不知道。") == []
    assert no_fillers.scan("不知道。")


def test_lang_4__allow_phrase_suppresses_only_inside_it(matcher):
    assert matcher.scan("我帮您问别人去") == []
    assert [f.phrase_id for f in matcher.scan("问别人去")] == ["not-my-business"]


def test_lang_4__phrase_never_spans_two_lines(matcher):
    assert matcher.scan("你这人\n真笨") == []


def test_lang_4__canonical_wording_reported_once_not_with_its_variants(matcher):
    found = matcher.scan("我现在很忙，别来烦我！")
    assert [(f.phrase_id, f.start, f.end) for f in found] == [("too-busy-dont-bother", 0, 10)]


def test_lang_4__two_phrases_in_one_text__both_in_order(matcher):
    text = "你这人真笨，有意见找领导去！"
    found = matcher.scan(text)
    assert [f.phrase_id for f in found] == ["stupid", "go-to-leader"]
    assert [text[f.start : f.end] for f in found] == ["你这人真笨", "有意见找领导去"]


def test_lang_4__disabled_and_extra_phrases():
    custom = LanguagePolicy(
        disabled=["stupid"],
        extra_forbidden=[
            {
                "id": "whatever",
                "text": "爱办不办",
                "rewrite": "请您听我详细解释一下好吗",
                "examples": {"positive": ["爱办不办！"], "negative": ["我们一定给您办好。"]},
            }
        ],
    )
    found = Matcher(custom).scan("你这人真笨，爱办不办")
    assert [f.phrase_id for f in found] == ["whatever"]


def test_lang_4__check_reply_accepts_whole_policy_or_section():
    from servicehall.policy.loader import load_policy

    policy = load_policy("yuanzhou-p2")
    assert check_reply("别来烦我", policy) == check_reply("别来烦我", policy.language)
    assert check_reply("", policy) == []


TEXT = st.text(
    alphabet=st.sampled_from(
        list("你这人真笨别来烦我不知道您好请问。，！ 😀\u200b我也ＡＢ這煩來\n") + IGNORABLES
    ),
    max_size=60,
)


@given(TEXT)
def test_lang_4__any_text__findings_are_exact_slices_and_fold_to_their_wording(text):
    m = Matcher(language())
    for f in m.scan(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.matched
        phrase = next(p for p in language().active_forbidden() if p.id == f.phrase_id)
        assert compact(f.matched) in {compact(w) for w, _ in phrase.wordings()}


@given(prefix=TEXT, suffix=TEXT, count=st.integers(0, 2), offset=st.integers(0, 9))
def test_lang_4__long_phrase_with_up_to_two_ignorables__found_anywhere(prefix, suffix, count, offset):
    gap = "".join(IGNORABLES[(offset + k) % len(IGNORABLES)] for k in range(count))
    phrase = gap.join("你这人真笨")
    text = prefix.replace("\n", "") + phrase + suffix
    start = len(prefix.replace("\n", ""))
    found = Matcher(language()).scan(text)
    assert any(f.phrase_id == "stupid" and f.start <= start and start + len(phrase) <= f.end for f in found)


_LINE_PIECES = [
    "不知道",
    "不 知 道",
    "我也不知道",
    "您好",
    "别来烦我",
    "這不歸我管",
    "，",
    "！",
    " ",
    "明天再来",
    "谢谢",
]


@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), max_size=6).map("".join), max_size=12))
def test_lang_4__scan_lines_equals_scanning_each_line(matcher, lines):
    """LANG-4: the one-pass per-line scan finds exactly what a scan of each line finds, never across lines."""
    assert [list(found) for found in matcher.scan_lines(lines)] == [matcher.scan(line) for line in lines]


def test_lang_4__a_phrase_split_over_two_lines_is_not_flagged(matcher):
    assert [list(found) for found in matcher.scan_lines(["我也不知", "道。"])] == [[], []]
    assert [f.phrase for f in matcher.scan_lines(["您好", "我也不知道"])[1]] == ["不知道"]


@pytest.mark.parametrize("batch", [1, 7, 30])
def test_lang_4__scan_lines_in_small_batches_equals_scanning_each_line(matcher, monkeypatch, batch):
    """Batches of joined lines (any size, down to one line each) change nothing (LANG-4)."""
    from servicehall.language import matcher as module

    monkeypatch.setattr(module, "BATCH_CHARS", batch)
    lines = [_LINE_PIECES[(i * 7) % len(_LINE_PIECES)] * (1 + i % 3) for i in range(60)] + ["", "不知道"]
    assert [list(found) for found in matcher.scan_lines(lines)] == [matcher.scan(line) for line in lines]

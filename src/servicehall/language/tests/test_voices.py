"""Three voices / five voices (LANG-1) on whole conversations."""

from __future__ import annotations

from servicehall.language.tests.helpers import language
from servicehall.language.voices import Turn, is_question, three_voices
from servicehall.policy.sections.language import LanguagePolicy


def conversation(*lines: tuple[str, str, float]) -> list[Turn]:
    return [Turn(speaker=s, text=x, t=t) for s, x, t in lines]


NO_FAREWELL = conversation(
    ("staff", "您好！请问您办理什么业务？", 0),
    ("citizen", "我想办营业执照，需要带什么材料？", 4),
    ("staff", "请您先备齐身份证和租赁合同，请填写这张申请表。", 10),
    ("citizen", "好的，谢谢。", 30),
    ("staff", "不客气。", 32),
)


def test_lang_1__conversation_without_farewell__farewell_missing_others_given():
    report = three_voices(NO_FAREWELL, language())
    assert (report.greeting, report.answer, report.farewell) == (True, True, False)
    assert report.greeting_turns == [0]
    assert report.answer_turns == [(1, 2)]
    assert report.farewell_turns == []
    assert not report.complete


def test_lang_1__same_conversation_with_farewell__complete():
    turns = [*NO_FAREWELL, Turn("staff", "您慢走，再见！", 35)]
    report = three_voices(turns, language())
    assert report.farewell
    assert report.farewell_turns == [5]
    assert report.complete


def test_lang_1__traditional_greeting_counts():
    turns = conversation(("staff", "您好，請問您辦理什麼業務？", 0), ("staff", "請慢走", 9))
    report = three_voices(turns, language())
    assert (report.greeting_turns, report.farewell_turns) == ([0], [1])
    plain = conversation(("staff", "辦理什麼業務？", 0), ("staff", "好了。", 9))
    assert (three_voices(plain, language()).greeting, three_voices(plain, language()).farewell) == (
        False,
        False,
    )


def test_lang_1__greeting_only_in_the_first_staff_turns():
    turns = conversation(
        ("staff", "身份证给我。", 0),
        ("staff", "表填一下。", 5),
        ("staff", "您好。", 9),
    )
    assert not three_voices(turns, language()).greeting
    wider = LanguagePolicy(voices={"greeting_staff_turns": 3})
    assert three_voices(turns, wider).greeting


def test_lang_1__question_answered_too_late__unanswered():
    turns = conversation(
        ("staff", "您好。", 0),
        ("citizen", "请问社保窗口在哪里？", 10),
        ("staff", "在二楼5号窗口，请慢走。", 200),
    )
    report = three_voices(turns, language())
    assert report.unanswered == [1]
    assert not report.answer
    patient = LanguagePolicy(voices={"answer_within_seconds": 300})
    assert three_voices(turns, patient).answer


def test_lang_1__last_question_never_answered():
    turns = conversation(("staff", "您好。", 0), ("citizen", "多少钱？", 3))
    report = three_voices(turns, language())
    assert report.questions == 1
    assert report.unanswered == [1]


def test_lang_1__statement_is_not_a_question():
    assert is_question("请问这个要交费吗？", language().voices.question_markers)
    assert is_question("要多久?", language().voices.question_markers)
    assert not is_question("好的，谢谢。", language().voices.question_markers)


def test_lang_1__five_voices_mode_reports_unchecked_voices():
    five = LanguagePolicy(voices={"mode": "five"})
    data = three_voices(NO_FAREWELL, five).as_dict()
    assert data["mode"] == "five"
    assert data["smile"] is None
    assert data["follow_up"] is None
    assert data["unchecked"] == ["smile", "follow_up"]
    assert "smile" not in three_voices(NO_FAREWELL, language()).as_dict()

"""Pronoun slots in forbidden-phrase variants (LANG-4): 不归我管 is caught as 不归我们管 and 不归咱们管 too."""

from __future__ import annotations

import pytest

from servicehall.language.matcher import matcher_for
from servicehall.policy.loader import load_policy
from servicehall.policy.sections.language import expand_slots


def test_lang_4__slot_expands_to_every_pronoun_and_alternative():
    assert expand_slots("不归{我}管") == ["不归我管", "不归我们管", "不归咱们管", "不归俺管", "不归俺们管"]
    assert expand_slots("{你}自己看") == ["你自己看", "你们自己看", "您自己看"]
    assert expand_slots("[|都]不归{我}管") == [
        "不归我管", "不归我们管", "不归咱们管", "不归俺管", "不归俺们管",
        "都不归我管", "都不归我们管", "都不归咱们管", "都不归俺管", "都不归俺们管",
    ]  # fmt: skip
    assert expand_slots("没有槽位") == ["没有槽位"]


@pytest.mark.parametrize(
    "text", ["不归我们管。", "这个不归咱们管啊", "不归我管！", "我们不管！", "这不归俺们管。"]
)
def test_lang_4__not_my_business_is_caught_with_any_pronoun(text):
    found = matcher_for(load_policy("yuanzhou-p2").language).scan(text)
    assert [f.as_dict()["phrase_id"] for f in found] == ["not-my-business"]


def test_lang_4__slot_keeps_the_clause_scope():
    """A conditional sentence that merely contains the words is not the forbidden reply."""
    matcher = matcher_for(load_policy("yuanzhou-p2").language)
    assert matcher.scan("这件事不归我们管的话，我也会带您去对应窗口。") == []


def test_lang_1__plain_text_and_xlsx_transcripts_are_read_like_json_lines():
    """会话记录抽查 accepts 工作人员：/群众： lines and a workbook with 说话人/内容 columns (LANG-1, LANG-4)."""
    import io

    from openpyxl import Workbook

    from servicehall.core.errors import InputError
    from servicehall.language.transcripts import parse_any_transcript

    text = "# 会话 C1 工号 W001\n[00:01] 工作人员：您好，请坐\n群众：我想办营业执照\n窗口：不归我们管，再见\n"
    turns = parse_any_transcript(text.encode(), filename="a.txt")
    assert [(t.speaker, t.text, t.staff, t.conversation) for t in turns] == [
        ("staff", "您好，请坐", "W001", "C1"),
        ("citizen", "我想办营业执照", "W001", "C1"),
        ("staff", "不归我们管，再见", "W001", "C1"),
    ]
    assert turns[0].t == 1.0
    with pytest.raises(InputError) as bad:
        parse_any_transcript("工作人员：您好\n随便说一句\n".encode(), filename="b.txt")
    assert "第 2 行" in str(bad.value)

    book = Workbook()
    sheet = book.active
    sheet.append(["说话人", "内容", "工号"])
    sheet.append(["工作人员", "您好", "W002"])
    sheet.append(["群众", "谢谢", "W002"])
    out = io.BytesIO()
    book.save(out)
    rows = parse_any_transcript(out.getvalue(), filename="c.xlsx")
    assert [(t.speaker, t.text, t.staff) for t in rows] == [
        ("staff", "您好", "W002"),
        ("citizen", "谢谢", "W002"),
    ]
    with pytest.raises(InputError):
        parse_any_transcript(b"not a workbook", filename="d.xlsx")

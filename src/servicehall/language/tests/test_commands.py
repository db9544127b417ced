"""`servicehall language check|review` (LANG-1, LANG-4): the CLI contract."""

from __future__ import annotations

import io
import json
import sys

import pytest

from servicehall.core.runtime import command_runner
from servicehall.language import commands

main = command_runner(commands)  # `servicehall ...` with this domain's commands


def run(monkeypatch, capsys, argv: list[str], stdin: str | bytes) -> tuple[int, dict | None, str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_lang_4__check__findings_with_line_numbers_and_offsets(monkeypatch, capsys):
    code, out, _ = run(
        monkeypatch, capsys, ["language", "check"], "您好，请坐。\n我也不知道。\n好的 別 來 煩我\n"
    )
    assert code == 0
    got = [(f["line"], f["phrase"], f["matched"], f["start"], f["end"]) for f in out["findings"]]
    assert got == [(2, "不知道", "不知道", 2, 5), (3, "我现在很忙，别来烦我", "別 來 煩我", 3, 9)]
    assert all(f["rule"] == "LANG-4" and f["suggestion"] for f in out["findings"])


def test_lang_4__check__clean_text__empty_findings_exit_0(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, ["language", "check", "--policy", "centre-000"], "您好，请坐。\n")
    assert code == 0
    assert out == {"findings": []}


def test_lang_4__check__invalid_utf8__exit_2_names_line(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, ["language", "check"], b"ok\n\xff\xfe\n")
    assert code == 2
    assert out is None
    assert "stdin line 2" in err


def test_lang_4__check__unknown_policy__exit_2(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, ["language", "check", "--policy", "no-such-preset"], "x\n")
    assert code == 2
    assert "no-such-preset" in err


TRANSCRIPT = [
    {"speaker": "staff", "text": "您好！请问您办理什么业务？", "t": 0},
    {"speaker": "citizen", "text": "不知道。在哪里交材料？", "t": 3},
    {"speaker": "staff", "text": "有牌子，自己看！", "t": 8},
    {"speaker": "citizen", "text": "好吧。", "t": 15},
]


def test_lang_1__review__findings_of_staff_only_and_voices(monkeypatch, capsys):
    stdin = "\n".join(json.dumps(t, ensure_ascii=False) for t in TRANSCRIPT) + "\n"
    code, out, _ = run(monkeypatch, capsys, ["language", "review"], stdin)
    assert code == 0
    # the citizen's 不知道 is not a finding: only staff turns are checked
    assert [(f["turn"], f["phrase_id"], f["speaker"]) for f in out["findings"]] == [
        (2, "sign-read-yourself", "staff")
    ]
    voices = out["voices"]
    assert (voices["greeting"], voices["answer"], voices["farewell"]) == (True, True, False)
    assert voices["turns"]["greeting"] == [0]
    assert voices["turns"]["answer"] == [[1, 2]]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"speaker": "boss", "text": "x", "t": 1}', "speaker"),
        ('{"speaker": "staff", "t": 1}', "field text"),
        ('{"speaker": "staff", "text": "x", "t": "soon"}', "field t"),
        ("[1, 2]", "expected an object"),
    ],
)
def test_lang_1__review__bad_line__exit_2_names_line(monkeypatch, capsys, line, message):
    stdin = json.dumps(TRANSCRIPT[0], ensure_ascii=False) + "\n\n" + line + "\n"
    code, out, err = run(monkeypatch, capsys, ["language", "review"], stdin)
    assert code == 2
    assert out is None
    assert "stdin line 3" in err
    assert message in err


def test_lang_1__review_per_staff__totals(monkeypatch, capsys):
    lines = [
        {"conversation": "a", "staff": "S1", "speaker": "staff", "text": "您好", "t": 0},
        {"conversation": "a", "staff": "S1", "speaker": "staff", "text": "别来烦我，再见", "t": 5},
        {"conversation": "b", "staff": "S2", "speaker": "staff", "text": "您好，请慢走", "t": 0},
    ]
    stdin = "\n".join(json.dumps(t, ensure_ascii=False) for t in lines)
    code, out, _ = run(monkeypatch, capsys, ["language", "review", "--per-staff"], stdin)
    assert code == 0
    by_staff = {s["staff"]: s for s in out["staff"]}
    assert by_staff["S1"]["findings"] == 1
    assert by_staff["S2"]["findings"] == 0
    assert by_staff["S1"]["farewell_rate"] == 1.0
    assert by_staff["S2"]["greeting_rate"] == 1.0

"""`servicehall supervision cards` (SUP-1): the CLI contract on files, on every preset."""

from __future__ import annotations

import json

import pytest

from servicehall.core.runtime import command_runner
from servicehall.policy.loader import load_policy, preset_names
from servicehall.supervision import commands

main = command_runner(commands)  # `servicehall ...` with this domain's commands

HEADER = "case_id,accepted_at,limit_days,pauses,extension_days,concluded_at\n"


def run(capsys, tmp_path, body: str, *, at: str, policy: str = "yuanzhou-p2"):
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    code = main(
        ["supervision", "cards", "--policy", policy, "--cases", str(path), "--at", at, "--format", "json"]
    )
    out = capsys.readouterr()
    return code, out.out, out.err, path


@pytest.mark.parametrize("preset", preset_names())
def test_sup_1__cli_contract_on_every_preset(capsys, tmp_path, preset):
    body = (
        "B-10,2025-09-30 10:00,2,,,\n"
        "A-2,2025-10-09 10:00,2,2025-10-10:2025-10-13,,\n"
        "A-1,2025-09-30 10:00,2,,,2025-10-10 16:00\n"
        "C,2025-10-09 10:00,1,,,\n"
    )
    code, out, err, _ = run(capsys, tmp_path, body, at="2025-10-14 00:00", policy=preset)
    assert code == 0, err
    doc = json.loads(out)
    policy = load_policy(preset)
    assert doc["at"] == "2025-10-14 00:00"
    assert doc["policy"] == policy.ref
    assert list(doc) == ["at", "policy", "cards"]
    for card in doc["cards"]:
        assert list(card) == ["case_id", "colour", "rule", "due_date", "due_at"]
        assert card["rule"] == "SUP-1"
    keys = [(c["case_id"], c["colour"]) for c in doc["cards"]]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1] != "yellow"))  # text order, yellow first
    assert ("A-1", "red") not in keys  # concluded on D: on time, no red (the yellow stays)
    if (
        policy.supervision.yellow_card_lead_working_days == 1
        and policy.supervision.red_card_after_due_working_days == 0
    ):
        assert doc["cards"] == [
            {
                "case_id": "A-1",
                "colour": "yellow",
                "rule": "SUP-1",
                "due_date": "2025-10-10",
                "due_at": "2025-10-09 00:00",
            },
            # A-2 is paused 10-10..10-13: D moves to 10-15, yellow on 10-14 at 00:00
            {
                "case_id": "A-2",
                "colour": "yellow",
                "rule": "SUP-1",
                "due_date": "2025-10-15",
                "due_at": "2025-10-14 00:00",
            },
            {
                "case_id": "B-10",
                "colour": "yellow",
                "rule": "SUP-1",
                "due_date": "2025-10-10",
                "due_at": "2025-10-09 00:00",
            },
            {
                "case_id": "B-10",
                "colour": "red",
                "rule": "SUP-1",
                "due_date": "2025-10-10",
                "due_at": "2025-10-11 00:00",
            },
            {
                "case_id": "C",
                "colour": "yellow",
                "rule": "SUP-1",
                "due_date": "2025-10-10",
                "due_at": "2025-10-09 10:00",
            },
            {
                "case_id": "C",
                "colour": "red",
                "rule": "SUP-1",
                "due_date": "2025-10-10",
                "due_at": "2025-10-11 00:00",
            },
        ]


def test_sup_1__cli_only_cards_due_at_or_before_at(capsys, tmp_path):
    _code, out, _, _ = run(capsys, tmp_path, "X,2025-09-30 10:00,2,,,\n", at="2025-10-10 23:59")
    assert [c["colour"] for c in json.loads(out)["cards"]] == ["yellow"]
    _code, out, _, _ = run(capsys, tmp_path, "X,2025-09-30 10:00,2,,,\n", at="2025-10-11 00:00")
    assert [c["colour"] for c in json.loads(out)["cards"]] == ["yellow", "red"]


def test_sup_1__cli_concluded_exactly_at_the_instant_still_gets_the_card(capsys, tmp_path):
    _code, out, _, _ = run(
        capsys, tmp_path, "X,2025-09-30 10:00,2,,,2025-10-11 00:00\n", at="2025-10-20 09:00"
    )
    assert [c["colour"] for c in json.loads(out)["cards"]] == ["yellow", "red"]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("X,2025-09-30,2,,,", "accepted_at"),
        ("X,2025-09-30 10:00,two,,,", "limit_days"),
        ("X,2025-09-30 10:00,-1,,,", "limit_days"),
        ("X,2025-09-30 10:00,2,2025-10-10,,", "pauses"),
        ("X,2025-09-30 10:00,2,2025-10-12:2025-10-10,,", "pauses"),
        ("X,2025-09-30 10:00,2,,x,", "extension_days"),
        ("X,2025-09-30 10:00,2,,,yesterday", "concluded_at"),
        (",2025-09-30 10:00,2,,,", "case_id"),
    ],
)
def test_sup_1__cli_bad_row_names_file_row_column_exit_2(capsys, tmp_path, row, column):
    code, out, err, path = run(
        capsys, tmp_path, "OK,2025-09-30 10:00,2,,,\n" + row + "\n", at="2025-10-20 09:00"
    )
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {path}, row 3, column {column}:")
    assert "Traceback" not in err


def test_sup_1__cli_missing_column_and_bad_at(capsys, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_id,accepted_at,limit_days\nX,2025-09-30 10:00,2\n", encoding="utf-8")
    code = main(
        ["supervision", "cards", "--policy", "yuanzhou-p2", "--cases", str(path), "--at", "2025-10-20 09:00"]
    )
    assert code == 2
    assert f"{path}, row 1, column pauses" in capsys.readouterr().err
    code, *_ = run(capsys, tmp_path, "X,2025-09-30 10:00,2,,,\n", at="tomorrow")
    assert code == 2


def test_sup_1__cli_year_not_loaded_names_the_row(capsys, tmp_path):
    code, _, err, path = run(capsys, tmp_path, "X,2099-09-30 10:00,2,,,\n", at="2099-10-20 09:00")
    assert code == 2
    assert f"{path}, row 2, column accepted_at" in err

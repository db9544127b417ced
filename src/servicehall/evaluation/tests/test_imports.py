"""`servicehall ratings import`: the provincial 好差评 export, idempotent and atomic (EVAL-1)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from servicehall.core.errors import InputError
from servicehall.core.runtime import command_runner
from servicehall.evaluation import commands
from servicehall.evaluation.imports import import_ratings_file
from servicehall.evaluation.models import Rating, Rectification

main = command_runner(commands)  # `servicehall ...` with this domain's commands


def _csv(voice, *extra: str) -> str:
    lines = [
        "评价时间,评价部门,窗口,工作人员,评价等级,评价渠道,服务编号,评价内容",
        f"2026-03-02 09:00,区市场监督管理局,1,{voice.clerk_a.staff_no},非常满意,PC,P-1,很好",
        f"2026-03-02 09:30,人社,10号窗口,{voice.clerk_b.staff_no},不满意,app,P-2,等太久",
        "2026-03-02 10:00,人社,,,satisfied,,,",
        *extra,
    ]
    return "\n".join(lines) + "\n"


def test_eval_1__import_twice__second_run_adds_nothing(voice, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(_csv(voice), encoding="utf-8")
    first = import_ratings_file(path=path, centre_code=voice.centre.code)
    again = import_ratings_file(path=path, centre_code=voice.centre.code)
    assert (first.created, first.skipped) == (3, 0)
    assert (again.created, again.skipped) == (0, 3)
    assert Rating.objects.count() == 3
    bad = Rating.objects.get(satisfied=False)
    assert bad.window == voice.window_b
    assert bad.staff == voice.clerk_b
    assert Rectification.objects.filter(rating=bad).exists()


def test_eval_1__import_bad_row__names_row_and_column_and_writes_nothing(voice, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(_csv(voice, "2026-03-02 11:00,人社,,,很棒,,P-9,"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_ratings_file(path=path, centre_code=voice.centre.code)
    assert err.value.where == f"{path}, row 5, column level"
    assert not Rating.objects.exists()


def test_eval_1__import_xlsx_through_the_cli(voice, tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    for line in _csv(voice).splitlines():
        ws.append(line.split(","))
    path = tmp_path / "export.xlsx"
    wb.save(path)
    assert main(["ratings", "import", str(path), "--centre", voice.centre.code]) == 0
    assert Rating.objects.filter(source="import").count() == 3
    assert main(["ratings", "import", str(tmp_path / "missing.csv"), "--centre", voice.centre.code]) == 2
    assert "error:" in capsys.readouterr().err


def test_eval_1__import_oversized_file_is_refused(voice, tmp_path, monkeypatch):
    from servicehall.evaluation import formats

    monkeypatch.setattr(formats, "MAX_BYTES", 100)
    path = tmp_path / "export.csv"
    path.write_text(_csv(voice), encoding="utf-8")
    with pytest.raises(InputError, match="limit"):
        import_ratings_file(path=path, centre_code=voice.centre.code)


def test_eval_1__scan_cli_flags_a_rating_with_no_service(voice, capsys):
    import json

    from servicehall.evaluation import services
    from servicehall.evaluation.tests.conftest import local

    services.submit_rating(
        centre_id=voice.centre.pk, level="satisfied", at=local(2026, 3, 2, 9), source="import"
    )
    assert main(["ratings", "scan", "--centre", voice.centre.code, "--month", "2026-03"]) == 0
    assert [f["kind"] for f in json.loads(capsys.readouterr().out)] == ["no_service"]
    assert main(["ratings", "scan", "--centre", "nope", "--month", "2026-03"]) == 2
    assert Rating.objects.count() == 1

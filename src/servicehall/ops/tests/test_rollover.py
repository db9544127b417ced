"""Calendar rollover (跨年工作日历, CASE-5): a case whose limit crosses into a year whose calendar is not
loaded gets a provisional due date, and loading the year's notice recounts it (logged)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from servicehall.cases import commands as cases_commands
from servicehall.cases import services as case_services
from servicehall.cases.enums import EventKind
from servicehall.cases.tests.factories import Hall, local
from servicehall.core.runtime import command_runner
from servicehall.ops import commands as ops_commands
from servicehall.ops.checks import calendar_findings
from servicehall.ops.rollover import load_notice_and_recount
from servicehall.policy_versions import commands as policy_commands
from servicehall.workdays import commands as workdays_commands
from servicehall.workdays import selectors
from servicehall.workdays.models import CalendarDay
from servicehall.workdays.notice import parse_notice

pytestmark = pytest.mark.django_db

# `servicehall ...` with the commands these tests drive (ops adds its steps to `workdays`, so it comes after)
main = command_runner(workdays_commands, cases_commands, policy_commands, ops_commands)

NOTICES = Path(__file__).resolve().parents[2] / "workdays" / "tests" / "notices"

# Not an official text: a made-up 2027 notice in the published style, for the rollover tests only
# (the real one is not out when these tests are written). 1 January 2027 is a Friday.
TEST_NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至4日（周一）放假调休，共4天。1月9日（周六）上班。
二、春节：2月5日（周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。
国务院办公厅
"""


@pytest.fixture(autouse=True)
def _december_2026(monkeypatch):
    now = datetime(2026, 12, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    selectors.forget_calendar()
    yield
    selectors.forget_calendar()


def _accepted_case(days: int = 5):
    hall = Hall(materials=0, promised_days=days)
    case = case_services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", applicant_id_no="110101199003070011",
        applicant_phone="13800000000", applicant_address="文化路1号", at=local(2026, 12, 28, 10),
    )  # fmt: skip
    return case_services.accept_case(case_id=case.pk, actor=hall.staff, at=local(2026, 12, 28, 10))


def test_case_5__due_date_in_unloaded_year__provisional_not_blocked():
    case = _accepted_case(5)
    # 12-29, 12-30, 12-31, (1 Jan off), 1-4, 1-5: weekdays only, 1 January always a holiday.
    assert case.due_on == date(2027, 1, 5)
    assert case.due_provisional
    event = case.events.filter(to_status="accepted").latest("at")
    assert event.data["provisional"] is True
    assert event.data["unloaded_years"] == [2027]


def test_case_5__notice_loaded__provisional_due_date_recounted_and_logged():
    case = _accepted_case(5)
    result = load_notice_and_recount(notice=parse_notice(TEST_NOTICE_2027), source_name="2027.txt")
    case.refresh_from_db()
    # 1–4 January off by the notice: 12-29, 12-30, 12-31, 1-5, 1-6.
    assert case.due_on == date(2027, 1, 6)
    assert not case.due_provisional
    assert [(c.pk, before, after) for c, before, after in result.recomputed] == [
        (case.pk, date(2027, 1, 5), date(2027, 1, 6))
    ]
    event = case.events.get(kind=EventKind.RECOMPUTE_DUE)
    assert event.rule_id == "CASE-5"
    assert event.data["before"] == "2027-01-05"
    assert event.data["due_on"] == "2027-01-06"
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    assert 2027 in selectors.loaded_years()


def test_case_5__loading_a_notice_keeps_next_years_december_days():
    """Reloading 2018 must not undo 2018-12-29 (a make-up Saturday set by the 2019 notice)."""
    assert CalendarDay.objects.get(date=date(2018, 12, 29)).kind == "makeup"
    result = load_notice_and_recount(notice=parse_notice((NOTICES / "2018.txt").read_text(encoding="utf-8")))
    assert CalendarDay.objects.get(date=date(2018, 12, 29)).kind == "makeup"
    assert date(2018, 12, 29) in result.loaded.kept_next_year
    assert result.loaded.changed == []  # the package already holds the 2018 notice


def test_case_5__cli_due_strict_unless_provisional(capsys):
    assert main(["cases", "due", "--accepted", "2026-12-28 10:00", "--days", "5"]) == 2
    assert "2027" in capsys.readouterr().err
    assert main(["cases", "due", "--accepted", "2026-12-28 10:00", "--days", "5", "--provisional"]) == 0
    out = capsys.readouterr().out
    assert "2027-01-05" in out
    assert "暂定" in out


def test_case_5__load_notice_cli__shows_diff_and_loads_with_yes(tmp_path, capsys):
    notice = tmp_path / "2027.txt"
    notice.write_bytes(TEST_NOTICE_2027.encode("gb18030"))
    assert main(["workdays", "load-notice", str(notice), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "2027-01-01" in out
    assert "节假日" in out
    assert main(["workdays", "add", "2026-12-28", "5"]) == 0
    assert capsys.readouterr().out.strip() == "2027-01-06"


def test_case_5__from_november__next_year_not_loaded_is_reported():
    codes = {f.code for f in calendar_findings(date(2026, 11, 1))}
    assert "calendar.next_year" in codes
    assert "calendar.next_year" not in {f.code for f in calendar_findings(date(2026, 10, 31))}


def test_case_5__checks_daily__warns_and_exits_1(capsys):
    assert main(["checks", "daily", "--today", "2026-12-02"]) == 1
    assert "2027 年工作日历尚未加载" in capsys.readouterr().out
    load_notice_and_recount(notice=parse_notice(TEST_NOTICE_2027))
    assert main(["checks", "daily", "--today", "2026-12-02"]) == 0

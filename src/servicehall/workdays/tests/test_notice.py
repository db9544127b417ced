"""Reading the State Council holiday notice (部分节假日安排的通知) for the CASE-5 working-day calendar.

The notice texts in `notices/` are the published ones; each parse is compared with the
`chinesecalendar` package, which encodes the same notices by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import chinese_calendar
import pytest

from servicehall.core.errors import InputError
from servicehall.workdays.notice import decode_notice, parse_notice

NOTICES = Path(__file__).parent / "notices"
YEARS = [2017, 2018, 2019, 2022, 2023, 2024, 2025, 2026]


def _weekend(*days: tuple[int, int, int]) -> set[date]:
    return {date(*d) for d in days}


# Where the package deliberately differs from the notice's words, and why. The package sometimes lists
# the weekend of a "与周末连休" holiday as holiday days (2019, 2024, not 2018); for the working-day count a
# weekend day off is the same either way, but the notice does not name those days, so neither do we.
# 2019: a State Council notice of March 2019 moved Labour Day to 1–4 May (4/28 and 5/5 worked).
PACKAGE_ONLY_HOLIDAYS = {
    2019: _weekend((2019, 4, 6), (2019, 4, 7), (2019, 6, 8), (2019, 6, 9), (2019, 9, 14), (2019, 9, 15))
    | _weekend((2019, 5, 2), (2019, 5, 3), (2019, 5, 4)),
    2024: _weekend((2023, 12, 30), (2023, 12, 31)),
}
PACKAGE_ONLY_WORKDAYS = {2019: _weekend((2019, 4, 28), (2019, 5, 5))}


def _notice_year(day: date, name: str) -> int:
    """The notice a package date comes from: a December 元旦 date belongs to the next year's notice."""
    return day.year + 1 if day.month == 12 and name == "New Year's Day" else day.year


def _package(year: int) -> tuple[list[date], list[date]]:
    holidays = sorted(d for d, n in chinese_calendar.holidays.items() if _notice_year(d, str(n)) == year)
    workdays = sorted(
        d
        for d, n in chinese_calendar.workdays.items()
        if d.weekday() >= 5 and _notice_year(d, str(n)) == year
    )
    return holidays, workdays


def _read(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", YEARS)
def test_case_5__official_notice__parses_to_the_package_calendar(year: int):
    notice = parse_notice(_read(year))
    holidays, workdays = _package(year)
    assert notice.year == year
    assert list(notice.holidays) == sorted(set(holidays) - PACKAGE_ONLY_HOLIDAYS.get(year, set()))
    assert list(notice.workdays) == sorted(set(workdays) - PACKAGE_ONLY_WORKDAYS.get(year, set()))
    assert PACKAGE_ONLY_HOLIDAYS.get(year, set()) <= set(holidays)  # the listed differences are real


def test_case_5__2019_notice__new_year_range_starts_in_the_previous_year():
    notice = parse_notice(_read(2019))
    assert notice.holidays[:3] == (date(2018, 12, 30), date(2018, 12, 31), date(2019, 1, 1))
    assert notice.workdays[0] == date(2018, 12, 29)
    assert date(2019, 5, 1) in notice.holidays
    assert date(2019, 5, 2) not in notice.holidays


def test_case_5__weekend_only_joined_to_the_holiday__not_listed():
    """与周末连休: the weekend stays an ordinary rest day, only the named day is a holiday."""
    notice = parse_notice(_read(2024))
    assert date(2024, 1, 1) in notice.holidays
    assert date(2023, 12, 30) not in notice.holidays
    assert date(2023, 12, 31) not in notice.holidays
    assert date(2024, 6, 8) not in notice.holidays
    assert date(2024, 6, 10) in notice.holidays


def test_case_5__encouragement_to_rest_on_new_years_eve__not_a_holiday():
    assert date(2024, 2, 9) not in parse_notice(_read(2024)).holidays


def test_case_5__weekend_days_inside_a_range__are_holidays():
    notice = parse_notice(_read(2026))
    assert date(2026, 2, 15) in notice.holidays  # a Sunday inside 2月15日至23日
    assert date(2026, 1, 3) in notice.holidays  # a Saturday inside 1月1日至3日


def test_case_5__half_width_punctuation__same_result():
    full = _read(2025)
    half = full.translate(str.maketrans("：，（）；", ":,();")).replace("。", ".")
    assert parse_notice(half) == parse_notice(full)


def test_case_5__gb18030_file__decoded():
    raw = _read(2017).encode("gb18030")
    assert parse_notice(decode_notice(raw, source="f")) == parse_notice(_read(2017))


def test_case_5__stated_weekday_disagrees__error_names_the_sentence():
    text = _read(2026).replace("1月4日（周日）上班", "1月4日（周一）上班")
    with pytest.raises(InputError) as err:
        parse_notice(text, source="notice.txt")
    assert "1月4日（周日）" not in str(err.value)
    assert "1月4日(周一)上班" in str(err.value)
    assert "星期日" in str(err.value)
    assert str(err.value).startswith("notice.txt 第")


def test_case_5__day_count_disagrees__error_names_the_sentence():
    text = _read(2025).replace("共8天。1月26日", "共7天。1月26日")
    with pytest.raises(InputError) as err:
        parse_notice(text)
    assert "1月28日" in str(err.value)
    assert "共7天" in str(err.value)
    assert "8 天" in str(err.value)


def test_case_5__weekday_make_up_day__refused():
    text = _read(2018).replace("4月8日（星期日）上班", "4月9日（星期一）上班")
    with pytest.raises(InputError, match="本是工作日"):
        parse_notice(text)


def test_case_5__item_without_dates__unparseable_error_names_it():
    text = _read(2018).replace("五、端午节：6月18日放假，与周末连休。", "五、端午节：另行通知。")
    with pytest.raises(InputError, match="五、端午节"):
        parse_notice(text)


def test_case_5__no_year__error():
    with pytest.raises(InputError, match="年份"):
        parse_notice("一、元旦：1月1日放假。")


def test_case_5__parse_notice_cli__json_from_stdin():
    result = subprocess.run(
        [sys.executable, "-m", "servicehall.cli", "workdays", "parse-notice", "-"],
        input=_read(2026).encode("gb18030"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    out = json.loads(result.stdout)
    assert out["year"] == 2026
    assert out["workdays"][0] == "2026-01-04"
    assert out["holidays"] == sorted(out["holidays"])
    assert "2026-10-07" in out["holidays"]


def test_case_5__parse_notice_cli__bad_weekday__exit_2(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_text(_read(2026).replace("5月9日（周六）", "5月9日（周日）"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "servicehall.cli", "workdays", "parse-notice", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "5月9日" in result.stderr


@pytest.mark.parametrize("year", [2019, 2024, 2025])
def test_case_5__notice_pasted_without_line_breaks__same_result(year: int):
    """A text copied from a web page often arrives as one line; the preamble's dates still do not count."""
    assert parse_notice(_read(year).replace("\n", "")) == parse_notice(_read(year))

"""The calendar table seeded from chinesecalendar, its import, and the CLI contract."""

from datetime import date

import pytest

from servicehall.core.errors import InputError
from servicehall.core.runtime import command_runner
from servicehall.workdays import commands, selectors
from servicehall.workdays.calendar import DayKind, YearNotLoaded
from servicehall.workdays.models import CalendarDay
from servicehall.workdays.services import import_calendar_csv

main = command_runner(commands)  # `servicehall ...` with this domain's commands

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.forget_calendar()
    yield
    selectors.forget_calendar()


def test_seeded_calendar__2025_national_day_and_makeup_days():
    assert selectors.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert selectors.is_workday(date(2025, 9, 28))  # Sunday make-up workday
    assert selectors.is_workday(date(2025, 10, 11))  # Saturday make-up workday
    assert not selectors.is_workday(date(2025, 10, 8))


def test_seeded_calendar__2026_national_day():
    assert selectors.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == DayKind.MAKEUP_WORKDAY


def test_seeded_calendar__spring_festival_2026_between():
    # 2026 Spring Festival: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 are make-up workdays.
    assert selectors.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_unloaded_year__clear_error():
    with pytest.raises(YearNotLoaded, match="2099"):
        selectors.is_workday(date(2099, 1, 5))


def test_admin_edit__visible_to_next_read():
    assert selectors.is_workday(date(2026, 6, 1))
    CalendarDay.objects.filter(date=date(2026, 6, 1)).update(kind=DayKind.HOLIDAY)
    selectors.forget_calendar()
    assert not selectors.is_workday(date(2026, 6, 1))
    day = CalendarDay.objects.get(date=date(2026, 6, 2))
    day.kind = DayKind.HOLIDAY
    day.save()  # the save signal drops the cached calendar
    assert not selectors.is_workday(date(2026, 6, 2))


def test_case_5__one_imported_row__does_not_make_the_year_loaded(tmp_path):
    csv = tmp_path / "2027.csv"
    csv.write_text("date,kind,note\n2027-01-01,holiday,元旦\n2027-02-06,makeup,春节调休\n", encoding="utf-8")
    result = import_calendar_csv(path=csv)
    assert (result.created, result.updated) == (2, 0)
    assert 2027 not in selectors.loaded_years()
    with pytest.raises(YearNotLoaded):
        selectors.add_working_days(date(2026, 12, 28), 5)
    assert main(["workdays", "add", "2026-12-28", "5"]) == 2


def test_case_5__full_year_import__loads_the_year(tmp_path):
    csv = tmp_path / "2027.csv"
    rows = ["date,kind"]
    day = date(2027, 1, 1)
    while day.year == 2027:
        kind = "holiday" if day == date(2027, 1, 1) else ("workday" if day.weekday() < 5 else "rest")
        rows.append(f"{day.isoformat()},{kind}")
        day = date.fromordinal(day.toordinal() + 1)
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_calendar_csv(path=csv)
    assert 2027 in selectors.loaded_years()
    assert selectors.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_import__bad_rows_reported_together_and_nothing_written(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "2027-01-01,holiday\n2027-13-01,holiday\n2027-01-05,party\n2027-01-06,makeup\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        import_calendar_csv(path=csv)
    message = str(err.value)
    assert "row 2, column date" in message
    assert "row 3, column kind" in message
    assert "row 4, column kind" in message  # a weekday cannot be a make-up workday
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_cli_add_and_between(capsys):
    assert main(["workdays", "add", "2025-09-30", "1"]) == 0
    assert main(["workdays", "add", "2026-09-30", "1"]) == 0
    assert main(["workdays", "between", "2025-09-30", "2025-10-09"]) == 0
    assert capsys.readouterr().out.split() == ["2025-10-09", "2026-10-08", "1"]


def test_cli_unloaded_year__error_exit_nonzero(capsys):
    assert main(["workdays", "add", "2099-03-02", "1"]) != 0
    err = capsys.readouterr().err
    assert "2099" in err
    assert "Traceback" not in err


def test_cli_import__bad_file_exit_nonzero(tmp_path, capsys):
    csv = tmp_path / "bad.csv"
    csv.write_text("2027-01-01,nope\n", encoding="utf-8")
    assert main(["workdays", "import", str(csv)]) != 0
    assert "row 1, column kind" in capsys.readouterr().err

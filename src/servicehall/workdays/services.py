"""Calendar writes: CSV import of overrides (a new year's State Council notice) and single-day edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from servicehall.core.audit import record_audit
from servicehall.core.dates import check_date
from servicehall.core.errors import InputError
from servicehall.core.uploads import csv_rows
from servicehall.workdays.calendar import DayKind
from servicehall.workdays.models import CalendarDay
from servicehall.workdays.notice import Notice
from servicehall.workdays.selectors import forget_calendar

KIND_WORDS = {
    "workday": DayKind.WORKDAY, "工作日": DayKind.WORKDAY, "班": DayKind.WORKDAY,
    "rest": DayKind.REST, "休息日": DayKind.REST, "weekend": DayKind.REST,
    "holiday": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY, "法定节假日": DayKind.HOLIDAY, "休": DayKind.HOLIDAY,
    "makeup": DayKind.MAKEUP_WORKDAY, "调休": DayKind.MAKEUP_WORKDAY, "调休上班": DayKind.MAKEUP_WORKDAY,
    "调休上班日": DayKind.MAKEUP_WORKDAY,
}  # fmt: skip


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def parse_calendar_csv(text: str, *, source: str = "CSV") -> list[tuple[date, DayKind, str]]:
    """Rows `date,kind[,note]` (a header row is optional). Every bad row is reported at once."""
    rows: list[tuple[date, DayKind, str]] = []
    errors: list[str] = []
    seen: dict[date, int] = {}
    for number, row in enumerate(csv_rows(text.lstrip("\ufeff"), source), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if number == 1 and row[0].strip().lower() in {"date", "日期"}:
            continue
        if len(row) < 2:
            errors.append(f"{source} row {number}: expected columns date,kind[,note]")
            continue
        raw_date, raw_kind = row[0].strip(), row[1].strip()
        try:
            day = check_date(date.fromisoformat(raw_date), "date")
        except ValueError:
            errors.append(f"{source} row {number}, column date: {raw_date!r} is not a date (YYYY-MM-DD)")
            continue
        except InputError as exc:
            errors.append(f"{source} row {number}, column date: {exc.message}")
            continue
        kind = KIND_WORDS.get(raw_kind.lower())
        if kind is None:
            errors.append(
                f"{source} row {number}, column kind: {raw_kind!r} is not one of workday, rest, holiday, makeup"
            )
            continue
        if kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
            errors.append(
                f"{source} row {number}, column kind: {day} is a weekday, so it cannot be a make-up workday"
            )
            continue
        if day in seen:
            errors.append(f"{source} row {number}, column date: {day} repeats row {seen[day]}")
            continue
        seen[day] = number
        rows.append((day, kind, row[2].strip() if len(row) > 2 else ""))
    if errors:
        raise InputError(source, "\n".join(errors), count=len(errors))
    return rows


@transaction.atomic
def import_calendar_csv(*, path: Path | str, actor=None) -> ImportResult:
    """Load overrides from a CSV file; all rows or none (nothing is written if any row is bad)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    rows = parse_calendar_csv(text, source=str(path))
    existing = {d.date: d for d in CalendarDay.objects.filter(date__in=[r[0] for r in rows])}
    created = updated = unchanged = 0
    for day, kind, note in rows:
        current = existing.get(day)
        if current is None:
            CalendarDay.objects.create(date=day, kind=kind.value, note=note, source=CalendarDay.Source.IMPORT)
            created += 1
        elif current.kind != kind.value or (note and current.note != note):
            current.kind, current.note, current.source = (
                kind.value,
                note or current.note,
                CalendarDay.Source.IMPORT,
            )
            current.save(update_fields=["kind", "note", "source", "updated_at"])
            updated += 1
        else:
            unchanged += 1
    record_audit(actor=actor, verb="workdays.import", reason=str(path),
                 data={"created": created, "updated": updated, "unchanged": unchanged})  # fmt: skip
    transaction.on_commit(forget_calendar)
    return ImportResult(created, updated, unchanged)


@dataclass(frozen=True)
class LoadResult:
    year: int
    changed: list[tuple[date, str | None, str]]  # (date, before, after)
    kept_next_year: list[date]  # December days the next year's notice decided, left as they are


def _replace_days(
    *, days: dict[date, DayKind], source: str, note: str, keep: set[date]
) -> list[tuple[date, str | None, str]]:
    existing = {d.date: d for d in CalendarDay.objects.filter(date__in=list(days))}
    changed: list[tuple[date, str | None, str]] = []
    for day, kind in sorted(days.items()):
        if day in keep:
            continue
        row = existing.get(day)
        if row is None:
            CalendarDay.objects.create(date=day, kind=kind.value, note=note, source=source)
            changed.append((day, None, kind.value))
        elif row.kind != kind.value:
            changed.append((day, row.kind, kind.value))
            row.kind, row.note, row.source = kind.value, note, source
            row.save(update_fields=["kind", "note", "source", "updated_at"])
    return changed


@transaction.atomic
def load_notice(*, notice: Notice, actor=None, source_name: str = "") -> LoadResult:
    """Replace the notice's year in the table by what the notice says (CASE-5), all or nothing.

    Every day of the year is written, so the year counts as loaded. December holidays and make-up
    days already in the table that this notice does not name are kept: only the next year's notice
    (元旦 across New Year) can have put them there.
    """
    days = notice.day_kinds()
    named = set(notice.holidays) | set(notice.workdays)
    keep = set(
        CalendarDay.objects.filter(
            date__year=notice.year,
            date__month=12,
            kind__in=[DayKind.HOLIDAY.value, DayKind.MAKEUP_WORKDAY.value],
        )
        .exclude(date__in=list(named))
        .values_list("date", flat=True)
    )
    changed = _replace_days(
        days=days, source=CalendarDay.Source.IMPORT, note=f"国务院办公厅{notice.year}年节假日安排", keep=keep
    )
    record_audit(
        actor=actor,
        verb="workdays.load_notice",
        reason=source_name or f"{notice.year}年通知",
        data={
            "year": notice.year,
            "holidays": len(notice.holidays),
            "workdays": len(notice.workdays),
            "changed": [[d.isoformat(), before, after] for d, before, after in changed],
        },
    )
    transaction.on_commit(forget_calendar)
    return LoadResult(notice.year, changed, sorted(keep))


@transaction.atomic
def refresh_from_package(*, today: date, actor=None) -> dict[int, int]:
    """Write every year a newer `chinesecalendar` release knows; rows a centre wrote (notice, import or
    by hand) are left alone. Refuses a release that does not know the current year."""
    from servicehall.workdays.chinese_calendar_source import day_kinds, known_years, package_version

    years = known_years()
    if today.year not in years:
        raise InputError(
            "chinesecalendar",
            f"已安装的 chinesecalendar {package_version()} 只含 {years.start}–{years.stop - 1} 年，"
            f"不含今年（{today.year}）：请先升级（pip install -U chinesecalendar）或加载国务院通知",
        )
    kinds = day_kinds(years)
    own = set(CalendarDay.objects.exclude(source=CalendarDay.Source.PACKAGE).values_list("date", flat=True))
    changed = _replace_days(days=kinds, source=CalendarDay.Source.PACKAGE, note="", keep=own)
    per_year: dict[int, int] = {}
    for day, _before, _after in changed:
        per_year[day.year] = per_year.get(day.year, 0) + 1
    record_audit(actor=actor, verb="workdays.refresh", reason=f"chinesecalendar {package_version()}",
                 data={"years": [years.start, years.stop - 1], "changed": per_year})  # fmt: skip
    transaction.on_commit(forget_calendar)
    return per_year

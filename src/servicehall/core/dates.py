"""Dates from users (用户输入的日期) through one parser with a range. Imports nothing from Django.

A service centre plans and reports within a human lifetime: a date outside FIRST_DAY..LAST_DAY is
refused with a message naming the field, before any arithmetic (`9999-12-31 + 1 day` is an
OverflowError, `0001-01-01 .. 9999-12-31` a loop of millions of days).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from servicehall.core.errors import InputError

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)


def check_date(value: date, field: str) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InputError(
            field, f"日期 {value.isoformat()} 超出可处理范围（{FIRST_DAY.year}–{LAST_DAY.year} 年）"
        )
    return value


def parse_date(text: str | date, field: str) -> date:
    """`YYYY-MM-DD` (or a date) within range; InputError naming `field` otherwise."""
    if isinstance(text, date):
        return check_date(text, field)
    try:
        value = date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(field, f"{text!r} 不是日期，应为 YYYY-MM-DD") from None
    return check_date(value, field)


def parse_month(text: str | date, field: str = "month") -> tuple[date, date]:
    """`YYYY-MM` (or a date in the month) → (first day, first day of the next month), within range."""
    if isinstance(text, date):
        first = text.replace(day=1)
    else:
        try:
            year, month = (int(p) for p in str(text).strip().split("-"))
            first = date(year, month, 1)
        except (ValueError, TypeError):
            raise InputError(field, f"{text!r} 不是月份，应为 YYYY-MM（如 2026-03）") from None
    check_date(first, field)
    days = calendar.monthrange(first.year, first.month)[1]
    return first, first + timedelta(days=days)

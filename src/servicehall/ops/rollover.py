"""Calendar rollover (跨年工作日历): load a year and recount the due dates that were provisional (CASE-5),
and the supervision card schedules and cards counted from them.

This sits above workdays and cases: loading a year is a workdays write, the recount is a cases write,
and both happen in one transaction so a case never shows a due date from a calendar that was rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from servicehall.cases.models import Case
from servicehall.cases.services import recompute_provisional_due_dates
from servicehall.supervision.scheduling import recount_provisional_schedules
from servicehall.workdays.notice import Notice
from servicehall.workdays.selectors import forget_calendar
from servicehall.workdays.services import LoadResult, load_notice, refresh_from_package


@dataclass(frozen=True)
class Rollover:
    loaded: LoadResult | None
    refreshed: dict[int, int]
    recomputed: list[tuple[Case, date, date]]


def _recount(actor, reason: str) -> list[tuple[Case, date, date]]:
    # The recount must see the rows just written, not the cached calendar; the cache is dropped again
    # whatever happens, so a rolled-back load never lingers in it.
    forget_calendar()
    try:
        recomputed = recompute_provisional_due_dates(actor=actor, reason=reason)
        # the supervision cards counted from those dates follow them in the same transaction
        recount_provisional_schedules(actor=actor, reason=reason)
        return recomputed
    finally:
        forget_calendar()


def load_notice_and_recount(*, notice: Notice, actor=None, source_name: str = "") -> Rollover:
    try:
        with transaction.atomic():
            loaded = load_notice(notice=notice, actor=actor, source_name=source_name)
            recomputed = _recount(actor, f"已加载{notice.year}年节假日安排，重新计算暂定办结期限")
    finally:
        forget_calendar()
    return Rollover(loaded, {}, recomputed)


def refresh_and_recount(*, today: date, actor=None) -> Rollover:
    try:
        with transaction.atomic():
            refreshed = refresh_from_package(today=today, actor=actor)
            recomputed = _recount(actor, "工作日历已从 chinesecalendar 更新，重新计算暂定办结期限")
    finally:
        forget_calendar()
    return Rollover(None, refreshed, recomputed)

"""Operational checks (运行检查): what `servicehall checks daily` reports and `servicehall check --deploy`
warns about. Each finding names what to do; none of them stops the centre from working."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core import checks
from django.utils import timezone


@dataclass(frozen=True)
class Finding:
    code: str
    level: str  # "error" | "warning" | "ok"
    message: str
    hint: str = ""


def calendar_findings(today: date) -> list[Finding]:
    """CASE-5 counts in working days: this year must be loaded, and next year from 1 November."""
    from servicehall.cases.models import Case
    from servicehall.workdays.selectors import load_calendar, next_year_missing

    years = load_calendar().years
    found: list[Finding] = []
    if today.year not in years:
        found.append(Finding(
            "calendar.this_year", "error",
            f"{today.year} 年工作日历未完整加载，办结期限只能暂定",
            "servicehall workdays load-notice 通知.txt（或中心运维页面粘贴通知），或升级 chinesecalendar 后 servicehall workdays refresh",
        ))  # fmt: skip
    missing = next_year_missing(today)
    if missing is not None:
        found.append(Finding(
            "calendar.next_year", "warning",
            f"{missing} 年工作日历尚未加载：跨年的办结期限将按暂定计算",
            f"国务院办公厅关于{missing}年部分节假日安排的通知发布后，执行 servicehall workdays load-notice",
        ))  # fmt: skip
    provisional = Case.objects.filter(due_provisional=True).count()
    if provisional:
        found.append(Finding("calendar.provisional_cases", "warning",
                             f"{provisional} 件办件的办结期限为暂定（所跨年份的工作日历未加载）"))  # fmt: skip
    if not found:
        found.append(Finding("calendar", "ok", f"工作日历已加载至 {max(years)} 年"))
    return found


def daily_findings(today: date | None = None) -> list[Finding]:
    today = today or timezone.localdate()
    return calendar_findings(today)


@checks.register(checks.Tags.compatibility, deploy=True)
def deploy_checks(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The daily findings as Django check messages, so `servicehall check --deploy` shows them."""
    try:
        findings = daily_findings()
    except Exception as exc:  # no database yet (before `migrate`): say so instead of failing the check
        return [checks.Info(f"运行检查跳过：数据库尚不可用（{exc}）；迁移后再运行", id="servicehall.I100")]
    out: list[checks.CheckMessage] = []
    for number, f in enumerate(findings, start=101):
        if f.level == "ok":
            continue
        kind = checks.Error if f.level == "error" else checks.Warning
        out.append(
            kind(
                f.message, hint=f.hint or None, id=f"servicehall.{'E' if f.level == 'error' else 'W'}{number}"
            )
        )
    return out

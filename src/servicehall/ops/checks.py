"""Operational checks (运行检查): what `servicehall checks daily` reports and `servicehall check --deploy`
warns about. Each finding names what to do; none of them stops the centre from working."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from datetime import date

from django.conf import settings
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


def _gunicorn_args(raw: str) -> dict[str, str]:
    """--worker-class/-k, --threads and --workers/-w from GUNICORN_CMD_ARGS (they override the config)."""
    words = shlex.split(raw)
    names = {"-k": "worker_class", "--worker-class": "worker_class", "--threads": "threads",
             "-w": "workers", "--workers": "workers"}  # fmt: skip
    out: dict[str, str] = {}
    for i, word in enumerate(words):
        key, _, value = word.partition("=")
        if key in names:
            out[names[key]] = value or (words[i + 1] if i + 1 < len(words) else "")
    return out


def server_findings(
    *, server: str, workers: int, threads: int, worker_class: str, displays: int, cmd_args: str = ""
) -> list[Finding]:
    """Can the hall displays' streams starve the app? Each open stream holds a thread of a WSGI worker for
    a minute (an ASGI worker holds none). gunicorn hands connections to whichever worker accepts first, so
    one worker may receive every display: its threads must outnumber the displays with room to spare."""
    given = _gunicorn_args(cmd_args)
    worker_class = given.get("worker_class", worker_class)
    threads = int(given.get("threads", threads) or threads)
    workers = int(given.get("workers", workers) or workers)
    if server == "uvicorn" or "uvicorn" in worker_class or worker_class in ("gevent", "eventlet"):
        return [Finding("server", "ok", "异步服务：叫号屏的实时连接不占用工作线程")]
    if worker_class in ("sync", "") or threads <= 1:
        return [Finding(
            "server.starve", "warning",
            f"gunicorn 以 {worker_class or 'sync'} 方式运行、每进程 {threads} 个线程：{min(displays, workers)} 块叫号屏"
            f"即可占满全部 {workers} 个工作进程，取号、叫号将排队直至超时",
            "使用随附配置 gunicorn -c python:servicehall.ops.gunicorn_conf（gthread，SERVICEHALL_THREADS），或 uvicorn",
        )]  # fmt: skip
    if threads < displays + 2:
        return [Finding(
            "server.threads", "warning",
            f"每个工作进程 {threads} 个线程，叫号屏 {displays} 块：实时连接集中到一个进程时，该进程不再处理其他请求",
            f"将 SERVICEHALL_THREADS 提高到至少 {displays + 2}（SERVICEHALL_DISPLAYS 为全部叫号屏数），或改用 uvicorn",
        )]  # fmt: skip
    return [
        Finding("server", "ok", f"gunicorn gthread {workers}×{threads}：{displays} 块叫号屏不会占满工作线程")
    ]


def configured_server_findings() -> list[Finding]:
    return server_findings(
        server=settings.SERVICEHALL_SERVER,
        workers=settings.SERVICEHALL_WORKERS,
        threads=settings.SERVICEHALL_THREADS,
        worker_class=settings.SERVICEHALL_WORKER_CLASS,
        displays=settings.SERVICEHALL_DISPLAYS,
        cmd_args=os.environ.get("GUNICORN_CMD_ARGS", ""),
    )


def daily_findings(today: date | None = None) -> list[Finding]:
    today = today or timezone.localdate()
    return calendar_findings(today) + configured_server_findings()


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

"""Operations from the shell: calendar rollover (`workdays load-notice`, `workdays refresh`) and
`checks daily`. Exit 0 when fine, 1 when a check warns or errs (for cron and monitoring), 2 on bad input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _setup() -> None:
    from servicehall.core.runtime import ensure_database

    ensure_database()


def _print_diff(changed, *, limit: int = 60) -> None:
    names = {None: "—", "workday": "工作日", "rest": "休息日", "holiday": "节假日", "makeup": "调休上班"}
    for day, before, after in changed[:limit]:
        print(
            f"  {day.isoformat()} {'一二三四五六日'[day.weekday()]}  {names.get(before, before)} → {names.get(after, after)}"
        )
    if len(changed) > limit:
        print(f"  … and {len(changed) - limit} more")


def cmd_load_notice(args: argparse.Namespace) -> int:
    from servicehall.workdays.commands import read_notice_file

    notice = read_notice_file(args.file)
    _setup()
    from servicehall.ops.rollover import load_notice_and_recount
    from servicehall.workdays.selectors import notice_diff

    changes = notice_diff({d: k.value for d, k in notice.day_kinds().items()})
    print(f"{notice.year}: {len(notice.holidays)} holidays, {len(notice.workdays)} make-up workdays; "
          f"{len(changes)} day(s) of the table change:")  # fmt: skip
    _print_diff(changes)
    if not args.yes:
        if not sys.stdin.isatty() or args.file == "-":
            print("error: not confirmed; run again with --yes to load", file=sys.stderr)
            return 2
        if input(f"replace {notice.year} with this notice? [y/N] ").strip().lower() not in {"y", "yes"}:
            print("nothing loaded")
            return 1
    result = load_notice_and_recount(notice=notice, source_name=args.file)
    print(f"loaded {notice.year}: {len(result.loaded.changed)} day(s) changed")  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    if result.loaded.kept_next_year:  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
        print(
            "kept (set by the next year's notice): "
            + ", ".join(d.isoformat() for d in result.loaded.kept_next_year)  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
        )
    for case, before, after in result.recomputed:
        print(
            f"recomputed {case.number}: {before} → {after}{' (still provisional)' if case.due_provisional else ''}"
        )
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    _setup()
    from django.utils import timezone

    from servicehall.ops.rollover import refresh_and_recount

    result = refresh_and_recount(today=timezone.localdate())
    if not result.refreshed:
        print("calendar already matches the installed chinesecalendar")
    for year, count in sorted(result.refreshed.items()):
        print(f"{year}: {count} day(s) written")
    for case, before, after in result.recomputed:
        print(f"recomputed {case.number}: {before} → {after}")
    return 0


def cmd_daily(args: argparse.Namespace) -> int:
    _setup()
    from datetime import date

    from servicehall.ops.checks import daily_findings

    today = date.fromisoformat(args.today) if args.today else None
    findings = daily_findings(today)
    worst = 0
    for f in findings:
        mark = {"ok": "ok", "warning": "WARNING", "error": "ERROR"}[f.level]
        print(f"{mark:7} {f.code}: {f.message}")
        if f.hint:
            print(f"        → {f.hint}")
        worst = max(worst, 0 if f.level == "ok" else 1)
    return worst


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from servicehall.core.runtime import setup_django

    setup_django()
    from servicehall.ops import backup

    if args.verify:
        problems = backup.verify_file(Path(args.verify))
        for line in problems:
            print(line, file=sys.stderr)
        print("backup matches its manifest" if not problems else f"{len(problems)} table(s) differ")
        return 2 if problems else 0
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    if args.output:
        output = Path(args.output)
    else:
        suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
        output = (
            Path(settings.HOME) / "backups" / f"servicehall-{timezone.localtime():%Y%m%d-%H%M%S}.{suffix}"
        )
    manifest = backup.backup(output=output)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    print(f"backup written: {output} ({len(manifest['tables'])} tables, {rows} rows)")
    print(f"manifest: {backup.manifest_path(output)}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from servicehall.core.runtime import setup_django

    setup_django()
    from servicehall.ops import backup

    result = backup.restore(source=Path(args.file), force=args.force)
    print(
        f"restored {args.file}: {result['tables']} tables, {result['rows']} rows; verified against the manifest"
    )
    return 0


# Spelled out so the environment file's test finds every variable the program reads.
_PASSWORD_ENV = {
    "admin_password": "SERVICEHALL_INIT_ADMIN_PASSWORD",
    "superuser_password": "SERVICEHALL_INIT_SUPERUSER_PASSWORD",
}


def _ask(args: argparse.Namespace, name: str, prompt: str, *, secret: bool = False, default: str = "") -> str:
    value = getattr(args, name)
    if value:
        return value
    if secret and name in _PASSWORD_ENV:
        import os

        env = os.environ.get(_PASSWORD_ENV[name])
        if env:
            return env
    if not sys.stdin.isatty():
        from servicehall.core.errors import InputError

        raise InputError("--" + name.replace("_", "-"), "required (no terminal to ask on)")
    if secret:
        import getpass

        return getpass.getpass(f"{prompt}: ")
    answer = input(f"{prompt}{f' [{default}]' if default else ''}: ").strip()
    return answer or default


def cmd_init(args: argparse.Namespace) -> int:
    _setup()
    from django.conf import settings

    from servicehall.ops.init import init_installation

    result = init_installation(
        centre_code=_ask(args, "centre_code", "centre code (letters, digits, -)"),
        centre_name=_ask(args, "centre_name", "centre name, e.g. 某某县政务服务中心"),
        admin_username=_ask(args, "admin_username", "login of the centre office admin", default="office"),
        admin_name=_ask(args, "admin_name", "name of the centre office admin", default="中心管理办公室"),
        admin_password=_ask(args, "admin_password", "password of the centre office admin", secret=True),
        preset=_ask(args, "preset", "policy preset", default=settings.SERVICEHALL_DEFAULT_PRESET),
        superuser=args.superuser,
        superuser_password=(_ask(args, "superuser_password", "superuser password", secret=True)
                            if args.superuser else None),
    )  # fmt: skip
    print(f"centre {result.centre.code} ({result.centre.name}) created")
    print(f"centre office admin: {result.admin.user.username}; policy {result.policy_ref}")  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
    if result.superuser:
        print(f"installation superuser: {result.superuser}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Run the Celery task worker (with --beat: also the periodic sweep and daily checks)."""
    from servicehall.core.tasks import queued

    if not queued():
        print(
            "error: SERVICEHALL_CELERY_BROKER_URL is not set; without it tasks run in-process",
            file=sys.stderr,
        )
        return 2
    from django.conf import settings

    from servicehall.ops.worker import app

    argv = ["worker", "--loglevel", args.loglevel, "--concurrency", str(args.concurrency)]
    if args.beat:
        argv += ["--beat", "--schedule", str(Path(settings.HOME) / "var" / "celerybeat-schedule")]
    app.worker_main(argv)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    w = sub.add_parser("worker", help="task worker (Celery) for the sweep, notifications and checks")
    w.add_argument("--beat", action="store_true", help="also run the periodic tasks (one worker only)")
    w.add_argument("--concurrency", type=int, default=2)
    w.add_argument("--loglevel", default="INFO")
    w.set_defaults(func=cmd_worker)

    i = sub.add_parser("init", help="first centre, its office admin account and its policy from a preset")
    i.add_argument("--centre-code")
    i.add_argument("--centre-name")
    i.add_argument("--admin-username")
    i.add_argument("--admin-name")
    i.add_argument("--admin-password", help="or SERVICEHALL_INIT_ADMIN_PASSWORD; asked when on a terminal")
    i.add_argument("--preset", help="policy preset (see `servicehall policy presets`)")
    i.add_argument("--superuser", help="also create this installation superuser (Django admin)")
    i.add_argument("--superuser-password", help="or SERVICEHALL_INIT_SUPERUSER_PASSWORD")
    i.set_defaults(func=cmd_init)

    b = sub.add_parser(
        "backup", help="back up the database (SQLite online backup or pg_dump) with a manifest"
    )
    b.add_argument(
        "-o", "--output", help="backup file (default: $SERVICEHALL_HOME/backups/servicehall-<time>.*)"
    )
    b.add_argument("--verify", metavar="FILE", help="check a SQLite backup file against its manifest instead")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="restore a backup into the configured (empty) database and verify it")
    r.add_argument("file")
    r.add_argument("--force", action="store_true", help="restore even if the target database holds data")
    r.set_defaults(func=cmd_restore)

    from servicehall.workdays.commands import ACTIONS

    wsub = ACTIONS["workdays"]
    load = wsub.add_parser(
        "load-notice", help="replace a year by the State Council notice after showing the diff"
    )
    load.add_argument("file", help="the notice text (UTF-8 or GB18030), or - for stdin (needs --yes)")
    load.add_argument("--yes", action="store_true", help="load without asking (for scripts)")
    load.set_defaults(func=cmd_load_notice)
    refresh = wsub.add_parser("refresh", help="write every year the installed chinesecalendar release knows")
    refresh.set_defaults(func=cmd_refresh)

    p = sub.add_parser("checks", help="operational checks (run `checks daily` from cron or a systemd timer)")
    csub = p.add_subparsers(dest="checks_command", metavar="ACTION", required=True)
    daily = csub.add_parser("daily", help="calendar loaded for this and (from 1 November) next year, ...")
    daily.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")
    daily.set_defaults(func=cmd_daily)

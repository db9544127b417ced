"""The `servicehall` console script.

Our own commands (policy, workdays, demo, bench, attendance, language, cases, ...) are registered by
each domain's `commands.py` (`register(subparsers)`); anything else goes to Django's management
commands, so `servicehall migrate`, `servicehall runserver` and `servicehall check --deploy` work.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "servicehall.policy.commands",
    "servicehall.workdays.commands",
    "servicehall.org.commands",
    "servicehall.cases.commands",
    "servicehall.queue.commands",
    "servicehall.attendance.commands",
    "servicehall.leave.commands",
    "servicehall.language.commands",
    "servicehall.evaluation.commands",
    "servicehall.accountability.commands",
    "servicehall.reports.commands",
    "servicehall.supervision.commands",
    "servicehall.core.bench",
    "servicehall.core.commands",
)


def setup_django() -> None:
    """Make the ORM usable from a command; call before importing models."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
    import django

    django.setup()


def ensure_database() -> None:
    """Set up Django and make sure the schema is current.

    The embedded SQLite database is migrated on first use, so `servicehall workdays add ...` works on a
    fresh checkout; any other database must be migrated by its operator (`servicehall migrate`).
    """
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from servicehall.core.errors import DomainError

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    if connection.vendor != "sqlite":
        raise DomainError("the database schema is not up to date: run `servicehall migrate` first")
    print(f"setting up the database {connection.settings_dict['NAME']} ...", file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="servicehall",
        description="servicehall — 政务服务中心运行平台. Other words are passed to Django (migrate, runserver, check ...).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name).register(sub)
    parser.set_defaults(own_commands=frozenset(sub.choices))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    own = parser.get_default("own_commands")
    if argv and argv[0] not in own and not argv[0].startswith("-"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["servicehall", *argv])
        return 0
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from servicehall.core.errors import DomainError

    try:
        return int(args.func(args) or 0)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python from complaining again at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start Django from a command (settings, setup, the embedded database's schema) and run a command with
the console script's error handling. The table of commands itself is `servicehall.cli` (the top floor)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType


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


def command_parser(modules: Iterable[ModuleType]) -> argparse.ArgumentParser:
    """The `servicehall` parser with the commands each module registers (`register(subparsers)`)."""
    parser = argparse.ArgumentParser(
        prog="servicehall",
        description="servicehall — 政务服务中心运行平台. Other words are passed to Django (migrate, runserver, check ...).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in modules:
        module.register(sub)
    parser.set_defaults(own_commands=frozenset(sub.choices))
    return parser


def run_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> int:
    """Parse and run one of our commands: a DomainError is `error: ...` on stderr and exit 2."""
    from servicehall.core.errors import DomainError

    args = parser.parse_args(list(argv))
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
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


def command_runner(*modules: ModuleType) -> Callable[[Sequence[str]], int]:
    """`servicehall <argv>` limited to the commands of `modules`, with the console script's error handling.

    A domain's tests drive its own commands through this, so they need not import the top-floor CLI.
    """

    def run(argv: Sequence[str]) -> int:
        return run_command(command_parser(modules), argv)

    return run

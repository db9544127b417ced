"""The `servicehall` console script.

Our own commands (policy, workdays, demo, bench, attendance, language, cases, ...) are registered by
each domain's `commands.py` (`register(subparsers)`, listed in `COMMAND_MODULES`); anything else goes to
Django's management commands, so `servicehall migrate`, `servicehall runserver` and `servicehall check --deploy` work.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from servicehall.accountability import commands as accountability_commands
from servicehall.attendance import commands as attendance_commands
from servicehall.cases import commands as cases_commands
from servicehall.core.runtime import command_parser, ensure_database, run_command, setup_django
from servicehall.devices import commands as devices_commands
from servicehall.evaluation import commands as evaluation_commands
from servicehall.language import commands as language_commands
from servicehall.ops import commands as ops_commands
from servicehall.policy_versions import commands as policy_commands
from servicehall.queue import commands as queue_commands
from servicehall.site import bench as bench_commands
from servicehall.site import commands as site_commands
from servicehall.site import security_commands
from servicehall.supervision import commands as supervision_commands
from servicehall.workdays import commands as workdays_commands

__all__ = ["ensure_database", "main", "setup_django"]

# In help order; a domain with commands adds its module here.
COMMAND_MODULES = (
    policy_commands,
    workdays_commands,
    cases_commands,
    queue_commands,
    devices_commands,
    attendance_commands,
    language_commands,
    evaluation_commands,
    accountability_commands,
    supervision_commands,
    bench_commands,
    security_commands,
    site_commands,
    ops_commands,  # after workdays: it adds the rollover steps to `servicehall workdays`
)


def build_parser() -> argparse.ArgumentParser:
    return command_parser(COMMAND_MODULES)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    own = parser.get_default("own_commands")
    if argv and argv[0] not in own and not argv[0].startswith("-"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["servicehall", *argv])
        return 0
    return run_command(parser, argv)


if __name__ == "__main__":
    sys.exit(main())

"""Start Django from a command: settings, setup, and the embedded database's schema."""

from __future__ import annotations

import os
import sys


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

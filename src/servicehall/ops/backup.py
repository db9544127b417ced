"""Backup and restore (备份与恢复) with a verify step.

SQLite: the online backup API copies a consistent snapshot while the centre keeps working.
PostgreSQL: `pg_dump -Fc` / `pg_restore`. Beside every backup file sits `<file>.manifest.json`: row count
and SHA-256 of every servicehall table, taken from the very snapshot that was backed up (SQLite: the copy
itself; PostgreSQL: a transaction whose snapshot `pg_dump --snapshot` reuses). A restore recomputes the
manifest on the restored database and fails unless every table matches.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.apps import apps
from django.conf import settings
from django.db import connection

from servicehall.core.errors import DomainError, InputError

FORMAT = 1


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


def key_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every servicehall model plus the accounts, in a fixed order."""
    out = []
    for model in apps.get_models():
        module = model.__module__
        if (
            model._meta.managed
            and not model._meta.proxy
            and (module.startswith("servicehall.") or model._meta.label in {"auth.User", "auth.Group"})
        ):
            out.append((model._meta.db_table, model._meta.pk.column))
    return sorted(set(out))  # type: ignore[arg-type]  # Optional narrowing left to the domain's owner


def _canonical(value: Any) -> Any:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def table_sums(execute: Callable[[str], Iterable[tuple]], tables: list[tuple[str, str]], quote) -> dict:
    """Row count and a SHA-256 over every row in primary-key order, for each table."""
    sums: dict[str, dict[str, object]] = {}
    for table, pk in tables:
        digest, rows = hashlib.sha256(), 0
        for row in execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}"):
            digest.update(json.dumps([_canonical(v) for v in row], default=str, ensure_ascii=False).encode())
            digest.update(b"\n")
            rows += 1
        sums[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return sums


def _sqlite_sums(path: Path, tables: list[tuple[str, str]]) -> dict:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = [t for t, _ in tables if t not in present]
        if missing:
            raise InputError(str(path), f"tables missing: {', '.join(missing[:5])}")

        def execute(sql: str) -> Iterable[tuple]:
            return con.execute(sql)

        return table_sums(execute, tables, lambda name: '"' + name.replace('"', '""') + '"')
    finally:
        con.close()


def _live_sums() -> dict:
    def execute(sql: str) -> Iterable[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            yield from cursor.fetchall()

    return table_sums(execute, key_tables(), connection.ops.quote_name)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = unquote(str(db["PASSWORD"]))
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise DomainError(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def backup(*, output: Path) -> dict:
    """Write a backup to `output` and its manifest beside it; returns the manifest."""
    output = Path(output)
    if output.exists():
        raise InputError(str(output), "already exists; choose a new file name")
    output.parent.mkdir(parents=True, exist_ok=True)
    tables = key_tables()
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        sums = _sqlite_sums(output, tables)
    elif vendor == "postgresql":
        args, env = _pg_env()
        with connection.cursor() as cursor:
            # One snapshot for the dump and the manifest: what the manifest says is what the dump holds.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                dump = subprocess.run(
                    [_pg_tool("pg_dump"), *args, "-Fc", "--no-owner", f"--snapshot={snapshot}",
                     "-f", str(output), settings.DATABASES["default"]["NAME"]],
                    env=env, capture_output=True, text=True, check=False,
                )  # fmt: skip
                if dump.returncode != 0:
                    raise DomainError(f"pg_dump failed: {dump.stderr.strip()}")
                sums = _live_sums()
            finally:
                cursor.execute("COMMIT")
    else:
        raise DomainError(f"backup of a {vendor} database is not supported")
    manifest = {"format": FORMAT, "vendor": vendor, "created": datetime.now().astimezone().isoformat(),
                "tables": sums}  # fmt: skip
    manifest_path(output).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def _read_manifest(backup_file: Path) -> dict:
    path = manifest_path(backup_file)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"cannot read the manifest: {exc}") from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
        raise InputError(str(path), "not a servicehall backup manifest")
    return manifest


def _database_is_empty() -> bool:
    existing = set(connection.introspection.table_names())
    for table, _pk in key_tables():
        if table in existing:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return True


def compare(expected: dict, actual: dict) -> list[str]:
    """Tables whose row count or checksum differ, as sentences."""
    problems = []
    for table, want in sorted(expected.items()):
        got = actual.get(table)
        if got is None:
            problems.append(f"{table}: missing after restore")
        elif got["rows"] != want["rows"]:
            problems.append(f"{table}: {got['rows']} rows, the backup had {want['rows']}")
        elif got["sha256"] != want["sha256"]:
            problems.append(f"{table}: same row count, different content (checksum)")
    return problems


def restore(*, source: Path, force: bool = False) -> dict:
    """Restore `source` into the configured database, which must be empty unless `force`; then verify."""
    source = Path(source)
    if not source.is_file():
        raise InputError(str(source), "no such backup file")
    manifest = _read_manifest(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise InputError(str(source), f"a {manifest['vendor']} backup cannot be restored into {vendor}")
    if not force and not _database_is_empty():
        raise DomainError("the target database already holds data; restore into an empty one or pass --force")
    if vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        actual = _sqlite_sums(target, list(_tables_of(manifest)))
    elif vendor == "postgresql":
        args, env = _pg_env()
        connection.close()
        result = subprocess.run(
            [_pg_tool("pg_restore"), *args, "--no-owner", "--clean", "--if-exists", "--single-transaction",
             "-d", settings.DATABASES["default"]["NAME"], str(source)],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise DomainError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
        actual = _live_sums()
    else:
        raise DomainError(f"restore into a {vendor} database is not supported")
    problems = compare(manifest["tables"], actual)
    if problems:
        raise DomainError("restore verification failed:\n" + "\n".join(problems))
    return {"tables": len(actual), "rows": sum(t["rows"] for t in actual.values())}


def _tables_of(manifest: dict) -> Iterable[tuple[str, str]]:
    known = dict(key_tables())
    for table in manifest["tables"]:
        yield table, known.get(table, "id")


def verify_file(source: Path) -> list[str]:
    """Check a SQLite backup file against its manifest without restoring it."""
    manifest = _read_manifest(Path(source))
    if manifest["vendor"] != "sqlite":
        raise DomainError(
            "only SQLite backups can be verified in place; restore a PostgreSQL dump to verify it"
        )
    return compare(manifest["tables"], _sqlite_sums(Path(source), list(_tables_of(manifest))))

"""Backup → restore → verify (备份与恢复): a restored database matches the backup's row counts and checksums."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from servicehall.ops.tests.test_rollover import TEST_NOTICE_2027


def _run(home: Path, *args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SERVICEHALL_HOME": str(home), "SERVICEHALL_DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["SERVICEHALL_DATABASE_URL"] = f"sqlite:///{db or home / 'servicehall.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "servicehall.cli", *args], env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("live")
    assert _run(home, "migrate", "-v", "0").returncode == 0
    notice = home / "2027.txt"
    notice.write_text(TEST_NOTICE_2027, encoding="utf-8")
    loaded = _run(home, "workdays", "load-notice", str(notice), "--yes")
    assert loaded.returncode == 0, loaded.stderr
    return home


def test_backup__restore_into_empty_database__row_counts_and_checksums_match(live: Path, tmp_path: Path):
    out = tmp_path / "b.sqlite3"
    made = _run(live, "backup", "-o", str(out))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "b.sqlite3.manifest.json").is_file()
    assert _run(live, "backup", "--verify", str(out)).returncode == 0

    target = tmp_path / "restored.sqlite3"
    restored = _run(live, "restore", str(out), db=target)
    assert restored.returncode == 0, restored.stderr
    assert "verified" in restored.stdout
    before, after = _counts(live / "servicehall.sqlite3"), _counts(target)
    assert after == before
    assert after["workdays_calendarday"] > 8000
    assert after["core_auditentry"] >= 1


def test_backup__restore_into_database_with_data__refused(live: Path, tmp_path: Path):
    out = tmp_path / "b.sqlite3"
    assert _run(live, "backup", "-o", str(out)).returncode == 0
    refused = _run(live, "restore", str(out))  # the live database itself holds data
    assert refused.returncode == 2
    assert "already holds data" in refused.stderr


def test_backup__tampered_backup__verify_names_the_table(live: Path, tmp_path: Path):
    out = tmp_path / "b.sqlite3"
    assert _run(live, "backup", "-o", str(out)).returncode == 0
    con = sqlite3.connect(out)
    con.execute("UPDATE workdays_calendarday SET kind='rest' WHERE date='2027-01-04'")
    con.commit()
    con.close()
    checked = _run(live, "backup", "--verify", str(out))
    assert checked.returncode == 2
    assert "workdays_calendarday" in checked.stderr
    restored = _run(live, "restore", str(out), db=tmp_path / "r.sqlite3")
    assert restored.returncode == 2
    assert "workdays_calendarday" in restored.stderr


@pytest.mark.postgres
def test_backup__postgres_dump_restore_into_empty_database__verified(tmp_path: Path):
    """pg_dump on the manifest's snapshot, pg_restore into a new database, every table compared."""
    import psycopg

    url = os.environ.get("SERVICEHALL_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs SERVICEHALL_DATABASE_URL pointing at PostgreSQL")
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as con:
        for name in ("sh_backup_live", "sh_backup_restored"):
            con.execute(f"DROP DATABASE IF EXISTS {name}")
            con.execute(f"CREATE DATABASE {name}")

    def run(db: str, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "SERVICEHALL_HOME": str(tmp_path), "SERVICEHALL_DATABASE_URL": f"{base}/{db}"}
        return subprocess.run([sys.executable, "-m", "servicehall.cli", *args], env=env, capture_output=True,
                              text=True, timeout=900, check=False)  # fmt: skip

    assert run("sh_backup_live", "migrate", "-v", "0").returncode == 0
    notice = tmp_path / "2027.txt"
    notice.write_text(TEST_NOTICE_2027, encoding="utf-8")
    assert run("sh_backup_live", "workdays", "load-notice", str(notice), "--yes").returncode == 0
    dump = tmp_path / "b.dump"
    made = run("sh_backup_live", "backup", "-o", str(dump))
    assert made.returncode == 0, made.stderr
    restored = run("sh_backup_restored", "restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    assert "verified" in restored.stdout
    with psycopg.connect(f"{base}/sh_backup_live") as a, psycopg.connect(f"{base}/sh_backup_restored") as b:
        q = "SELECT count(*) FROM workdays_calendarday WHERE date >= '2027-01-01'"
        assert a.execute(q).fetchone() == b.execute(q).fetchone() == (365,)

"""Province settings are off by default and switched on by their variables (docs/deployment.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "session": settings.SESSION_ENGINE,
    "bus": settings.SERVICEHALL_EVENT_BUS,
    "databases": sorted(settings.DATABASES),
    "routers": settings.DATABASE_ROUTERS,
}))
"""


def _settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEHALL_")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "servicehall.settings", **env},
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_single_machine_needs_no_service():
    demo = _settings()
    assert demo["cache"].endswith("LocMemCache")
    # sessions live in the database and are read through the machine's own cache: no service either
    assert demo["session"] == "django.contrib.sessions.backends.cached_db"
    assert demo["bus"] == "local"
    assert demo["databases"] == ["default"]
    production = _settings(SERVICEHALL_DEBUG="0", SERVICEHALL_SECRET_KEY="x" * 50)
    assert production["bus"] == "file"  # between the machine's worker processes, no Redis
    assert production["cache"].endswith("CountingFileCache")  # files, atomic counters (core/filecache.py)


def test_a_session_outlives_its_cached_copy(client, django_user_model):
    """cached_db: the cache only saves the read; a session the cache lost (culled, cleared, another
    machine's cache) is read from the database and the person stays signed in."""
    from django.core.cache import cache

    client.force_login(django_user_model.objects.create_user("keeper", password="x"))
    assert client.get("/dashboard/").status_code == 200
    cache.clear()
    assert client.get("/dashboard/").status_code == 200  # not sent to the login page
    client.logout()
    assert client.get("/dashboard/").status_code == 302


def test_redis_and_replica_switch_on_the_province_setup():
    province = _settings(
        SERVICEHALL_REDIS_URL="redis://cache:6379/0",
        SERVICEHALL_DB_REPLICA_URL="postgres://u:p@replica:5432/servicehall",
    )
    assert province["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert province["session"] == "django.contrib.sessions.backends.cached_db"
    assert province["bus"] == "redis"
    assert province["databases"] == ["default", "replica"]
    assert province["routers"] == ["servicehall.core.replica.ReplicaRouter"]


def test_tasks_run_in_process_without_a_broker():
    """Without SERVICEHALL_CELERY_BROKER_URL a queued task runs at once, in the caller."""
    from servicehall.core.tasks import app, queued, task

    @task("tests.double")
    def double(*, n: int) -> int:
        return 2 * n

    assert not queued()
    assert app.conf.task_always_eager
    assert double.delay(n=21).get() == 42

"""The Celery application the task worker runs: `servicehall worker` (or `celery -A servicehall.ops.worker worker`).

It imports every module that declares tasks and, with `--beat`, runs the periodic ones: the card sweep
every SERVICEHALL_SWEEP_MINUTES and the daily checks at 06:30. Without a broker (a single machine) nobody
starts it: tasks run in-process and the sweep keeps its systemd timer (docs/deployment.md).
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")

import django

django.setup()

from celery.schedules import crontab  # noqa: E402
from django.conf import settings  # noqa: E402

from servicehall.core.tasks import configure, task  # noqa: E402
from servicehall.notifications import services as _notifications  # noqa: E402,F401  declares tasks
from servicehall.ops.checks import daily_findings  # noqa: E402
from servicehall.supervision import jobs as _supervision  # noqa: E402,F401  declares tasks

app = configure()


@task("ops.daily_checks")
def daily_checks_task() -> list[dict[str, Any]]:
    """The daily checks from the beat schedule; the findings go to the worker's log."""
    return [{"level": f.level, "message": f.message} for f in daily_findings()]


app.conf.beat_schedule = {
    "card-sweep": {
        "task": "supervision.sweep",
        "schedule": 60.0 * float(getattr(settings, "SERVICEHALL_SWEEP_MINUTES", 10)),
    },
    "daily-checks": {"task": "ops.daily_checks", "schedule": crontab(hour=6, minute=30)},
}

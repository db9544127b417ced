"""Server checks (运行检查): hall-display streams must not be able to hold every app worker."""

from __future__ import annotations

from servicehall.ops.checks import server_findings


def _levels(**kw) -> list[tuple[str, str]]:
    base = {"server": "gunicorn", "workers": 4, "threads": 8, "worker_class": "gthread", "displays": 5}
    return [(f.code, f.level) for f in server_findings(**(base | kw))]


def test_sync_workers_without_threads_warn_that_displays_can_starve_the_app():
    """Four sync workers: five hall displays hold them all and ticket issue waits until they time out."""
    assert _levels(worker_class="sync", threads=1) == [("server.starve", "warning")]
    assert _levels(threads=1) == [("server.starve", "warning")]


def test_command_line_arguments_override_the_configured_worker():
    assert _levels(cmd_args="--workers 4 -k sync") == [("server.starve", "warning")]
    assert _levels(worker_class="sync", cmd_args="--worker-class=gthread --threads 16") == [("server", "ok")]


def test_too_few_threads_for_the_displays_warn():
    """gunicorn may hand every display to one worker: its threads must outnumber the displays."""
    assert _levels(threads=8, displays=7) == [("server.threads", "warning")]
    assert _levels(threads=8, displays=6) == [("server", "ok")]


def test_the_shipped_config_and_uvicorn_pass():
    assert _levels() == [("server", "ok")]
    assert _levels(server="uvicorn", worker_class="sync", threads=1) == [("server", "ok")]


def test_check_deploy_shows_the_warning(settings, db):
    from servicehall.ops.checks import deploy_checks

    settings.SERVICEHALL_WORKER_CLASS = "sync"
    settings.SERVICEHALL_THREADS = 1
    messages = [m.msg for m in deploy_checks()]
    assert any("叫号屏" in m and "占满" in m for m in messages), messages

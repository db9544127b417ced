"""Production settings pass Django's deployment checks; the demo defaults stay local."""

import os
import secrets
import subprocess
import sys


def _run_check(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEHALL_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "servicehall.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy__production_settings_pass():
    result = _run_check(
        {
            "SERVICEHALL_DEBUG": "0",
            "SERVICEHALL_SECRET_KEY": secrets.token_urlsafe(50),
            "SERVICEHALL_ALLOWED_HOSTS": "hall.example.org",
            "SERVICEHALL_DATABASE_URL": "sqlite:///:memory:",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_secret_key__refuses_to_start():
    result = _run_check({"SERVICEHALL_DEBUG": "0", "SERVICEHALL_ALLOWED_HOSTS": "hall.example.org"})
    assert result.returncode != 0
    assert "SERVICEHALL_SECRET_KEY" in result.stderr

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


PRODUCTION = {
    "SERVICEHALL_DEBUG": "0",
    "SERVICEHALL_ALLOWED_HOSTS": "hall.example.org",
    "SERVICEHALL_DATABASE_URL": "sqlite:///:memory:",
}


def test_check_deploy__production_settings_pass(tmp_path):
    (tmp_path / "staticfiles.json").write_text("{}", encoding="utf-8")  # as after collectstatic
    result = _run_check(
        {
            **PRODUCTION,
            "SERVICEHALL_SECRET_KEY": secrets.token_urlsafe(50),
            "SERVICEHALL_STATIC_ROOT": str(tmp_path),
            # INT-2: production brings its own keys for ID numbers at rest (else W010/W011)
            "SERVICEHALL_FIELD_KEYS": "mW4C0J6o0pU9m8qQvYx0bq3H7yq3R0pYb1mV9x2w8dE=",
            "SERVICEHALL_LOOKUP_KEY": secrets.token_urlsafe(40),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_int_2__production_without_collectstatic__check_names_the_fix(tmp_path):
    result = _run_check(
        {
            **PRODUCTION,
            "SERVICEHALL_SECRET_KEY": secrets.token_urlsafe(50),
            "SERVICEHALL_STATIC_ROOT": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "servicehall.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_production_without_secret_key__refuses_to_start():
    result = _run_check({"SERVICEHALL_DEBUG": "0", "SERVICEHALL_ALLOWED_HOSTS": "hall.example.org"})
    assert result.returncode != 0
    assert "SERVICEHALL_SECRET_KEY" in result.stderr


def test_int_2__migrate_and_collectstatic_run_before_the_manifest_exists(tmp_path, settings):
    """A fresh installation runs `migrate` and `collectstatic` before any manifest exists: the missing
    manifest is a deploy check (and stops the WSGI/ASGI start), not a check those commands refuse on."""
    from django.core import checks

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    ids = lambda found: {m.id for m in found}  # noqa: E731
    assert "servicehall.E001" not in ids(checks.run_checks())  # what migrate runs
    assert "servicehall.E001" not in ids(checks.run_checks(tags=["staticfiles"]))  # what collectstatic runs
    assert "servicehall.E001" in ids(checks.run_checks(include_deployment_checks=True))

"""Production hardening (INT-2): a Content-Security-Policy without inline script, staff sessions as
long as the policy says, and a clear failure when static files were not collected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from servicehall.core.checks import require_static_manifest, static_manifest_check
from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory
from servicehall.policy_versions.selectors import policy_for_centre

SRC = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_int_2__no_template_has_inline_script_or_event_handler():
    offenders = []
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text) or "javascript:" in text:
            offenders.append(path.relative_to(SRC).as_posix())
    assert offenders == []


@pytest.mark.django_db
def test_int_2__pages_carry_csp_forbidding_inline_script(client):
    response = client.get("/progress/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_int_2__staff_session_length_from_policy(client):
    person = StaffFactory(role=Staff.Role.WINDOW_STAFF, with_user=True)
    person.user.set_password("Right-pass-2026")
    person.user.save()
    assert (
        client.post(
            "/accounts/login/", {"username": person.user.username, "password": "Right-pass-2026"}
        ).status_code
        == 302
    )
    minutes = policy_for_centre(centre_id=person.centre_id).organisation.staff_session_minutes
    assert minutes == 480
    assert client.session.get_expiry_age() == minutes * 60


def test_int_2__collectstatic_not_run__check_and_startup_fail_clearly(tmp_path: Path):
    manifest = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(STORAGES={"default": {"BACKEND": "x"}, **manifest}, STATIC_ROOT=tmp_path):
        errors = static_manifest_check()
        assert [e.id for e in errors] == ["servicehall.E001"]
        assert "collectstatic" in errors[0].msg
        with pytest.raises(ImproperlyConfigured, match="collectstatic"):
            require_static_manifest()
        (tmp_path / "staticfiles.json").write_text("{}", encoding="utf-8")
        assert static_manifest_check() == []

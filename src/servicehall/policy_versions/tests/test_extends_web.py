"""Policy text from the web may extend only a shipped preset or a stored version, never a server file
(INT-2: no file content or existence leaks through the admin's policy form)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

from servicehall.core.errors import InputError
from servicehall.org.tests.factories import CentreFactory
from servicehall.policy.loader import load_policy_text
from servicehall.policy_versions.models import PolicyVersion
from servicehall.policy_versions.services import publish_policy_version

pytestmark = pytest.mark.django_db

SECRET = "db_password: hunter2-secret\n"


def _post(admin_client, centre, source: str):
    return admin_client.post(
        reverse("admin:policy_policyversion_add"),
        {"centre": centre.pk, "effective_from": "2026-01-01", "source": source},
    )


def test_int_2__admin_extends_server_file__refused_without_echoing_its_content(admin_client, tmp_path: Path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(SECRET, encoding="utf-8")
    response = _post(admin_client, CentreFactory(), f"extends: {secret}\n")
    body = response.content.decode()
    assert response.status_code == 200
    assert "hunter2" not in body
    assert "db_password" not in body
    assert "must name a shipped preset" in body
    assert not PolicyVersion.objects.exists()


def test_int_2__admin_extends_missing_and_present_file__same_answer(admin_client, tmp_path: Path):
    """Existence does not leak: a present and an absent path get the same message."""
    present = tmp_path / "present.yaml"
    present.write_text("name: x\n", encoding="utf-8")
    centre = CentreFactory()

    def errors(path: Path) -> str:
        body = _post(admin_client, centre, f"extends: {path}\n").content.decode()
        start = body.index("errorlist")
        # the message quotes the text as typed (shortened when long): only that quote may differ
        return re.sub(r"extends: .*? must", "extends: PATH must", body[start : body.index("</ul>", start)])

    assert errors(present) == errors(tmp_path / "absent.yaml")
    assert "no such policy file" not in errors(tmp_path / "absent.yaml")


def test_int_2__relative_path_in_web_text__refused():
    with pytest.raises(InputError) as err:
        load_policy_text("extends: ../../etc/passwd\n")
    assert "must name a shipped preset" in str(err.value)


def test_org_1__extends_stored_version_of_same_centre__accepted(admin_client):
    centre = CentreFactory()
    base = publish_policy_version(
        centre=centre, source="yuanzhou-p1", effective_from=dt.date(2025, 1, 1), actor=None
    )
    source = f"extends: {base.ref}\nversion: '2026.1'\n"
    response = _post(admin_client, centre, source)
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = PolicyVersion.objects.get(effective_from="2026-01-01")
    assert newest.version == "2026.1"
    assert newest.data["attendance"] == base.data["attendance"]


def test_org_1__extends_stored_version_of_another_centre__refused(admin_client):
    other = CentreFactory()
    base = publish_policy_version(
        centre=other, source="yuanzhou-p1", effective_from=dt.date(2025, 1, 1), actor=None
    )
    response = _post(admin_client, CentreFactory(), f"extends: {base.ref}\n")
    assert response.status_code == 200
    assert PolicyVersion.objects.count() == 1


def test_cli_publish__local_file_may_extend_local_file(tmp_path: Path):
    """The command line on the operator's own files keeps file `extends`."""
    (tmp_path / "base.yaml").write_text("extends: yuanzhou-p2\nversion: base\n", encoding="utf-8")
    centre = CentreFactory()
    version = publish_policy_version(
        centre=centre,
        source="extends: base.yaml\nversion: child\n",
        effective_from=dt.date(2026, 1, 1),
        actor=None,
        base_dir=tmp_path,
        allow_files=True,
    )
    assert version.version == "child"

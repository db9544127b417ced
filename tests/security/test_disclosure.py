"""How to report a vulnerability (INT-2): /.well-known/security.txt per RFC 9116, from the configured
contact, and SECURITY.md at the repository root pointing to the same setting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _fields(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.strip().splitlines())


@override_settings(SERVICEHALL_SECURITY_CONTACT="psirt@centre.example.gov.cn")
def test_int_2__security_txt__contact_expires_within_a_year_canonical():
    """RFC 9116: Contact (a URI: a bare address becomes mailto:) and Expires are required; Expires is in
    the future and less than a year ahead; anonymous visitors get it as plain text."""
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = _fields(response.content.decode())
    assert fields["Contact"] == "mailto:psirt@centre.example.gov.cn"
    expires = dt.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    now = dt.datetime.now(dt.UTC)
    assert now < expires < now + dt.timedelta(days=365)
    assert fields["Canonical"].endswith("/.well-known/security.txt")
    assert "zh" in fields["Preferred-Languages"]


@override_settings(SERVICEHALL_SECURITY_CONTACT="https://centre.example.gov.cn/report")
def test_int_2__security_txt__web_form_contact_kept_as_is():
    fields = _fields(Client().get("/.well-known/security.txt").content.decode())
    assert fields["Contact"] == "https://centre.example.gov.cn/report"


def test_int_2__security_md__names_the_setting_and_the_well_known_file():
    """SECURITY.md at the root tells reporters where to write and operators what to configure."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "SERVICEHALL_SECURITY_CONTACT" in text
    assert "/.well-known/security.txt" in text

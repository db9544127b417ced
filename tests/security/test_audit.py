"""The operation log (服务日志台账, CASE-9): who, when, what, masked before/after, request id and IP;
append-only in the database; searchable by audit and supervision; archived only past retention."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from servicehall.core.audit import archive_audit, record_audit
from servicehall.core.errors import InputError
from servicehall.core.models import AuditEntry
from servicehall.org.tests.factories import CentreStaffFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_case_9__web_write__records_actor_request_id_ip_and_masked_before_after(client):
    """CASE-9, INT-2: a write through a page carries the request id echoed to the client, the client
    address, and the phone number masked on both sides."""
    office = CentreStaffFactory(user=UserFactory())
    person = StaffFactory(centre=office.centre, unit__centre=office.centre, phone="13812345678")
    client.force_login(office.user)
    response = client.get("/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response["X-Request-ID"] == "req-0123456789"
    from servicehall.core import requestinfo

    token = requestinfo._current.set(requestinfo.RequestInfo(request_id="req-0123456789", ip="10.0.0.7"))
    try:
        from servicehall.org import services

        services.update_staff(staff_id=person.pk, actor=office, phone="13900001111")
    finally:
        requestinfo._current.reset(token)
    entry = AuditEntry.objects.get(verb="org.staff.update")
    assert (entry.request_id, entry.ip, entry.actor_id) == ("req-0123456789", "10.0.0.7", office.user_id)
    assert entry.actor_name == office.name
    assert entry.before == {"phone": "138****5678"}
    assert entry.after == {"phone": "139****1111"}
    assert "13812345678" not in json.dumps(entry.data | entry.before | entry.after)


def test_case_9__raw_update_of_an_audit_row__refused_by_the_database():
    """CASE-9: append-only — an UPDATE bypassing the ORM fails (trigger on SQLite and PostgreSQL)."""
    entry = record_audit(actor=None, verb="test.write")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET verb = 'forged' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.verb == "test.write"


@pytest.mark.postgres
def test_case_9__raw_delete_of_an_audit_row__refused_on_postgresql():
    """CASE-9: on PostgreSQL a DELETE outside `audit archive` fails too."""
    entry = record_audit(actor=None, verb="test.write")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_case_9__archive__refuses_inside_retention_and_moves_older_entries(tmp_path):
    """CASE-9: entries younger than the retention period stay; older ones go to a compressed JSONL file."""
    today = dt.date(2026, 12, 1)
    record_audit(actor=None, verb="test.recent", data={"phone": "13812345678"})
    with pytest.raises(InputError):
        archive_audit(before=today, out=tmp_path / "a.jsonl.gz", min_retention_days=183, today=today)
    assert not (tmp_path / "a.jsonl.gz").exists()
    # "today" far in the future: every entry written now is older than the retention period
    future = timezone.localdate() + dt.timedelta(days=400)
    moved = archive_audit(
        before=timezone.localdate() + dt.timedelta(days=1), out=tmp_path / "b.jsonl.gz", min_retention_days=183,
        today=future,
    )  # fmt: skip
    assert moved >= 1
    with gzip.open(tmp_path / "b.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert any(line["verb"] == "test.recent" for line in lines)
    assert all("13812345678" not in json.dumps(line) for line in lines)
    assert list(AuditEntry.objects.values_list("verb", flat=True)) == ["audit.archive"]


def test_case_9__search_page__auditor_and_supervisor_only_own_centre():
    """CASE-9: the auditor searches the log of their centre; other centres' entries and window staff stay out."""
    auditor = CentreStaffFactory(role="auditor", user=UserFactory())
    other = CentreStaffFactory(user=UserFactory())
    record_audit(actor=None, verb="org.window.update", centre_id=auditor.centre_id)
    record_audit(actor=None, verb="org.window.secret", centre_id=other.centre_id)
    client = Client()
    client.force_login(auditor.user)
    page = client.get("/audit/", {"verb": "org.window"}).content.decode()
    assert "org.window.update" in page
    assert "org.window.secret" not in page
    clerk = StaffFactory(centre=auditor.centre, unit__centre=auditor.centre, user=UserFactory())
    client.force_login(clerk.user)
    assert client.get("/audit/").status_code == 404


def test_case_9__search_page__roles_and_actions_in_chinese_with_the_code_kept():
    """CASE-9: the log page names the actor's role in Chinese (a small badge, not `chief_rep`) and the
    action by its Chinese name, keeping the code beneath for searching; case lifecycle actions too."""
    auditor = CentreStaffFactory(role="auditor", user=UserFactory())
    chief = StaffFactory(centre=auditor.centre, unit__centre=auditor.centre, role="chief_rep", name="赵首代")
    record_audit(actor=chief, verb="org.window.pause", centre_id=auditor.centre_id)
    record_audit(actor=chief, verb="cases.accept", centre_id=auditor.centre_id)
    client = Client()
    client.force_login(auditor.user)
    page = client.get("/audit/").content.decode()
    assert '<span class="role-badge">首席代表</span>' in page
    assert "（chief_rep）" not in page
    assert "窗口暂停" in page
    assert "org.window.pause" in page
    assert ">受理<" in page

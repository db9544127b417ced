"""Applicants' personal data (个人信息保护, INT-2): ID numbers encrypted at rest and found by keyed hash,
keys rotated without losing a value, the progress query (CASE-10) still opened by the ID tail, and
everything past the retention period purged."""

from __future__ import annotations

import importlib
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from servicehall.cases import selectors, services
from servicehall.cases.enums import CaseStatus
from servicehall.cases.models import Case, Inquiry
from servicehall.cases.tests.factories import Hall
from servicehall.core import fieldcrypt
from servicehall.core.masking import PURGED_NAME
from servicehall.core.models import AuditEntry
from servicehall.evaluation.models import Complaint
from servicehall.policy.loader import PolicyError, load_policy_text
from servicehall.queue.models import Appointment, ServiceLine
from servicehall.site.personal_data import purge_personal_data, rotate_keys

pytestmark = pytest.mark.django_db

IDS = ("110101199003074514", "110101199003071233", "11010119900307803X")
KEY_1, KEY_2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _raw(case_id: int) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Case._meta.db_table} WHERE id = %s", [case_id])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def _register(hall: Hall, id_no: str, phone: str = "") -> Case:
    case = services.register_case(
        actor=hall.staff, item=hall.item, applicant_name="张三", applicant_id_no=id_no, applicant_phone=phone
    )
    return services.accept_case(case_id=case.pk, actor=hall.staff)


def test_int_2__id_number__raw_sql_shows_no_plaintext_anywhere_in_the_row():
    """INT-2: reading the table directly (a stolen backup) shows a Fernet token, not the number or its tail
    in clear; the ORM still reads the number."""
    case = _register(Hall(materials=0), IDS[0])
    row = _raw(case.pk)
    assert all(IDS[0] not in str(value) for value in row.values())
    assert all("4514" not in str(v) for k, v in row.items() if k.startswith("applicant_id"))
    assert str(row["applicant_id_no"]).startswith("gAAAAA")
    assert Case.objects.get(pk=case.pk).applicant_id_no == IDS[0]


def test_int_2__encrypted_field__value_lookups_refused_hash_column_finds_the_case():
    """INT-2: a filter on the encrypted column cannot work (tokens are random), so it is refused; the
    keyed-hash column finds the same applicant's cases without decrypting any row."""
    hall = Hall(materials=0)
    first, _other = _register(hall, IDS[0]), _register(hall, IDS[1])
    with pytest.raises(TypeError, match="lookup-hash"):
        Case.objects.filter(applicant_id_no__contains="4514").count()
    with mock.patch.object(fieldcrypt, "decrypt", side_effect=AssertionError("decrypted")):
        found = [c.pk for c in selectors.cases_of_applicant(viewer=hall.staff, id_no=IDS[0])]
    assert found == [first.pk]


def test_case_10__progress_query_by_id_tail__one_hmac_and_no_decryption(client):
    """CASE-10, INT-2: the ID tail still opens the progress query, by comparing one HMAC of the code with
    the stored tail hash; the ID number column is not read at all."""
    cache.clear()
    case = _register(Hall(materials=0), IDS[2])
    with (
        mock.patch.object(fieldcrypt, "decrypt", side_effect=AssertionError("decrypted")),
        mock.patch.object(fieldcrypt.hmac, "new", wraps=fieldcrypt.hmac.new) as hmacs,
    ):
        assert selectors.progress_lookup(number=case.number, code="803x") is not None
        assert hmacs.call_count == 1
        assert selectors.progress_lookup(number=case.number, code="8030") is None
        assert selectors.progress_lookup(number=case.number, code="") is None


def test_int_2__rotate_keys__new_first_key_keeps_every_value_readable_and_drops_the_old_key():
    """INT-2: with a new key first, rotation rewrites every token under it (batched, audited); afterwards
    the old key can be removed and every number, and the progress query by ID tail (CASE-10), still work.
    A second run rewrites nothing (idempotent)."""
    hall = Hall(materials=0)
    with override_settings(SERVICEHALL_FIELD_KEYS=[KEY_1]):
        cases = [_register(hall, id_no) for id_no in IDS]
        _register(hall, "")  # no number: nothing to rotate
    with override_settings(SERVICEHALL_FIELD_KEYS=[KEY_2, KEY_1]):
        result = rotate_keys(batch=2)
        assert result == {"cases.case": (3, 3)}
        assert rotate_keys(batch=2) == {"cases.case": (3, 0)}
    assert AuditEntry.objects.filter(verb="personal_data.rotate_keys").count() == 2  # two batches, first run
    for case in cases:
        with pytest.raises(InvalidToken):
            Fernet(KEY_1.encode()).decrypt(str(_raw(case.pk)["applicant_id_no"]).encode())
    with override_settings(SERVICEHALL_FIELD_KEYS=[KEY_2]):
        assert [Case.objects.get(pk=c.pk).applicant_id_no for c in cases] == list(IDS)
        assert selectors.progress_lookup(number=cases[2].number, code="803X") is not None
    with override_settings(SERVICEHALL_FIELD_KEYS=[KEY_1]), pytest.raises(ImproperlyConfigured):
        Case.objects.get(pk=cases[0].pk)


def test_int_2__rotate_keys__new_lookup_key_refreshes_the_hashes():
    """INT-2: after a change of SERVICEHALL_LOOKUP_KEY rotation recomputes the lookup hashes, so the
    progress query by ID tail works again (CASE-10)."""
    case = _register(Hall(materials=0), IDS[0])
    with override_settings(SERVICEHALL_LOOKUP_KEY="another-lookup-key"):
        assert selectors.progress_lookup(number=case.number, code="4514") is None
        assert rotate_keys() == {"cases.case": (1, 1)}
        assert selectors.progress_lookup(number=case.number, code="4514") is not None


def test_int_2__data_migration__encrypts_plaintext_rows_reruns_safely_and_reverses():
    """INT-2: the migration step turns numbers stored in clear into tokens with their hashes, leaves
    tokens alone on a re-run, and going back restores the clear numbers."""
    case = _register(Hall(materials=0), IDS[1])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Case._meta.db_table} SET applicant_id_no = %s, applicant_id_hash = '', "
            "applicant_id_tail_hash = '' WHERE id = %s",
            [IDS[1], case.pk],
        )
    migration = importlib.import_module("servicehall.cases.migrations.0005_applicant_id_encrypted")
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_numbers(apps, editor)
    token = _raw(case.pk)["applicant_id_no"]
    assert token != IDS[1]
    assert Case.objects.get(pk=case.pk).applicant_id_no == IDS[1]
    assert _raw(case.pk)["applicant_id_tail_hash"]
    migration.encrypt_numbers(apps, editor)
    assert _raw(case.pk)["applicant_id_no"] == token
    migration.decrypt_numbers(apps, editor)
    assert _raw(case.pk)["applicant_id_no"] == IDS[1]


def test_int_2__deploy_check__warns_without_field_and_lookup_keys():
    """INT-2: production without its own keys is flagged by `check --deploy`."""
    with override_settings(SERVICEHALL_FIELD_KEYS=[], SERVICEHALL_LOOKUP_KEY=""):
        ids = {m.id for m in fieldcrypt.field_keys_check()}
    assert {"servicehall.W010", "servicehall.W011"} <= ids
    with override_settings(SERVICEHALL_FIELD_KEYS=["not-a-key"], SERVICEHALL_LOOKUP_KEY="x"):
        ids = {m.id for m in fieldcrypt.field_keys_check()}
    assert ids == {"servicehall.E010"}


# -- retention and purge ----------------------------------------------------------------------------


def _age(case: Case, *, days: int, status: str = CaseStatus.DONE) -> None:
    at = timezone.now() - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(status=status, concluded_at=at)


def test_int_2__purge__erases_personal_data_past_retention_keeps_statistics_and_is_idempotent():
    """INT-2 (policy `access.personal_data_retention_days`, 1095 by default): a case concluded longer ago
    loses name, ID number, phone and address; an open case and a recent one keep theirs; so do the
    item, status, dates and document kind. Audited with counts; the second run finds nothing."""
    hall = Hall(materials=0)
    old, recent, still_open = (_register(hall, id_no, "13812345678") for id_no in IDS)
    _age(old, days=1096)
    _age(recent, days=30)
    Case.objects.filter(pk=still_open.pk).update(registered_at=timezone.now() - timedelta(days=2000))
    line = ServiceLine.objects.create(centre=hall.centre, name="综合", prefix="A")
    day = timezone.localdate() - timedelta(days=1200)
    appointment = Appointment.objects.create(
        centre=hall.centre, line=line, day=day, slot_start="09:00", code="AB12CD34", name="王五",
        phone="13700001111", status=Appointment.Status.CHECKED_IN,
    )  # fmt: skip
    complaint = Complaint.objects.create(
        centre=hall.centre, tracking_code="TS0001", channel=Complaint.Channel.WEB,
        received_at=timezone.now() - timedelta(days=1300), archived_at=timezone.now() - timedelta(days=1200),
        complainant_name="赵六", complainant_phone="13600002222", content="等候太久", policy_ref="x",
    )  # fmt: skip
    inquiry = Inquiry.objects.create(
        centre=hall.centre, channel="phone", question="怎么办", asked=hall.staff, visitor_name="孙七",
        contact="13500003333", outcome="answered", policy_ref="x", asked_at=timezone.now() - timedelta(days=1100),
    )  # fmt: skip

    dry = purge_personal_data(now=timezone.now(), dry_run=True)
    counts = next(r for r in dry if r.centre == hall.centre.code).counts
    assert counts["cases.case"] == 1
    assert counts["queue.appointment"] == 1
    assert counts["evaluation.complaint"] == 1
    assert counts["cases.inquiry"] == 1
    assert Case.objects.get(pk=old.pk).applicant_phone == "13812345678"  # dry run wrote nothing
    assert not AuditEntry.objects.filter(verb="personal_data.purge").exists()

    purge_personal_data(now=timezone.now())
    purged = Case.objects.get(pk=old.pk)
    assert (purged.applicant_name, purged.applicant_id_no, purged.applicant_phone) == (PURGED_NAME, "", "")
    assert (purged.applicant_id_hash, purged.applicant_id_tail_hash) == ("", "")
    assert (purged.item_id, purged.status, purged.applicant_id_kind) == (
        old.item_id,
        "done",
        old.applicant_id_kind,
    )
    assert all(IDS[0] not in str(v) for v in _raw(old.pk).values())
    for kept in (recent, still_open):
        assert Case.objects.get(pk=kept.pk).applicant_id_no == kept.applicant_id_no
    appointment.refresh_from_db()
    complaint.refresh_from_db()
    inquiry.refresh_from_db()
    assert (appointment.name, appointment.phone, appointment.day) == (PURGED_NAME, "", day)
    assert (complaint.complainant_name, complaint.complainant_phone) == ("", "")
    assert (inquiry.visitor_name, inquiry.contact, inquiry.question) == ("", "", "怎么办")
    entry = AuditEntry.objects.get(verb="personal_data.purge")
    assert entry.centre_id == hall.centre.pk
    assert entry.data["counts"]["cases.case"] == 1

    again = purge_personal_data(now=timezone.now())
    assert all(r.total == 0 for r in again)
    assert AuditEntry.objects.filter(verb="personal_data.purge").count() == 1


def test_case_9__audit_retention_under_six_months__policy_refused_naming_the_rule():
    """CASE-9 (网络安全法: operation logs kept ≥ 6 months): a policy keeping the audit log 182 days is
    refused, and the problem names the rule."""
    with pytest.raises(PolicyError) as err:
        load_policy_text("extends: yuanzhou-p2\naccess:\n  audit_retention_days: 182\n")
    (problem,) = err.value.problems
    assert (problem.path, problem.rule) == ("access.audit_retention_days", "CASE-9")
    assert (
        load_policy_text(
            "extends: yuanzhou-p2\naccess:\n  audit_retention_days: 183\n"
        ).access.audit_retention_days
        == 183
    )


def test_int_2__cli__purge_dry_run_counts_rotate_with_bad_key_exits_2(capsys):
    """INT-2: `personal-data purge --dry-run` reports per centre without writing; `rotate-keys` with a
    malformed key is an `error:` and exit 2, not a traceback."""
    from servicehall.cli import main

    hall = Hall(materials=0)
    old = _register(hall, IDS[0], "13812345678")
    _age(old, days=2000)
    assert main(["personal-data", "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"{hall.centre.code}: retention 1095 days" in out
    assert "would erase cases.case 1" in out
    assert Case.objects.get(pk=old.pk).applicant_id_no == IDS[0]
    with override_settings(SERVICEHALL_FIELD_KEYS=["not-a-key"]):
        assert main(["personal-data", "rotate-keys"]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["personal-data", "purge"]) == 0
    assert Case.objects.get(pk=old.pk).applicant_id_no == ""


def test_case_10__online_rating__same_secret_as_progress_no_placeholder_for_an_empty_phone():
    """CASE-10, INT-2: rating a case online needs what opens its progress query — `####` no longer opens
    a case registered without phone or ID number, the ID tail (checked by hash) and the query code do."""
    from servicehall.evaluation.selectors import case_for_rating

    hall = Hall(materials=0)
    bare = _register(hall, "")
    assert case_for_rating(number=bare.number, code="####") is None
    assert case_for_rating(number=bare.number, code=bare.query_code) == bare
    with_id = _register(hall, IDS[2])
    assert case_for_rating(number=with_id.number, code="803x") == with_id
    assert case_for_rating(number=with_id.number, code="8031") is None


def test_int_2__error_report__hides_posted_id_number_and_phone(rf):
    """INT-2: a crash during registration does not copy the typed ID number or phone into the error
    report (technical page, mailed report); other fields stay for debugging."""
    from django.views.debug import get_default_exception_reporter_filter

    request = rf.post(
        "/cases/register/",
        {"applicant_id_no": IDS[0], "applicant_phone": "13812345678", "applicant_name": "张三"},
    )
    params = get_default_exception_reporter_filter().get_post_parameters(request)
    assert IDS[0] not in str(params)
    assert "13812345678" not in str(params)
    assert params["applicant_name"] == "张三"

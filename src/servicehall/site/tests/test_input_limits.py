"""Input limits (INT-2): request size, upload size, rows, unpacked xlsx size, CSV field size, each
answered 4xx with a clear Chinese message and nothing written; malformed bodies are 4xx, never 500."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook

from servicehall.attendance.models import Punch
from servicehall.core.errors import InputError
from servicehall.core.runtime import command_runner
from servicehall.core.uploads import UploadLimits, UploadTooLarge, check_xlsx_archive, read_rows
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory
from servicehall.workdays import commands as workdays_commands

pytestmark = pytest.mark.django_db

SMALL = {"max_bytes": 4096, "max_rows": 5, "max_unpacked_bytes": 200_000, "max_field_chars": 1000}


@pytest.fixture
def office(client):
    centre = CentreFactory()
    person = StaffFactory(
        centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
    )
    StaffFactory(centre=centre, with_user=False, staff_no="B1")
    client.force_login(person.user)
    return client


def _upload(client, name: str, data: bytes):
    f = io.BytesIO(data)
    f.name = name
    return client.post("/api/attendance/imports", {"file": f})


def _xlsx(rows: int, text: str = "x") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["staff_id", "time"])
    for _ in range(rows):
        ws.append(["B1", f"2026-03-02 08:20 {text}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@override_settings(SERVICEHALL_UPLOAD_LIMITS=SMALL)
def test_int_2__csv_over_upload_size__413_chinese_message_nothing_written(office):
    body = b"staff_id,time\n" + b"B1,2026-03-02T08:20:00\n" * 400
    response = _upload(office, "big.csv", body)
    assert response.status_code == 413
    assert "文件过大" in response.json()["detail"]
    assert not Punch.objects.exists()


@override_settings(SERVICEHALL_UPLOAD_LIMITS=SMALL)
def test_int_2__csv_over_row_limit__413_naming_row(office):
    body = b"staff_id,time\n" + b"B1,2026-03-02T08:20:00\n" * 8
    response = _upload(office, "rows.csv", body)
    assert response.status_code == 413
    assert "超过 5 行" in response.json()["detail"]
    assert not Punch.objects.exists()


@override_settings(SERVICEHALL_UPLOAD_LIMITS={**SMALL, "max_bytes": 10**7, "max_rows": 10**6})
def test_int_2__xlsx_unpacking_past_limit__413_before_openpyxl_reads_it(office):
    data = _xlsx(3000, "y" * 100)  # compresses well: a small upload that unpacks past 200 kB
    assert len(data) < 200_000
    response = _upload(office, "bomb.xlsx", data)
    assert response.status_code == 413
    assert "解压后过大" in response.json()["detail"]
    assert not Punch.objects.exists()


def test_int_2__zip_bomb_member_sizes_checked_without_inflating():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    assert len(buf.getvalue()) < 50_000
    with pytest.raises(UploadTooLarge):
        check_xlsx_archive(buf.getvalue(), "bomb.xlsx", UploadLimits(max_unpacked_bytes=1_000_000))


def test_int_2__csv_field_over_131072_chars__input_error_naming_row():
    data = b"staff_id,time\nB1," + b"9" * 140_000 + b"\n"
    with pytest.raises(InputError) as err:
        list(read_rows(data, "f.csv", UploadLimits(max_bytes=10**7)))
    assert "row 2" in err.value.where


def test_int_2__workdays_import_field_over_131072__exit_2_no_traceback(tmp_path: Path, capsys):
    path = tmp_path / "days.csv"
    path.write_text("date,kind,note\n2026-10-01,holiday," + "x" * 140_000 + "\n", encoding="utf-8")
    assert command_runner(workdays_commands)(["workdays", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "row 2" in err


@override_settings(SERVICEHALL_MAX_REQUEST_BYTES=10_000)
def test_int_2__request_over_limit__413_before_reading(office):
    response = _upload(office, "p.csv", b"staff_id,time\n" + b"B1,2026-03-02T08:20:00\n" * 1000)
    assert response.status_code == 413
    assert "上限" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_int_2__json_body_over_limit__413_not_500(client):
    body = json.dumps({"number": "x", "code": "1234", "pad": "y" * 5000})
    response = client.post("/api/cases/progress", body, content_type="application/json")
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]


def test_int_2__multipart_without_boundary__400_on_every_api_post(office):
    schema = office.get("/api/openapi.json").json()
    posts = [p for p, ops in schema["paths"].items() if "post" in ops]
    assert len(posts) > 10
    for path in posts:
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = office.generic("POST", url, b"--x\r\n", content_type="multipart/form-data")
        assert response.status_code == 400, (path, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/cases/register/",
        "/attendance/office/import/",
        "/attendance/office/off-post/",
        "/queue/stats/",
        "/progress/",
    ],
)
def test_int_2__multipart_without_boundary__400_on_pages(office, url: str):
    response = office.generic("POST", url, b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "boundary" in response.content.decode()

"""Punch import (idempotent, atomic, row-numbered errors), office corrections, inspections."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone
from openpyxl import Workbook

from servicehall.attendance import services
from servicehall.attendance.models import OffPostRecord, Punch, PunchCorrection, PunchImport
from servicehall.core.errors import Forbidden, InputError
from servicehall.core.models import AuditEntry
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return CentreFactory(code="yz")


@pytest.fixture
def people(centre):
    unit = UnitFactory(centre=centre)
    return [
        StaffFactory(unit=unit, centre=centre, staff_no="1001", badge_no="501"),
        StaffFactory(unit=unit, centre=centre, staff_no="1002", badge_no="502"),
    ]


@pytest.fixture
def office(centre):
    return StaffFactory(unit=None, centre=centre, role=Staff.Role.CENTRE_ADMIN, with_user=True).user


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


CSV = b"staff_id,time\n1001,2026-03-02T08:21:00\n1001,2026-03-02T12:03:00\n1002,2026-03-02 08:40\n"


def test_att_2__import_standard_csv__creates_punches(centre, people, office):
    batch = services.import_punch_file(centre=centre, data=CSV, filename="march.csv", actor=office)
    assert (batch.rows, batch.created, batch.layout) == (3, 3, "standard")
    assert set(Punch.objects.values_list("staff__staff_no", "at")) == {
        ("1001", local(2026, 3, 2, 8, 21)),
        ("1001", local(2026, 3, 2, 12, 3)),
        ("1002", local(2026, 3, 2, 8, 40)),
    }
    assert AuditEntry.objects.filter(verb="attendance.import").count() == 1


def test_att_2__same_file_twice__adds_nothing(centre, people, office):
    first = services.import_punch_file(centre=centre, data=CSV, filename="march.csv", actor=office)
    again = services.import_punch_file(centre=centre, data=CSV, filename="march-copy.csv", actor=office)
    assert again.pk == first.pk
    assert again.reused is True
    assert Punch.objects.count() == 3
    assert PunchImport.objects.count() == 1


def test_att_2__overlapping_file__only_new_punches_added(centre, people, office):
    services.import_punch_file(centre=centre, data=CSV, filename="a.csv", actor=office)
    more = CSV + b"1002,2026-03-02T12:05:00\n"
    batch = services.import_punch_file(centre=centre, data=more, filename="b.csv", actor=office)
    assert (batch.rows, batch.created) == (4, 1)
    assert Punch.objects.count() == 4


def test_att_2__bad_rows__whole_file_rejected_with_row_numbers(centre, people, office):
    data = b"staff_id,time\n1001,2026-03-02T08:21:00\n9999,2026-03-02T08:22:00\n1002,yesterday\n"
    with pytest.raises(services.PunchFileRejected) as err:
        services.import_punch_file(centre=centre, data=data, filename="bad.csv", actor=office)
    assert err.value.errors == [
        "row 3, column staff_id: no staff with staff number (工号) '9999' in this centre",
        "row 4, column time: 'yesterday' is not a date-time like 2026-03-02T08:25:13",
    ]
    assert "bad.csv" in str(err.value)
    assert Punch.objects.count() == 0  # atomic: the good row was not imported either
    assert PunchImport.objects.count() == 0


def test_att_2__unknown_header__names_the_expected_columns(centre, people, office):
    with pytest.raises(InputError) as err:
        services.import_punch_file(centre=centre, data=b"who,when\n1,2\n", filename="x.csv", actor=office)
    assert "row 1" in str(err.value)
    assert "staff_id,time" in str(err.value)


def test_att_2__zkteco_layout__badge_numbers(centre, people, office):
    data = "AC-No.,Name,Time,State\n501,张三,2026/3/2 8:21,C/In\n502,李四,2026/3/2 18:02:10,C/Out\n".encode()
    batch = services.import_punch_file(centre=centre, data=data, filename="zk.csv", actor=office)
    assert batch.layout == "zkteco"
    assert set(Punch.objects.values_list("staff__staff_no", "at")) == {
        ("1001", local(2026, 3, 2, 8, 21)),
        ("1002", local(2026, 3, 2, 18, 2, 10)),
    }


def test_att_2__chinese_terminal_layout_gb18030__imported(centre, people, office):
    data = "工号,姓名,打卡时间\n1001,张三,2026-03-02 08:21:00\n".encode("gb18030")
    batch = services.import_punch_file(centre=centre, data=data, filename="终端.csv", actor=office)
    assert (batch.layout, batch.created) == ("cn-terminal", 1)


def test_att_2__excel_file__imported(centre, people, office, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["staff_id", "time"])
    ws.append([1001, datetime(2026, 3, 2, 8, 21)])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    batch = services.import_punch_file(centre=centre, data=path.read_bytes(), filename="p.xlsx", actor=office)
    assert batch.created == 1
    assert Punch.objects.get().at == local(2026, 3, 2, 8, 21)


def test_att_2__window_staff__may_not_import(centre, people):
    user = StaffFactory(unit=people[0].unit, centre=centre, with_user=True).user
    with pytest.raises(Forbidden):
        services.import_punch_file(centre=centre, data=CSV, filename="x.csv", actor=user)
    assert Punch.objects.count() == 0


def test_att_6__office_adds_missed_punch__with_reason_and_audit(people, office):
    c = services.add_punch(staff=people[0], at=datetime(2026, 3, 2, 12, 1), reason="考勤机故障", actor=office)
    assert c.punch.source == Punch.Source.CORRECTION
    assert c.action == PunchCorrection.Action.ADD
    entry = AuditEntry.objects.get(verb="attendance.punch.add")
    assert entry.reason == "考勤机故障"


def test_att_6__correction_without_reason__refused(people, office):
    with pytest.raises(InputError) as err:
        services.add_punch(staff=people[0], at=datetime(2026, 3, 2, 12, 1), reason="  ", actor=office)
    assert err.value.where == "reason"
    assert Punch.objects.count() == 0


def test_att_2__void_punch__kept_but_marked(people, office, centre):
    services.import_punch_file(centre=centre, data=CSV, filename="a.csv", actor=office)
    p = Punch.objects.first()
    services.void_punch(punch_id=p.pk, reason="代打卡", actor=office)
    p.refresh_from_db()
    assert p.voided is True
    assert AuditEntry.objects.filter(verb="attendance.punch.void", reason="代打卡").exists()


def test_att_5__record_off_post__stored_and_audited(people, office):
    rec = services.record_off_post(
        staff=people[0], day=date(2026, 3, 2), minutes=130, note="巡查", actor=office
    )
    assert OffPostRecord.objects.get() == rec
    assert AuditEntry.objects.filter(verb="attendance.off_post").exists()


def test_att_5__record_off_post__negative_minutes_refused(people, office):
    with pytest.raises(InputError):
        services.record_off_post(staff=people[0], day=date(2026, 3, 2), minutes=-5, actor=office)

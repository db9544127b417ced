"""Inspection findings (巡查, EVAL-3, CON): recorded against the policy list, off-post minutes into
attendance once (ATT-5), one accountability event (EVAL-5), contest once, supervision decides."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from servicehall.accountability.models import AccountabilityEvent
from servicehall.attendance import selectors as attendance
from servicehall.attendance.models import OffPostRecord, Punch
from servicehall.core.errors import Forbidden, InputError
from servicehall.inspections.errors import AlreadyContested
from servicehall.inspections.models import Finding
from servicehall.inspections.services import contest_finding, decide_contest, record_finding
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory, WindowFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 12)


@pytest.fixture
def world():
    centre = CentreFactory()
    unit = UnitFactory(centre=centre, name="税务")
    return {
        "centre": centre,
        "window": WindowFactory(centre=centre, unit=unit),
        "alice": StaffFactory(centre=centre, unit=unit, with_user=True, staff_no="A1", name="王芳"),
        "inspector": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.SUPERVISOR, with_user=True, staff_no="J1"
        ),
        "admin": StaffFactory(
            centre=centre, unit=None, role=Staff.Role.CENTRE_ADMIN, with_user=True, staff_no="O1"
        ),
    }


def found(world, **changes) -> Finding:
    kwargs = {
        "actor": world["inspector"].user,
        "staff": world["alice"],
        "window": world["window"],
        "found_at": timezone.make_aware(datetime.combine(DAY, time(9, 40))),
        "inspection_kind": "patrol",
        "finder_level": "street",
        "prohibition_code": "eating",
    }
    return record_finding(**{**kwargs, **changes})


def punch_march(staff: Staff) -> None:
    rows = []
    for d in range(1, 32):
        day = date(2026, 3, d)
        if day.weekday() >= 5:
            continue
        for t in (time(8, 20), time(12, 2), time(14, 20), time(18, 1)):
            rows.append(
                Punch(centre=staff.centre, staff=staff, at=timezone.make_aware(datetime.combine(day, t)))
            )
    Punch.objects.bulk_create(rows)


def test_eval_3__finding_recorded__one_accountability_event_with_the_finder_level(world):
    """EVAL-3 / EVAL-5: a finding writes one event (kind finding, level street) pointing back at it."""
    finding = found(world)
    [event] = AccountabilityEvent.objects.all()
    assert (event.kind, event.level, event.staff_id, event.occurred_on) == (
        "finding",
        "street",
        world["alice"].pk,
        DAY,
    )
    assert event.source_id == str(finding.pk)
    assert finding.prohibition_label.startswith("在大厅吃东西")
    assert finding.policy_ref.startswith("yuanzhou-p2@")


def test_att_5__inspection_off_post_minutes__appear_once_in_the_months_attendance(world):
    """ATT-5: 150 minutes off post (county limit 120) → one attendance record, one half day of absence."""
    punch_march(world["alice"])
    finding = found(world, prohibition_code="off_post", off_post_minutes=150)
    assert OffPostRecord.objects.filter(staff=world["alice"]).count() == 1
    assert finding.off_post_record.minutes == 150
    report = attendance.evaluate_staff_month(
        centre_id=world["centre"].pk, staff=[world["alice"]], month="2026-03", today=date(2026, 4, 1)
    )
    [(_, result)] = report.rows
    att5 = [e for e in result.events if e.rule == "ATT-5"]
    assert len(att5) == 1
    assert att5[0].date == DAY
    assert result.absence_days == 0.5


def test_con__code_not_in_the_policy_list__refused_and_nothing_written(world):
    """CON: only prohibitions of the centre's policy can be recorded."""
    with pytest.raises(InputError) as err:
        found(world, prohibition_code="singing")
    assert err.value.where == "prohibition_code"
    assert not Finding.objects.exists()
    assert not AccountabilityEvent.objects.exists()


def test_eval_3__inspection_kind_not_in_policy__refused(world):
    with pytest.raises(InputError) as err:
        found(
            world, inspection_kind="self_check"
        )  # the county preset lists patrol, undercover, social_supervisor
    assert err.value.where == "inspection_kind"


def test_att_5__off_post_without_minutes__refused(world):
    with pytest.raises(InputError):
        found(world, prohibition_code="off_post")
    assert not OffPostRecord.objects.exists()


def test_eval_3__window_staff_cannot_record(world):
    with pytest.raises(Forbidden):
        found(world, actor=world["alice"].user)


def test_eval_3__contest_once_then_supervision_overturns__event_and_off_post_withdrawn(world):
    """EVAL-3: the person contests once; overturned → the event stops counting, attendance forgets the minutes."""
    finding = found(world, prohibition_code="off_post", off_post_minutes=150)
    contest_finding(finding_id=finding.pk, actor=world["alice"].user, reason="当时在后台取材料")
    with pytest.raises(AlreadyContested):
        contest_finding(finding_id=finding.pk, actor=world["alice"].user, reason="再次申诉")
    with pytest.raises(Forbidden):
        decide_contest(finding_id=finding.pk, actor=world["admin"].user, uphold=False, note="-")
    decided = decide_contest(
        finding_id=finding.pk, actor=world["inspector"].user, uphold=False, note="核实属实"
    )
    assert decided.status == Finding.Status.OVERTURNED
    assert AccountabilityEvent.objects.get().withdrawn is True
    assert not OffPostRecord.objects.exists()


def test_eval_3__contest_upheld__finding_keeps_counting_and_no_second_contest(world):
    finding = found(world)
    contest_finding(finding_id=finding.pk, actor=world["alice"].user, reason="不认可")
    decide_contest(finding_id=finding.pk, actor=world["inspector"].user, uphold=True, note="有照片为证")
    assert AccountabilityEvent.objects.get().withdrawn is False
    with pytest.raises(AlreadyContested):
        contest_finding(finding_id=finding.pk, actor=world["alice"].user, reason="再诉")


def test_eval_3__someone_else_cannot_contest(world):
    finding = found(world)
    with pytest.raises(Forbidden):
        contest_finding(finding_id=finding.pk, actor=world["admin"].user, reason="代为申诉")


def test_eval_3__inspector_phone_page__records_a_finding_with_photo(world, client, settings, tmp_path):
    """EVAL-3: the phone page lists the policy's prohibitions and saves a finding with its photo."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world["inspector"].user)
    page = client.get(reverse("inspections:new"))
    assert page.status_code == 200
    assert "未着工作服或未佩戴工作胸牌" in page.content.decode()
    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0fakejpeg", content_type="image/jpeg")
    response = client.post(
        reverse("inspections:new"),
        {
            "staff": world["alice"].pk,
            "window": world["window"].pk,
            "prohibition_code": "missing_badge_or_uniform",
            "inspection_kind": "undercover",
            "finder_level": "district",
            "found_at": "2026-03-12T10:05",
            "off_post_minutes": "0",
            "note": "未佩戴胸牌",
            "photo": photo,
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert finding.photo.name.startswith("inspections/")
    assert finding.finder_level == "district"
    detail = client.get(reverse("inspections:detail", args=[finding.pk])).content.decode()
    assert "区级" in detail


def test_eval_3__window_staff_sees_only_own_findings_and_no_form(world, client):
    other = StaffFactory(centre=world["centre"], unit=world["alice"].unit, with_user=True, staff_no="A2")
    finding = found(world)
    client.force_login(other.user)
    assert client.get(reverse("inspections:detail", args=[finding.pk])).status_code == 404
    assert client.get(reverse("inspections:new")).status_code == 404
    client.force_login(world["alice"].user)
    assert "提交申诉" in client.get(reverse("inspections:detail", args=[finding.pk])).content.decode()


def test_int_2__finding_photo__served_only_to_those_who_may_see_the_finding(
    world, client, settings, tmp_path
):
    """INT-2 / ORG-1: the photo comes through the finding's own check, never from a public /media/ link."""
    settings.MEDIA_ROOT = tmp_path
    finding = found(
        world, photo=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0fakejpeg", content_type="image/jpeg")
    )
    url = reverse("inspections:photo", args=[finding.pk])
    client.force_login(world["inspector"].user)
    page = client.get(reverse("inspections:detail", args=[finding.pk])).content.decode()
    assert url in page
    assert "/media/" not in page
    answer = client.get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"\xff\xd8\xff\xe0fakejpeg"
    assert answer["Cache-Control"] == "private, no-store"
    other_centre = StaffFactory(centre=CentreFactory(), with_user=True, role=Staff.Role.CENTRE_ADMIN)
    client.force_login(other_centre.user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page

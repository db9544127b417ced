"""Leave API and pages: a staff member applies, the centre approves, the cover checks in (LEAVE-1, -5)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from servicehall.leave.models import LeaveRequest, LeaveStep
from servicehall.leave.tests.factories import make_people
from servicehall.org.tests.factories import StaffFactory, UnitFactory, UserFactory
from servicehall.workdays.models import CalendarDay
from servicehall.workdays.selectors import forget_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    monday = _next_monday()
    for offset in range(7):  # the week of the test as working days and weekend (calendar table)
        day = monday + timedelta(days=offset)
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": "workday" if offset < 5 else "rest"})
    forget_calendar()
    people = make_people()
    for key in ("clerk", "admin", "chief"):
        people[key].user = UserFactory()
        people[key].save()
    return people


def _next_monday():
    day = timezone.localdate() + timedelta(days=7)
    return day - timedelta(days=day.weekday())


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_leave_1__api_apply_and_centre_approves(client, people):
    client.force_login(people["clerk"].user)
    monday = _next_monday().isoformat()
    response = _post(
        client,
        "/api/leave/requests",
        {"kind": "personal", "start_date": monday, "end_date": monday, "end_half": "am"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["days"] == 0.5
    assert [s["approver_role"] for s in body["steps"]] == ["centre"]
    client.force_login(people["admin"].user)
    pending = client.get("/api/leave/steps/pending").json()
    assert [p["id"] for p in pending] == [body["id"]]
    step_id = body["steps"][0]["id"]
    assert _post(client, f"/api/leave/steps/{step_id}/approve", {"note": "同意"}).status_code == 200
    again = _post(client, f"/api/leave/steps/{step_id}/approve", {"note": "同意"})
    assert again.status_code == 409
    assert LeaveRequest.objects.get().status == LeaveRequest.Status.APPROVED


def test_leave_5__api_one_day_without_cover__409_with_rule(client, people):
    client.force_login(people["clerk"].user)
    monday = _next_monday().isoformat()
    response = _post(
        client, "/api/leave/requests", {"kind": "personal", "start_date": monday, "end_date": monday}
    )
    assert response.status_code == 409
    assert response.json()["rule_id"] == "LEAVE-5"
    assert not LeaveRequest.objects.exists()


def test_leave_5__pages_apply_approve_check_in(client, people):
    monday = _next_monday()
    client.force_login(people["clerk"].user)
    assert client.get("/leave/").status_code == 200
    assert client.get("/leave/apply/").status_code == 200
    response = client.post(
        "/leave/apply/",
        {
            "kind": "personal",
            "start_date": monday,
            "start_half": "am",
            "end_date": monday,
            "end_half": "pm",
            "reason": "家中有事",
            "cover_name": "钱顶岗",
            "cover_start": monday,
            "cover_end": monday,
        },
    )
    leave = LeaveRequest.objects.get()
    assert response.status_code == 302
    assert client.get(f"/leave/{leave.pk}/").status_code == 200
    client.force_login(people["admin"].user)
    page = client.get("/leave/approvals/")
    assert "张三" in page.content.decode()
    step = leave.steps.get(status=LeaveStep.Status.PENDING)
    client.post(f"/leave/steps/{step.pk}/decide", {"decision": "approve", "note": "同意"})
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    cover = leave.covers.get()
    client.post(f"/leave/covers/{cover.pk}/check-in")
    cover.refresh_from_db()
    assert cover.checked_in_at is not None


def test_leave_1__other_staff_cannot_see_my_leave_page(client, people):
    monday = _next_monday().isoformat()
    client.force_login(people["clerk"].user)
    _post(
        client,
        "/api/leave/requests",
        {"kind": "personal", "start_date": monday, "end_date": monday, "end_half": "am"},
    )
    leave = LeaveRequest.objects.get()
    people["colleague"].user = UserFactory()
    people["colleague"].save()
    client.force_login(people["colleague"].user)
    assert client.get(f"/leave/{leave.pk}/").status_code == 404
    assert client.get(f"/api/leave/requests/{leave.pk}").status_code in (403, 404)


def test_org_1__other_units_leave__answers_404_exactly_like_an_absent_one(client, people):
    """ORG-1 / INT-2: another unit's leave request is not revealed — same status, same body as an id that
    does not exist, for reading and for every write on it."""
    monday = _next_monday().isoformat()
    client.force_login(people["clerk"].user)
    _post(
        client,
        "/api/leave/requests",
        {"kind": "personal", "start_date": monday, "end_date": monday, "end_half": "am"},
    )
    leave = LeaveRequest.objects.get()
    other_unit = UnitFactory(centre=people["clerk"].centre)
    chief = StaffFactory(unit=other_unit, centre=other_unit.centre, role="chief_rep", user=UserFactory())
    client.force_login(chief.user)
    absent = LeaveRequest.objects.order_by("-pk").first().pk + 1000

    def answer(leave_id: int, suffix: str = "", method: str = "get"):
        url = f"/api/leave/requests/{leave_id}{suffix}"
        response = client.get(url) if method == "get" else _post(client, url, {})
        body = response.json()
        body.get("facts", {}).pop("leave_id", None)
        return response.status_code, body

    for suffix, method in (("", "get"), ("/cancel", "post")):
        assert answer(leave.pk, suffix, method) == answer(absent, suffix, method)
        assert answer(leave.pk, suffix, method)[0] == 404
    leave.refresh_from_db()
    assert leave.status != LeaveRequest.Status.CANCELLED


def test_leave_5__cover_candidates__post_partner_first_then_unit__never_self_or_other_units(people):
    """LEAVE-5 顶岗 / ORG-3 A/B 角: the pick-list offers the A/B partner first, then the unit's colleagues;
    not the leaver, not another unit's staff, not someone who has left."""
    from servicehall.leave.selectors import cover_candidates
    from servicehall.org.models import Post

    clerk = people["clerk"]
    other_unit = StaffFactory(centre=clerk.centre, unit=UnitFactory(centre=clerk.centre), name="外单位")
    gone = StaffFactory(centre=clerk.centre, unit=clerk.unit, name="已离岗", is_active=False)
    partner = StaffFactory(centre=clerk.centre, unit=clerk.unit, name="B角同事", staff_no="Z99")
    Post.objects.create(
        centre=clerk.centre, unit=clerk.unit, name="营业执照", a_holder=clerk, b_holder=partner
    )
    offered = cover_candidates(staff=clerk)
    names = [s.name for s, _note in offered]
    assert offered[0] == (partner, "营业执照 B角")
    assert {"李四", "王首代"} <= set(names)
    assert clerk.name not in names
    assert other_unit.name not in names
    assert gone.name not in names


def test_leave_5__apply_page__cover_picked_from_colleagues_is_filed_as_that_staff(client, people):
    """LEAVE-5: picking 李四 from the list files the cover as the registered staff member, not free text;
    the sick-leave certificate sent with a 事假 is not kept."""
    monday = _next_monday()
    client.force_login(people["clerk"].user)
    page = client.get("/leave/apply/").content.decode()
    assert 'name="cover_staff"' in page
    assert f'value="{people["colleague"].pk}"' in page
    assert 'data-leave-kind="sick"' in page
    response = client.post(
        "/leave/apply/",
        {
            "kind": "personal",
            "start_date": monday,
            "start_half": "am",
            "end_date": monday,
            "end_half": "pm",
            "certificate_provided": "on",
            "cover_staff": str(people["colleague"].pk),
            "cover_start": monday,
            "cover_end": monday,
        },
    )
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    assert leave.covers.get().cover_staff == people["colleague"]
    assert leave.certificate_provided is False


def test_leave_5__apply_page__a_colleague_outside_the_list_is_refused(client, people):
    """A staff id that is not on the leaver's pick-list (another unit's) is a form error, nothing filed."""
    monday = _next_monday()
    outsider = StaffFactory(centre=people["clerk"].centre, unit=UnitFactory(centre=people["clerk"].centre))
    client.force_login(people["clerk"].user)
    response = client.post(
        "/leave/apply/",
        {
            "kind": "personal",
            "start_date": monday,
            "start_half": "am",
            "end_date": monday,
            "end_half": "pm",
            "cover_staff": str(outsider.pk),
            "cover_start": monday,
            "cover_end": monday,
        },
    )
    assert response.status_code == 200
    assert "cover_staff" in response.context["form"].errors
    assert not LeaveRequest.objects.exists()


def test_int_2__leave_attachment__only_for_those_who_may_read_the_leave(client, people, settings, tmp_path):
    """INT-2 / ORG-1: a sick note is health data — the owner and the approvers get it through the leave's
    own check; another unit's staff get 404 like an absent leave; nothing under a public /media/ link."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    monday = _next_monday()
    leave = LeaveRequest.objects.create(
        centre=people["clerk"].centre, staff=people["clerk"], kind="sick", start_date=monday,
        end_date=monday, days=1, policy_ref="test@1", filed_at=timezone.now(),
    )  # fmt: skip
    leave.attachment.save("note.pdf", ContentFile(b"%PDF-1.4 sick note"))
    url = f"/leave/{leave.pk}/attachment/"
    for who in ("clerk", "chief", "admin"):
        client.force_login(people[who].user)
        answer = client.get(url)
        assert answer.status_code == 200, who
        assert b"".join(answer.streaming_content) == b"%PDF-1.4 sick note"
    page = client.get(f"/leave/{leave.pk}/").content.decode()
    assert url in page
    assert "/media/" not in page
    stranger = StaffFactory(centre=people["clerk"].centre, unit=UnitFactory(centre=people["clerk"].centre))
    stranger.user = UserFactory()
    stranger.save()
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404
